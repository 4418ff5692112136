// Security on WebSocket routes: tokens a browser can send (query parameter, cookie,
// Sec-WebSocket-Protocol), scopes with SecurityScopes, refusals before the handshake (HTTP status)
// and after it (close code), validation errors, the per-connection cache, and what registration
// refuses.
import t from "tap";
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { Type } from "typebox";
import { Cookie, DeclarationError, Depends, dependency, Header, HTTPException, Path, Query, Security, SecurityScopes, WebSocket, WebSocketException } from "@depends/core";
import { APIKeyCookie, APIKeyHeader, APIKeyQuery } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";
import { connect, listen, within } from "./support/ws-client.js";

const grants: Record<string, { username: string; scopes: string[] }> = {
  "alice-token": { username: "alice", scopes: ["me", "items"] },
  "bob-token": { username: "bob", scopes: ["me"] },
};

function userFrom(token: string, securityScopes: SecurityScopes) {
  const grant = grants[token];
  if (grant === undefined) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
  for (const scope of securityScopes.scopes) if (!grant.scopes.includes(scope)) throw new HTTPException(403, "Not enough permissions");
  return grant;
}

const queryToken = new APIKeyQuery({ name: "token" });
const cookieToken = new APIKeyCookie({ name: "session" });
const protocolHeader = new APIKeyHeader({ name: "Sec-WebSocket-Protocol", schemeName: "WebSocketProtocolToken" });

const userFromQuery = dependency({ securityScopes: SecurityScopes, token: Depends(queryToken) }, function userFromQuery({ securityScopes, token }) {
  return userFrom(token, securityScopes);
});
const userFromCookie = dependency({ securityScopes: SecurityScopes, token: Depends(cookieToken) }, function userFromCookie({ securityScopes, token }) {
  return userFrom(token, securityScopes);
});
// `new WebSocket(url, ["bearer", token])`: the header is "bearer, <token>"; ws echoes "bearer".
const userFromProtocol = dependency({ securityScopes: SecurityScopes, header: Depends(protocolHeader) }, function userFromProtocol({ securityScopes, header }) {
  const [kind, token] = header.split(",").map((part) => part.trim());
  if (kind !== "bearer" || token === undefined) throw new WebSocketException(1008, "expected the protocols bearer, <token>");
  return userFrom(token, securityScopes);
});

let computed = 0;
const perConnection = dependency(function perConnection() {
  computed += 1;
  return { id: computed };
});
const usesPerConnection = dependency({ value: Depends(perConnection) }, ({ value }) => value);

async function securedApp(options: { secureByDefault?: boolean; openapi?: boolean } = {}) {
  const logs: { level: number; msg: string }[] = [];
  const app = Fastify({ logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line)) } } });
  await app.register(websocket);
  await app.register(dependsPlugin, options.openapi ? { secureByDefault: options.secureByDefault } : { openapi: false, secureByDefault: options.secureByDefault });
  const api = router();
  api.websocket("/ws/items", { socket: WebSocket, user: Security(userFromQuery, { scopes: ["items"] }) }, ({ socket, user }) => {
    socket.send(`hello ${user.username}`);
    socket.on("message", (data) => socket.send(`${user.username}: ${String(data)}`));
  });
  api.websocket("/ws/cookie", { socket: WebSocket, user: Security(userFromCookie, { scopes: ["me"] }) }, ({ socket, user }) => socket.send(`cookie ${user.username}`));
  api.websocket("/ws/protocol", { socket: WebSocket, user: Security(userFromProtocol, { scopes: ["me"] }) }, ({ socket, user }) => socket.send(`${socket.protocol} ${user.username}`));
  api.websocket(
    "/ws/items/{itemId}",
    { sources: { socket: WebSocket, itemId: Path(Type.Integer()), q: Query(Type.Integer(), { default: 0 }), agent: Header(Type.String({ minLength: 3 })), theme: Cookie(Type.String(), { default: "light" }) }, public: true },
    ({ socket, itemId, q, agent, theme }) => socket.send(JSON.stringify({ itemId, q, agent, theme })),
  );
  api.websocket("/ws/refuse", { sources: { socket: WebSocket, check: Depends(dependency({ code: Query(Type.Integer({ minimum: 1000 })) }, ({ code }) => {
    throw code === 1008 ? new WebSocketException() : new WebSocketException(code, "refused by a dependency");
  })) }, public: true }, () => {});
  api.websocket("/ws/broken", { sources: { socket: WebSocket, broken: Depends(dependency(function broken() {
    throw new Error("database down");
  })) }, public: true }, () => {});
  api.websocket("/ws/handler-closes", { sources: { socket: WebSocket }, public: true }, async ({ socket }) => {
    socket.send("ready");
    await new Promise((r) => setTimeout(r, 10));
    throw new WebSocketException(4001, "the handler is done");
  });
  api.websocket("/ws/cache", { sources: { socket: WebSocket, a: Depends(perConnection), b: Depends(usesPerConnection) }, public: true }, ({ socket, a, b }) =>
    socket.send(JSON.stringify({ same: a === b, id: a.id })),
  );
  await app.register(api.plugin());
  t.teardown(() => app.close());
  return { url: await listen(app), app, logs };
}

t.test("a token in the query string, with the scope it needs: accepted", async (t) => {
  const { url } = await securedApp();
  const client = connect(`${url}/ws/items?token=alice-token`);
  t.equal(await client.next(), "hello alice");
  client.socket.send("ping");
  t.equal(await client.next(), "alice: ping");
  client.socket.close(1000);
  t.equal((await within(client.closed)).code, 1000);
});

t.test("an HTTPException in a dependency refuses the handshake with its status and FastAPI's body", async (t) => {
  const { url } = await securedApp();
  const missing = connect(`${url}/ws/items`);
  await t.rejects(missing.opened);
  t.match(await within(missing.refused), { status: 401, body: '{"detail":"Not authenticated"}' }, "no token: the scheme's 401");
  const wrong = connect(`${url}/ws/items?token=nope`);
  const refusedWrong = await within(wrong.refused);
  t.match(refusedWrong, { status: 401, body: '{"detail":"Could not validate credentials"}' });
  t.equal(refusedWrong.headers["www-authenticate"], "Bearer", "with the exception's headers");
  const scopeless = connect(`${url}/ws/items?token=bob-token`);
  t.match(await within(scopeless.refused), { status: 403, body: '{"detail":"Not enough permissions"}' }, "bob lacks the items scope");
});

t.test("any other error in a dependency answers the handshake with a 500 that says nothing more", async (t) => {
  const { url, logs } = await securedApp();
  t.match(await within(connect(`${url}/ws/broken`).refused), { status: 500, body: '{"detail":"Internal Server Error"}' });
  t.ok(logs.some((entry) => entry.level === 50 && (entry as { err?: { message?: string } }).err?.message === "database down"), "logged with its message");
});

t.test("a token in a cookie", async (t) => {
  const { url } = await securedApp();
  t.equal(await connect(`${url}/ws/cookie`, { headers: { cookie: "session=bob-token" } }).next(), "cookie bob");
  t.match(await within(connect(`${url}/ws/cookie`).refused), { status: 401 });
});

t.test("a token in Sec-WebSocket-Protocol (the protocols a browser can set)", async (t) => {
  const { url } = await securedApp();
  t.equal(await connect(`${url}/ws/protocol`, { protocols: ["bearer", "alice-token"] }).next(), "bearer alice");
  const bad = connect(`${url}/ws/protocol`, { protocols: ["alice-token"] });
  t.same(await within(bad.closed), { code: 1008, reason: "expected the protocols bearer, <token>" });
});

t.test("a WebSocketException in a dependency: the handshake is accepted, then closed with its code", async (t) => {
  const { url, logs } = await securedApp();
  const client = connect(`${url}/ws/refuse?code=4403`);
  await client.opened;
  t.same(await within(client.closed), { code: 4403, reason: "refused by a dependency" });
  t.same(await within(connect(`${url}/ws/refuse?code=1008`).closed), { code: 1008, reason: "" }, "1008 by default");
  t.ok(logs.some((entry) => entry.msg === "a WebSocket dependency refused the connection"));
});

t.test("a WebSocketException in the handler closes with its code", async (t) => {
  const { url } = await securedApp();
  const client = connect(`${url}/ws/handler-closes`);
  t.equal(await client.next(), "ready");
  t.same(await within(client.closed), { code: 4001, reason: "the handler is done" });
});

t.test("path, query, header and cookie parameters, validated and coerced", async (t) => {
  const { url } = await securedApp();
  const client = connect(`${url}/ws/items/42?q=7`, { headers: { agent: "tester", cookie: "theme=dark" } });
  t.same(JSON.parse(await client.next()), { itemId: 42, q: 7, agent: "tester", theme: "dark" });
});

t.test("validation errors close with 1008 and the errors as reason, cut to a close frame's 123 bytes", async (t) => {
  const { url, app } = await securedApp();
  const client = connect(`${url}/ws/items/abc?q=x`, { headers: { agent: "no" } });
  await client.opened;
  const closed = await within(client.closed);
  t.equal(closed.code, 1008);
  t.ok(Buffer.byteLength(closed.reason) <= 123, "fits a close frame");
  const items = JSON.parse(closed.reason) as { type: string; loc: string[] }[];
  t.same(items[0], { type: "int_parsing", loc: ["path", "itemId"] }, "FastAPI's error items (type and loc), as JSON");
  t.ok(items.length >= 1 && items.length < 3, "as many items as fit");
  const short = connect(`${url}/ws/refuse?code=12`);
  const frame = await within(short.closed);
  t.equal(frame.code, 1008);
  t.same(JSON.parse(frame.reason), [{ type: "greater_than_equal", loc: ["query", "code"] }], "type and loc of each error, always valid JSON");
  t.ok(app.server.listening, "the server is still up");
});

t.test("the per-connection cache: one value per connection, shared by its uses", async (t) => {
  const { url } = await securedApp();
  const first = JSON.parse(await connect(`${url}/ws/cache`).next()) as { same: boolean; id: number };
  const second = JSON.parse(await connect(`${url}/ws/cache`).next()) as { same: boolean; id: number };
  t.equal(first.same, true);
  t.equal(second.same, true);
  t.equal(second.id, first.id + 1, "computed again for the next connection");
});

t.test("a plain HTTP GET of a WebSocket route is a 404 and runs no dependency", async (t) => {
  const { app } = await securedApp();
  const before = computed;
  const response = await app.inject({ method: "GET", url: "/ws/cache" });
  t.equal(response.statusCode, 404);
  t.equal(computed, before);
});

t.test("the security report lists WebSocket routes; OpenAPI does not", async (t) => {
  const { app } = await securedApp({ openapi: true });
  const report = app.securityReport();
  const items = report.routes.find((route) => route.path === "/ws/items");
  t.equal(items?.method, "WEBSOCKET");
  t.equal(items?.secured, true);
  t.match(items?.requirements, [[{ scheme: "APIKeyQuery", scopes: [{ scope: "items" }] }]]);
  t.equal(report.routes.find((route) => route.path === "/ws/items/{itemId}")?.public, true);
  const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as { paths?: Record<string, unknown>; components?: { securitySchemes?: Record<string, unknown> } };
  t.notOk(Object.keys(document.paths ?? {}).some((path) => path.startsWith("/ws")), "no WebSocket path in OpenAPI");
  t.notOk(document.components?.securitySchemes?.APIKeyQuery, "nor the schemes only WebSocket routes use");
});

t.test("secureByDefault refuses an unsecured WebSocket route unless it is declared public", async (t) => {
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false, secureByDefault: true });
  const api = router();
  api.websocket("/ws/open", { socket: WebSocket }, () => {});
  await t.rejects(async () => void (await app.register(api.plugin())), { name: "DeclarationError", code: "DEPENDS_NOT_PUBLIC", route: "WEBSOCKET /ws/open" });
  await app.close();
  const { url } = await securedApp({ secureByDefault: true });
  t.equal(await connect(`${url}/ws/items?token=alice-token`).next(), "hello alice", "secured and public routes are accepted");
});

t.test("registration refuses what cannot work", async (t) => {
  const withoutPlugin = Fastify();
  await withoutPlugin.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket("/ws", { socket: WebSocket }, () => {});
  await t.rejects(async () => void (await withoutPlugin.register(api.plugin())), { name: "DeclarationError", code: "DEPENDS_WEBSOCKET_PLUGIN_MISSING" });
  await withoutPlugin.close();

  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const inDependency = router();
  const greets = dependency({ socket: WebSocket }, function greets({ socket }) {
    socket.send("hi");
  });
  inDependency.websocket("/ws", { greeting: Depends(greets) }, function greetOnConnect() {});
  await t.rejects(async () => void (await app.register(inDependency.plugin())), { name: "DeclarationError", code: "DEPENDS_WEBSOCKET_SOURCE", path: ["greetOnConnect", "greets"] });
  const onHttp = router();
  onHttp.get("/http", { socket: WebSocket }, () => null);
  const app2 = Fastify();
  await app2.register(dependsPlugin, { openapi: false });
  await t.rejects(async () => void (await app2.register(onHttp.plugin())), { name: "DeclarationError", code: "DEPENDS_WEBSOCKET_SOURCE" });
  t.throws(() => router().websocket("/ws", { socket: WebSocket, nope: 1 } as never, () => {}), { name: "DeclarationError", code: "DEPENDS_UNKNOWN_ROUTE_OPTION" });
  t.throws(() => router().websocket("/ws", { socket: WebSocket } as never, undefined as never), { name: "DeclarationError", code: "DEPENDS_INVALID_HANDLER" });
  t.throws(() => new WebSocketException(1006), RangeError, "a code no endpoint may send");
  t.ok(DeclarationError);
  await app.close();
  await app2.close();
});

t.test("dependency overrides apply to WebSocket routes (and their own parameters are read)", async (t) => {
  const { url, app } = await securedApp();
  const fake = dependency({ as: Query(Type.String()) }, function fakeUser({ as }) {
    return { username: as, scopes: ["me", "items"] };
  });
  const handle = app.dependencyOverrides.set(userFromQuery, fake);
  t.equal(await connect(`${url}/ws/items?as=tester`).next(), "hello tester", "no token needed under the override");
  t.equal((await within(connect(`${url}/ws/items`).closed)).code, 1008, "the override's own parameter is required");
  handle.restore();
  t.match(await within(connect(`${url}/ws/items?as=tester`).refused), { status: 401 }, "restored");
});
