// Swagger UI at /docs in Debian's chromium: Authorize through the password flow with heroes:read
// and heroes:write, create a hero with POST /heroes/, read it back with GET /heroes/{hero_id}.
// Screenshots go to artifacts/screenshots/ (git-ignored). Skipped without /usr/bin/chromium, except
// in CI, where .ci/run installs it and its absence is a failure.
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Locator, type Page } from "playwright-core";
import t from "tap";
import { testDatabase } from "./support/database.js";
import { startApp } from "./support/server.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshots = resolve(fileURLToPath(new URL("../../../", import.meta.url)), "artifacts/screenshots");
const missingBrowser = !existsSync(executablePath);
if (missingBrowser && process.env.CI) t.fail(`no browser at ${executablePath}: CI installs Debian's chromium (.ci/run), so its absence is an error`);

async function authorize(page: Page, scopes: readonly string[]): Promise<void> {
  await page.locator(".auth-wrapper button.authorize").click();
  const modal = page.locator(".modal-ux");
  await modal.locator("#oauth_username").fill("johndoe");
  await modal.locator("#oauth_password").fill("secret");
  for (const scope of ["me", "heroes:read", "heroes:write", "audit:read"]) {
    const box = modal.locator(`input[type=checkbox][id^="${scope}-password-checkbox"]`);
    if ((await box.isChecked()) !== scopes.includes(scope)) await modal.locator(`label[for^="${scope}-password-checkbox"]`).click();
  }
  await modal.locator("button.authorize").click();
  await modal.locator("button", { hasText: "Logout" }).waitFor();
  await modal.locator("button.btn-done").click();
  await modal.waitFor({ state: "detached" });
}

async function execute(operation: Locator): Promise<{ status: string; body: string }> {
  await operation.locator("button.execute").click();
  const response = operation.locator(".live-responses-table tbody tr.response").first();
  await response.locator(".highlight-code pre").waitFor();
  const status = /^\d{3}/.exec((await response.locator(".response-col_status").innerText()).trim())?.[0] ?? "";
  return { status, body: await response.locator(".highlight-code pre").innerText() };
}

t.test("Swagger UI: Authorize with the heroes scopes, create a hero and read it", { skip: missingBrowser && `no browser at ${executablePath} (apt-get install chromium)` }, async (t) => {
  await (await testDatabase()).reset();
  const app = await startApp(t);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(15_000);
  mkdirSync(screenshots, { recursive: true });
  await page.goto(`${app.baseUrl}/docs`);

  const create = page.locator(".opblock-post", { has: page.locator(".opblock-summary-path", { hasText: /^\/heroes\/$/ }) });
  await create.waitFor();
  type Document = { components: { securitySchemes: { OAuth2PasswordBearer: { flows: { password: { scopes: Record<string, string> } } } } } };
  const scopeNames = await page.evaluate(async () => Object.keys(((await (await fetch("/openapi.json")).json()) as Document).components.securitySchemes.OAuth2PasswordBearer.flows.password.scopes));
  t.strictSame(scopeNames, ["me", "heroes:read", "heroes:write", "audit:read"], "the four scopes are offered");
  await authorize(page, ["heroes:read", "heroes:write"]);

  await create.locator(".opblock-summary").click();
  await create.locator(".try-out__btn").click();
  await create.locator("textarea.body-param__text").fill(JSON.stringify({ name: "Deadpond", age: 30, secret_name: "Dive Wilson" }));
  const created = await execute(create);
  t.equal(created.status, "200");
  const hero = JSON.parse(created.body) as { id: number; name: string; age: number };
  t.strictSame(hero, { name: "Deadpond", age: 30, id: hero.id });
  await page.screenshot({ path: resolve(screenshots, "heroes-create-200.png"), fullPage: true });

  const read = page.locator(".opblock-get", { has: page.locator(".opblock-summary-path", { hasText: /^\/heroes\/\{hero_id\}$/ }) });
  await read.locator(".opblock-summary").click();
  await read.locator(".try-out__btn").click();
  await read.locator('input[placeholder="hero_id"]').fill(String(hero.id));
  const got = await execute(read);
  t.equal(got.status, "200");
  t.strictSame(JSON.parse(got.body), { name: "Deadpond", age: 30, id: hero.id });
  await page.screenshot({ path: resolve(screenshots, "heroes-read-200.png"), fullPage: true });
});
