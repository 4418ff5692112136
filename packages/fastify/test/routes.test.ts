// Route declaration and answers: methods, statuses, path syntaxes, response schemas, handler
// results, taking over the reply, overrides, and declaration errors at registration.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Body, DeclarationError, Depends, dependency, Path, Query, RawReply, RawRequest, CurrentRequest } from "@depends/core";
import { defineDependency } from "@depends/core/adapter";
import { dependsPlugin, router } from "@depends/fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    owner?: string;
  }
}

async function mount(api: ReturnType<typeof router>, options: Parameters<typeof dependsPlugin>[1] = {}) {
  const app = Fastify();
  app.addHttpMethod("SEARCH", { hasBody: true });
  await app.register(dependsPlugin, options);
  await app.register(api.plugin());
  await app.ready();
  return app;
}

t.test("every method, with statuses and both path syntaxes", async (t) => {
  const api = router({ prefix: "/items" });
  const id = { itemId: Path(Type.Integer()) };
  api.get("/{itemId}", id, ({ itemId }) => ({ method: "GET", itemId }));
  api.post("/", { sources: { item: Body(Type.Object({ name: Type.String() })) }, status: 201 }, ({ item }) => ({ created: item.name }));
  api.put("/:itemId", id, ({ itemId }) => ({ method: "PUT", itemId }));
  api.patch("/{itemId}", id, ({ itemId }) => ({ method: "PATCH", itemId }));
  api.delete("/{itemId}", { sources: id, status: 204 }, () => undefined);
  api.options("/", () => ({ methods: ["GET", "POST"] }));
  api.head("/probe", () => null);
  api.route({ method: "SEARCH", path: "/", sources: { q: Query(Type.String()) }, handler: ({ q }) => ({ searched: q }) });
  const app = await mount(api);
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/items/3")).json(), { method: "GET", itemId: 3 });
  const created = await app.inject({ method: "POST", url: "/items/", payload: { name: "Foo" } });
  t.equal(created.statusCode, 201);
  t.strictSame(created.json(), { created: "Foo" });
  t.strictSame((await app.inject({ method: "PUT", url: "/items/4" })).json(), { method: "PUT", itemId: 4 });
  t.strictSame((await app.inject({ method: "PATCH", url: "/items/5" })).json(), { method: "PATCH", itemId: 5 });
  const deleted = await app.inject({ method: "DELETE", url: "/items/6" });
  t.equal(deleted.statusCode, 204);
  t.equal(deleted.body, "");
  t.strictSame((await app.inject({ method: "OPTIONS", url: "/items/" })).json(), { methods: ["GET", "POST"] });
  t.equal((await app.inject({ method: "HEAD", url: "/items/probe" })).statusCode, 200);
  t.equal((await app.inject({ method: "HEAD", url: "/items/3" })).statusCode, 200, "GET routes answer HEAD");
  t.strictSame((await app.inject({ method: "SEARCH", url: "/items/?q=foo" })).json(), { searched: "foo" });
});

t.test("response schemas serialise and drop undeclared fields (response_model)", async (t) => {
  const User = Type.Object({ username: Type.String(), email: Type.Optional(Type.String()) });
  const userInDb = { username: "johndoe", email: "j@example.com", hashed_password: "$argon2id$secret" };
  const getUser = dependency(async () => userInDb);
  const api = router();
  api.get("/me", { sources: { user: Depends(getUser) }, response: { 200: User } }, ({ user }) => user);
  api.get("/list", { sources: {}, response: { 200: Type.Array(User) } }, () => [userInDb, { username: "alice", hashed_password: "x" }]);
  api.get("/raw", { user: Depends(getUser) }, ({ user }) => user);
  const app = await mount(api);
  t.teardown(() => app.close());
  const me = await app.inject("/me");
  t.strictSame(me.json(), { username: "johndoe", email: "j@example.com" });
  t.notMatch(me.body, /hashed_password/);
  t.strictSame((await app.inject("/list")).json(), [{ username: "johndoe", email: "j@example.com" }, { username: "alice" }]);
  t.match((await app.inject("/raw")).json(), { hashed_password: "$argon2id$secret" }, "no schema, no filtering");
});

t.test("handler results are JSON, as in FastAPI", async (t) => {
  const api = router();
  api.get("/string", () => "hello");
  api.get("/undefined", () => undefined);
  api.get("/null", () => null);
  api.get("/number", async () => 42);
  api.get("/html", { reply: RawReply }, ({ reply }) => {
    reply.type("text/html");
    return "<p>hi</p>";
  });
  const app = await mount(api);
  t.teardown(() => app.close());
  const string = await app.inject("/string");
  t.equal(string.body, '"hello"');
  t.match(string.headers["content-type"], /^application\/json/);
  t.equal((await app.inject("/undefined")).body, "null");
  t.equal((await app.inject("/null")).body, "null");
  t.equal((await app.inject("/number")).body, "42");
  const html = await app.inject("/html");
  t.equal(html.body, "<p>hi</p>", "a content type chosen by the handler wins");
  t.match(html.headers["content-type"], /^text\/html/);
});

t.test("a handler may take over the reply", async (t) => {
  const api = router();
  api.get("/stream", { reply: RawReply, req: RawRequest }, ({ reply, req }) => reply.code(202).header("x-seen", req.url).send({ took: "over" }));
  api.get("/async", { reply: RawReply }, async ({ reply }) => {
    await reply.code(203).send({ async: true });
    return reply;
  });
  api.get("/hijack", { reply: RawReply }, ({ reply }) => {
    reply.hijack();
    reply.raw.writeHead(200, { "content-type": "text/plain" });
    reply.raw.end("raw");
    return reply;
  });
  api.get("/view", { request: CurrentRequest }, ({ request }) => ({ method: request.method, url: request.url, cookies: request.cookies, isFastify: typeof request.raw.id === "string" }));
  const app = await mount(api);
  t.teardown(() => app.close());
  const stream = await app.inject("/stream?x=1");
  t.equal(stream.statusCode, 202);
  t.strictSame(stream.json(), { took: "over" });
  t.equal(stream.headers["x-seen"], "/stream?x=1");
  const asyncRes = await app.inject("/async");
  t.equal(asyncRes.statusCode, 203);
  t.strictSame(asyncRes.json(), { async: true });
  t.equal((await app.inject("/hijack")).body, "raw");
  t.strictSame((await app.inject({ url: "/view?a=1", headers: { cookie: "a=1; b=%20x" } })).json(), { method: "GET", url: "/view?a=1", cookies: { a: "1", b: " x" }, isFastify: true });
});

t.test("app.dependencyOverrides replaces dependencies in tests, restored with using", async (t) => {
  const getUser = dependency(() => ({ name: "real" }));
  const api = router();
  api.get("/me", { user: Depends(getUser) }, ({ user }) => user);
  const app = await mount(api);
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/me")).json(), { name: "real" });
  {
    using _ = app.dependencyOverrides.set(getUser, dependency(() => ({ name: "fake" })));
    t.strictSame((await app.inject("/me")).json(), { name: "fake" });
  }
  t.strictSame((await app.inject("/me")).json(), { name: "real" });
});

t.test("declaration errors reject the registration, naming the route", async (t) => {
  const api = router({ prefix: "/items" });
  api.get("/{itemId}", { id: Path(Type.Integer()) }, ({ id }) => id);
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const error = await app.register(api.plugin()).then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof DeclarationError);
  t.match(error, { code: "DEPENDS_UNKNOWN_PATH_PARAM", route: "GET /items/:itemId", message: /route GET \/items\/:itemId/ });
});

t.test("a dependency passed without Depends() is refused, not read as an option", async (t) => {
  const getUser = dependency(() => ({ name: "x" }));
  const api = router();
  // What a JavaScript caller (or a cast) can write: TypeScript rejects it.
  t.throws(() => api.get("/me", { user: getUser } as never, () => 1), { name: "DeclarationError", code: "DEPENDS_UNKNOWN_ROUTE_OPTION", route: "GET /me", message: /"user" is neither a source nor a route option/ });
  t.throws(() => api.get("/me", { sources: {}, summry: "typo" } as never, () => 1), { message: /"summry"/ });
});

t.test("two different security schemes with one name fail at startup, naming both routes", async (t) => {
  const scheme = (tokenUrl: string) =>
    defineDependency<string>({
      name: "OAuth2PasswordBearer",
      sources: {},
      call: () => "token",
      scheme: { name: "OAuth2PasswordBearer", object: { type: "oauth2", flows: { password: { scopes: {}, tokenUrl } } } },
    });
  const api = router();
  api.get("/a", { token: Depends(scheme("token")) }, ({ token }) => token);
  api.get("/b", { token: Depends(scheme("other/token")) }, ({ token }) => token);
  const app = Fastify();
  await app.register(dependsPlugin);
  const error = await app.register(api.plugin()).then(() => undefined, (e: unknown) => e);
  t.match(error, { name: "DeclarationError", code: "DEPENDS_SCHEME_NAME_CONFLICT", message: /GET \/a.*GET \/b/ });
});

t.test("a router needs dependsPlugin first; the plugin registers once", async (t) => {
  const api = router();
  api.get("/", () => 1);
  const bare = Fastify();
  const missing = await bare.register(api.plugin()).then(() => undefined, (e: unknown) => e);
  t.match(missing, { code: "FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED", message: /@depends\/fastify/ });
  const twice = Fastify();
  await twice.register(dependsPlugin, { openapi: false });
  const again = await twice.register(dependsPlugin, { openapi: false }).then(() => undefined, (e: unknown) => e);
  t.match(again, { message: /registered twice/ });
});

t.test("extra fastify route options pass through, hooks combined with the plugin's", async (t) => {
  const seen: string[] = [];
  const session = dependency(function* session() {
    yield "s";
    seen.push("teardown");
  });
  const api = router();
  api.post("/small", {
    sources: { s: Depends(session), body: Body(Type.Object({ text: Type.String() })) },
    fastify: { bodyLimit: 20, onResponse: async () => void seen.push("their onResponse") },
  }, ({ s, body }) => ({ s, body }));
  api.get("/config", { sources: { request: RawRequest }, fastify: { config: { owner: "team-a" } } }, ({ request }) => request.routeOptions.config);
  const app = await mount(api, { openapi: false });
  t.teardown(() => app.close());
  t.equal((await app.inject({ method: "POST", url: "/small", payload: { text: "x".repeat(50) } })).statusCode, 413);
  t.strictSame((await app.inject({ method: "POST", url: "/small", payload: { text: "hi" } })).json(), { s: "s", body: { text: "hi" } });
  await new Promise((r) => setTimeout(r, 20));
  t.strictSame(seen, ["their onResponse", "their onResponse", "teardown"], "the 413 never reached the dependency; then both hooks ran, theirs first");
  t.match((await app.inject("/config")).json(), { owner: "team-a", url: "/config", method: "GET" });
});
