// The example's WebSocket /ws/items: the access token of /token in the query string, scope `items`
// required (and `me`, through getActiveWebSocketUser), refused before the handshake otherwise.
import { connect } from "node:net";
import t from "tap";
import { WebSocket } from "ws";
import { buildApp } from "../src/app.js";
import { FakePasswords } from "./support/fake-passwords.js";
import { startApp } from "./support/server.js";
import { guideSettings } from "./support/settings.js";

function open(url: string): Promise<{ socket: WebSocket; first: string } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("message", (data) => resolve({ socket, first: String(data) }));
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += String(chunk)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once("error", (error) => {
      if (!String(error.message).startsWith("Unexpected server response")) reject(error);
    });
  });
}

t.test("/ws/items with a token granting `me items`: the items, then on request", async (t) => {
  const app = await startApp(t);
  const token = await app.login("johndoe", "secret", "me items");
  const wsUrl = app.baseUrl.replace("http", "ws");
  const opened = await open(`${wsUrl}/ws/items?token=${token}`);
  if (!("socket" in opened)) throw new Error(`refused: ${JSON.stringify(opened)}`);
  t.same(JSON.parse(opened.first), [{ item_id: "Foo", owner: "johndoe" }]);
  const again = new Promise<string>((resolve) => opened.socket.once("message", (data) => resolve(String(data))));
  opened.socket.send("items");
  t.same(JSON.parse(await again), [{ item_id: "Foo", owner: "johndoe" }]);
  const closed = new Promise<number>((resolve) => opened.socket.once("close", (code) => resolve(code)));
  opened.socket.send("something else");
  t.equal(await closed, 1003, "the handler closes on an unknown message");
});

t.test("/ws/items refuses the handshake as /users/me/items/ refuses the request", async (t) => {
  const app = await startApp(t);
  const wsUrl = app.baseUrl.replace("http", "ws");
  t.same(await open(`${wsUrl}/ws/items`), { status: 401, body: '{"detail":"Not authenticated"}' });
  t.same(await open(`${wsUrl}/ws/items?token=not-a-jwt`), { status: 401, body: '{"detail":"Could not validate credentials"}' });
  const meOnly = await app.login("johndoe", "secret", "me");
  t.same(await open(`${wsUrl}/ws/items?token=${meOnly}`), { status: 401, body: '{"detail":"Not enough permissions"}' });
  const itemsOnly = await app.login("johndoe", "secret", "items");
  t.same(await open(`${wsUrl}/ws/items?token=${itemsOnly}`), { status: 401, body: '{"detail":"Not enough permissions"}' }, "`me` is required too");
});

t.test("/ws/items is in the security report, not in the OpenAPI document", async (t) => {
  const app = await buildApp({ settings: guideSettings(), passwords: new FakePasswords() });
  t.teardown(() => app.close());
  const entry = app.securityReport().routes.find((route) => route.path === "/ws/items");
  t.match(entry, { method: "WEBSOCKET", secured: true, requirements: [[{ scheme: "AccessTokenQuery", scopes: [{ scope: "items" }, { scope: "me" }] }]] });
  const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
  t.notOk("/ws/items" in document.paths);
  t.same(Object.keys(document.components.securitySchemes), ["OAuth2PasswordBearer"], "the query-token scheme is not documented");
});

/** Sends a raw upgrade request; resolves with the status line, the body and whether the server closed the socket within 2 s. */
function rawUpgrade(baseUrl: string, path: string): Promise<{ status: string; body: string; closed: boolean }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = "";
    socket.on("data", (chunk: Buffer) => (data += String(chunk)));
    socket.on("error", reject);
    const answer = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: data.split("\r\n")[0] ?? "", body: data.split("\r\n\r\n")[1] ?? "", closed });
    };
    const timer = setTimeout(() => answer(false), 2000);
    socket.once("close", () => answer(true));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
  });
}

t.test("an upgrade request to an HTTP route gets that route's answer, and its socket is closed", async (t) => {
  const app = await startApp(t);
  // The HTTP routes are outside @fastify/websocket's context (no per-request hooks there).
  t.same(await rawUpgrade(app.baseUrl, "/users/me/items/"), { status: "HTTP/1.1 401 Unauthorized", body: '{"detail":"Not authenticated"}', closed: true });
  t.same(await rawUpgrade(app.baseUrl, "/nowhere"), { status: "HTTP/1.1 404 Not Found", body: '{"detail":"Not Found"}', closed: true });
  t.same(await rawUpgrade(app.baseUrl, "/ws/items"), { status: "HTTP/1.1 401 Unauthorized", body: '{"detail":"Not authenticated"}', closed: true });
});
