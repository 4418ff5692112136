// Unmatched requests: FastAPI's 404, 405 with Allow, and the trailing-slash 307 (redirect_slashes).
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Path } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

async function app(options: { redirectSlashes?: boolean } = {}) {
  const server = Fastify();
  await server.register(dependsPlugin, { openapi: false, ...options });
  const api = router({ prefix: "/users" });
  api.get("/me/", () => ({ me: true }));
  api.get("", () => ["alice"]);
  const items = router({ prefix: "/items" });
  items.get("/{itemId}", { itemId: Path(Type.Integer()) }, ({ itemId }) => ({ itemId }));
  items.put("/{itemId}", { itemId: Path(Type.Integer()) }, ({ itemId }) => ({ updated: itemId }));
  await server.register(api.plugin());
  await server.register(items.plugin());
  server.get("/plain-fastify", async () => "plain");
  await server.ready();
  return server;
}

t.test("unknown path: 404 {detail: Not Found}", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const res = await server.inject("/nowhere");
  t.equal(res.statusCode, 404);
  t.strictSame(res.json(), { detail: "Not Found" });
  t.strictSame((await server.inject("/")).json(), { detail: "Not Found" }, "the root is never redirected");
});

t.test("known path, wrong method: 405 {detail: Method Not Allowed} with Allow", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const res = await server.inject({ method: "DELETE", url: "/items/42" });
  t.equal(res.statusCode, 405);
  t.strictSame(res.json(), { detail: "Method Not Allowed" });
  t.equal(res.headers.allow, "GET, HEAD, PUT");
  const post = await server.inject({ method: "POST", url: "/users/me/" });
  t.equal(post.statusCode, 405);
  t.equal(post.headers.allow, "GET, HEAD");
  const plain = await server.inject({ method: "POST", url: "/plain-fastify" });
  t.equal(plain.statusCode, 405, "routes declared with plain fastify are known too");
});

t.test("a path differing by its trailing slash: 307 to the registered one, query kept", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const added = await server.inject("/users/me?verbose=1&x=%20");
  t.equal(added.statusCode, 307);
  t.equal(added.headers.location, "/users/me/?verbose=1&x=%20");
  t.equal(added.body, "");
  const removed = await server.inject({ method: "PUT", url: "/items/42/" });
  t.equal(removed.statusCode, 307, "307 keeps the method and body");
  t.equal(removed.headers.location, "/items/42");
  const prefixRoot = await server.inject("/users/");
  t.equal(prefixRoot.statusCode, 307);
  t.equal(prefixRoot.headers.location, "/users");
  t.strictSame((await server.inject("/users")).json(), ["alice"]);
  t.equal((await server.inject("/users/me/extra/")).statusCode, 404);
});

t.test("405 wins over the redirect, as in Starlette", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const res = await server.inject({ method: "DELETE", url: "/users/me/" });
  t.equal(res.statusCode, 405);
});

t.test("redirectSlashes: false answers 404 instead", async (t) => {
  const server = await app({ redirectSlashes: false });
  t.teardown(() => server.close());
  const res = await server.inject("/users/me");
  t.equal(res.statusCode, 404);
  t.strictSame(res.json(), { detail: "Not Found" });
});
