// /ws/items from a page in Debian's chromium: the page (served by a front end on another local
// port) gets an access token from /token and opens a WebSocket with it in the query string (a browser cannot set Authorization on one), shows the items
// it receives; with a token lacking `items` the handshake is refused, which a page sees as a close
// with 1006 and no message. Skipped without /usr/bin/chromium, except in CI.
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import t from "tap";
import { chromium } from "playwright-core";
import { startApp } from "./support/server.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const screenshots = resolve(repoRoot, "artifacts/screenshots");
const missingBrowser = !existsSync(executablePath);
if (missingBrowser && process.env.CI) t.fail(`no browser at ${executablePath}: CI installs Debian's chromium (.ci/run), so its absence is an error`);

// The page a front end would serve: log in, connect, list what arrives.
const page = `<!DOCTYPE html>
<html><head><title>Items over a WebSocket</title></head>
<body>
  <h1>Own items, live</h1>
  <ul id="messages"></ul>
  <p id="state">idle</p>
  <script>
    window.watchItems = function watchItems(api, token) {
      const url = new URL("/ws/items", api);
      url.protocol = "ws:";
      url.searchParams.set("token", token);
      return new Promise((done) => {
        const socket = new WebSocket(url);
        const received = [];
        socket.onopen = () => (document.getElementById("state").textContent = "open");
        socket.onmessage = (event) => {
          received.push(event.data);
          const li = document.createElement("li");
          li.textContent = event.data;
          document.getElementById("messages").appendChild(li);
          if (received.length === 2) socket.close(1000, "seen enough");
          else socket.send("items");
        };
        socket.onclose = (event) => {
          document.getElementById("state").textContent = "closed " + event.code;
          done({ received, code: event.code, clean: event.wasClean });
        };
      });
    };
  </script>
</body></html>`;

t.test("a page connects to /ws/items with its token in the query string", { skip: missingBrowser && `no browser at ${executablePath} (apt-get install chromium)` }, async (t) => {
  const app = await startApp(t);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.teardown(() => browser.close());
  const tab = await browser.newPage();
  tab.setDefaultTimeout(15_000);
  // A real local front end (a page intercepted by the browser would count as public, and Chromium's
  // local network access checks would block its WebSocket to 127.0.0.1). Cross-origin WebSockets
  // need no CORS.
  const frontEnd = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  await new Promise<void>((done) => frontEnd.listen(0, "127.0.0.1", done));
  t.teardown(() => new Promise<void>((done) => frontEnd.close(() => done())));
  await tab.goto(`http://127.0.0.1:${(frontEnd.address() as AddressInfo).port}/`);
  type Watched = { received: string[]; code: number; clean: boolean };
  const watch = async (scope: string): Promise<Watched> => {
    const token = await app.login("johndoe", "secret", scope);
    return tab.evaluate(({ api, token }) => (globalThis as unknown as { watchItems(api: string, token: string): Promise<Watched> }).watchItems(api, token), { api: app.baseUrl, token });
  };

  const granted = await watch("me items");
  t.strictSame(granted.received.map((m) => JSON.parse(m)), [[{ item_id: "Foo", owner: "johndoe" }], [{ item_id: "Foo", owner: "johndoe" }]], "the items on connect, then on request");
  t.equal(granted.code, 1000);
  t.equal(await tab.locator("#messages li").count(), 2);
  mkdirSync(screenshots, { recursive: true });
  await tab.screenshot({ path: resolve(screenshots, "ws-items-open.png") });

  const refused = await watch("me");
  t.strictSame(refused, { received: [], code: 1006, clean: false }, "a refused handshake: no message, 1006");
  t.equal(await tab.locator("#state").innerText(), "closed 1006");
});
