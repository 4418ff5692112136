// Swagger UI in a real browser shows the webhooks and the named schemas of the document.
// Skipped without Chromium (install: apt-get install chromium).
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify from "fastify";
import { chromium } from "playwright-core";
import Type from "typebox";
import { Body, Security } from "@depends/core";
import { HTTPBearer } from "@depends/core/security";
import { dependsPlugin, router, webhooks } from "@depends/fastify";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

t.test("/docs lists the webhook, its security and the named schemas", { skip: !existsSync(executablePath) && `no browser at ${executablePath}` }, async (t) => {
  const Subscription = Type.Object({ username: Type.String(), monthly_fee: Type.Number() }, { $id: "Subscription" });
  const hooks = webhooks();
  hooks.post("new-subscription", { sources: { body: Body(Subscription), token: Security(new HTTPBearer()) }, description: "Sent when a user subscribes." }, function new_subscription() {});
  const api = router();
  api.get("/users/", { response: { 200: Type.Array(Type.Object({ username: Type.String() }, { $id: "User" })) } }, function read_users() {
    return [{ username: "Rick" }];
  });
  const app = Fastify();
  await app.register(dependsPlugin);
  await app.register(api.plugin());
  await app.register(hooks.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;

  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/docs`);
  const webhook = page.locator(".opblock-post", { hasText: "new-subscription" });
  await webhook.waitFor();
  t.match(await page.locator(".webhooks-container").innerText(), /Webhooks[\s\S]*POST[\s\S]*new-subscription[\s\S]*New Subscription/, "a Webhooks section");
  await webhook.locator(".opblock-summary").first().click();
  await webhook.locator(".opblock-description-wrapper").first().waitFor();
  t.match(await webhook.innerText(), /Sent when a user subscribes\./);
  t.ok(await webhook.locator(".authorization__btn").count(), "the webhook shows its security (a lock)");
  const models = page.locator("section.models");
  await models.waitFor();
  const names = await models.innerText();
  t.match(names, /Subscription/);
  t.match(names, /User/);
  t.notMatch(names, /def-\d/);
});
