// Swagger UI in a real browser: authorise with the OAuth2 password flow and its scopes, then call a
// protected route from the UI. Skipped without Chromium (install: apt-get install chromium).
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify from "fastify";
import { chromium } from "playwright-core";
import { Depends, dependency, HTTPException, Security, SecurityScopes } from "@depends/core";
import { OAuth2PasswordBearer, OAuth2PasswordRequestForm } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

t.test("the password flow and its scopes can be authorised in /docs", { skip: !existsSync(executablePath) && `no browser at ${executablePath}` }, async (t) => {
  const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read information about the current user.", items: "Read items." } });
  const tokenRequests: { username: string; scopes: readonly string[] }[] = [];
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, ({ securityScopes, token }) => {
    const [username = "", granted = ""] = token.split(":");
    for (const scope of securityScopes.scopes) {
      if (!granted.split(" ").includes(scope)) throw new HTTPException(401, "Not enough permissions", { "WWW-Authenticate": `Bearer scope="${securityScopes.scopeStr}"` });
    }
    return { username };
  });
  const api = router();
  api.post("/token", { form: Depends(OAuth2PasswordRequestForm) }, function login_for_access_token({ form }) {
    tokenRequests.push({ username: form.username, scopes: form.scopes });
    if (form.password !== "secret") throw new HTTPException(400, "Incorrect username or password");
    return { access_token: `${form.username}:${form.scopes.join(" ")}`, token_type: "bearer" };
  });
  api.get("/users/me/items/", { user: Security(getCurrentUser, { scopes: ["items", "me"] }) }, function read_own_items({ user }) {
    return [{ item_id: "Foo", owner: user.username }];
  });
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: { info: { title: "FastAPI", version: "0.1.0" } } });
  await app.register(api.plugin());
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
  await page.locator("button.btn.authorize").first().click();
  const modal = page.locator(".modal-ux");
  await modal.locator("#oauth_username").fill("johndoe");
  await modal.locator("#oauth_password").fill("secret");
  for (const scope of ["me", "items"]) await modal.locator(`label[for^="${scope}-password-checkbox"]`).click();
  await modal.locator("button.authorize").click();
  await modal.locator("button", { hasText: "Logout" }).waitFor();
  await modal.locator("button.btn-done").click();

  t.strictSame(tokenRequests, [{ username: "johndoe", scopes: ["me", "items"] }], "the UI posted the form with the chosen scopes");

  const operation = page.locator("#operations-default-read_own_items_users_me_items__get");
  await operation.locator(".opblock-summary").click();
  await operation.locator(".try-out__btn").click();
  await operation.locator("button.execute").click();
  const response = operation.locator(".live-responses-table tbody tr.response").first();
  await response.locator(".highlight-code pre").waitFor();
  t.equal((await response.locator(".response-col_status").innerText()).trim(), "200");
  t.strictSame(JSON.parse(await response.locator(".highlight-code pre").innerText()), [{ item_id: "Foo", owner: "johndoe" }], "the UI sent the bearer token");
});
