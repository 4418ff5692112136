// Swagger UI at /docs in Debian's chromium: authorise as johndoe with scopes `me` and `items`, try
// GET /users/me/items/ and see the item; authorise again with `me` only and see the 401. Screenshots
// go to artifacts/screenshots/ (git-ignored). Without /usr/bin/chromium the test is skipped, except
// in CI, where .ci/run installs it and its absence is a failure.
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { chromium, type Locator, type Page } from "playwright-core";
import { PasswordVerifier } from "../src/passwords.js";
import { startApp } from "./support/server.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const screenshots = resolve(repoRoot, "artifacts/screenshots");
const TIMEOUT_MS = 15_000;

const missingBrowser = !existsSync(executablePath);
if (missingBrowser && process.env.CI) t.fail(`no browser at ${executablePath}: CI installs Debian's chromium (.ci/run), so its absence is an error`);

/** Opens the Authorize dialog, logs in through the password flow with `scopes`, closes the dialog. */
async function authorize(page: Page, scopes: readonly string[]): Promise<void> {
  await page.locator(".auth-wrapper button.authorize").click();
  const modal = page.locator(".modal-ux");
  const logout = modal.locator("button", { hasText: "Logout" });
  if (await logout.isVisible()) await logout.click();
  await modal.locator("#oauth_username").fill("johndoe");
  await modal.locator("#oauth_password").fill("secret");
  for (const scope of ["me", "items"]) {
    const box = modal.locator(`input[type=checkbox][id^="${scope}-password-checkbox"]`);
    if ((await box.isChecked()) !== scopes.includes(scope)) await modal.locator(`label[for^="${scope}-password-checkbox"]`).click();
  }
  await modal.locator("button.authorize").click();
  await logout.waitFor();
  await modal.locator("button.btn-done").click();
  await modal.waitFor({ state: "detached" });
}

/** Clears the previous response, clicks Execute, and returns the status and body of the new one. */
async function execute(operation: Locator): Promise<{ status: string; body: string }> {
  const clear = operation.locator("button.btn-clear");
  if (await clear.isVisible()) await clear.click();
  await operation.locator("button.execute").click();
  const response = operation.locator(".live-responses-table tbody tr.response").first();
  await response.locator(".highlight-code pre").waitFor();
  // The status cell also says "Undocumented" for statuses the document does not list (the 401).
  const status = /^\d{3}/.exec((await response.locator(".response-col_status").innerText()).trim())?.[0] ?? "";
  const body = await response.locator(".highlight-code pre").innerText();
  return { status, body };
}

t.test("Swagger UI: the password flow with scopes, then GET /users/me/items/", { skip: missingBrowser && `no browser at ${executablePath} (apt-get install chromium)` }, async (t) => {
  const app = await startApp(t, { passwords: new PasswordVerifier() });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(TIMEOUT_MS);
  mkdirSync(screenshots, { recursive: true });

  await page.goto(`${app.baseUrl}/docs`);
  // Found by its path, whatever its operationId.
  const operation = page.locator(".opblock-get", { has: page.locator(".opblock-summary-path", { hasText: /^\/users\/me\/items\/$/ }) });
  await operation.waitFor();

  await authorize(page, ["me", "items"]);
  await operation.locator(".opblock-summary").click();
  await operation.locator(".try-out__btn").click();
  const granted = await execute(operation);
  t.equal(granted.status, "200");
  t.strictSame(JSON.parse(granted.body), [{ item_id: "Foo", owner: "johndoe" }]);
  await page.screenshot({ path: resolve(screenshots, "docs-items-200.png"), fullPage: true });

  await authorize(page, ["me"]);
  const refused = await execute(operation);
  t.equal(refused.status, "401");
  t.strictSame(JSON.parse(refused.body), { detail: "Not enough permissions" });
  await page.screenshot({ path: resolve(screenshots, "docs-items-401.png"), fullPage: true });
});
