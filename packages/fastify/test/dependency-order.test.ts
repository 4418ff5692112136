// FastAPI's include_router order: app, include, router, route dependencies, then the handler's own
// sources; prefixes and tags compose the same way; route-level Security works inside routers.
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, HTTPException, CurrentRequest, Security, SecurityScopes } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";

function recorder() {
  const order: string[] = [];
  const mark = (name: string) => dependency(() => void order.push(name), { name });
  return { order, mark };
}

t.test("A, I, R, P, then the handler's sources (FastAPI's documented order)", async (t) => {
  const { order, mark } = recorder();
  const r = router({ dependencies: [Depends(mark("R"))] });
  r.get("/items/", { sources: { first: Depends(mark("H1")), second: Depends(mark("H2")) }, dependencies: [Depends(mark("P"))] }, () => order);
  const app = Fastify();
  await app.register(dependsPlugin, { dependencies: [Depends(mark("A"))], openapi: false });
  await app.register(r.plugin({ dependencies: [Depends(mark("I"))] }));
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/items/")).json(), ["A", "I", "R", "P", "H1", "H2"]);
});

t.test("nested includes: outer contexts first, for dependencies, prefixes and tags", async (t) => {
  const { order, mark } = recorder();
  const inner = router({ prefix: "/inner", tags: ["inner"], dependencies: [Depends(mark("inner router"))] });
  inner.get("/leaf", { sources: { h: Depends(mark("handler source")) }, dependencies: [Depends(mark("route"))], tags: ["route"], description: "A leaf" }, () => order);
  const outer = router({ prefix: "/outer", tags: ["outer"], dependencies: [Depends(mark("outer router"))] });
  outer.include(inner, { prefix: "/inc", tags: ["include"], dependencies: [Depends(mark("include"))] });
  const app = Fastify();
  await app.register(dependsPlugin, { dependencies: [Depends(mark("app"))] });
  await app.register(outer.plugin({ prefix: "/v1", tags: ["mount"], dependencies: [Depends(mark("mount"))] }));
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/v1/outer/inc/inner/leaf")).json(), ["app", "mount", "outer router", "include", "inner router", "route", "handler source"]);
  const doc = (await app.inject("/openapi.json")).json();
  const op = doc.paths["/v1/outer/inc/inner/leaf"].get;
  t.strictSame(op.tags, ["mount", "outer", "include", "inner", "route"]);
  t.equal(op.description, "A leaf");
});

t.test("fastify's own register prefix composes with router prefixes", async (t) => {
  const api = router({ prefix: "/users" });
  api.get("/{name}", { request: CurrentRequest }, ({ request }) => request.params);
  const app = Fastify();
  await app.register(dependsPlugin);
  await app.register(api.plugin(), { prefix: "/api" });
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/api/users/ada")).json(), { name: "ada" });
  const doc = (await app.inject("/openapi.json")).json();
  t.equal(doc.paths["/api/users/{name}"].get.operationId, "api_users__name__get", "an anonymous handler's id comes from its path, without a leading underscore");
});

t.test("a dependency used at several levels runs once per request (cache)", async (t) => {
  let calls = 0;
  const shared = dependency(() => ++calls);
  const api = router({ dependencies: [Depends(shared)] });
  api.get("/", { sources: { value: Depends(shared) }, dependencies: [Depends(shared)] }, ({ value }) => ({ value }));
  const app = Fastify();
  await app.register(dependsPlugin, { dependencies: [Depends(shared)], openapi: false });
  await app.register(api.plugin());
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/")).json(), { value: 1 });
  t.equal(calls, 1);
});

t.test("route-level Security in a router: its own call with its scopes, documented with the route's", async (t) => {
  const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read", write: "Write", admin: "Administer" } });
  const seen: string[][] = [];
  const getUser = dependency({ scopes: SecurityScopes, token: Depends(scheme) }, function get_user({ scopes, token }) {
    seen.push([...scopes.scopes]);
    for (const scope of scopes.scopes) if (!token.split(",").includes(scope)) throw new HTTPException(403, `Missing scope ${scope}`);
    return { token };
  });
  const admin = router({ prefix: "/admin", dependencies: [Security(getUser, { scopes: ["admin"] })] });
  admin.get("/items/", { sources: { user: Security(getUser, { scopes: ["write"] }) }, dependencies: [Security(getUser, { scopes: ["read"] })] }, function admin_items({ user }) {
    return user;
  });
  admin.get("/stats/", () => ({ ok: true }));
  const app = Fastify();
  await app.register(dependsPlugin);
  await app.register(admin.plugin());
  t.teardown(() => app.close());

  const res = await app.inject({ url: "/admin/items/", headers: { authorization: "Bearer admin,read,write" } });
  t.strictSame(res.json(), { token: "admin,read,write" });
  t.strictSame(seen, [["admin"], ["read"], ["write"]], "independent sub-trees, as FastAPI (issue 469)");
  const missing = await app.inject({ url: "/admin/items/", headers: { authorization: "Bearer admin,write" } });
  t.equal(missing.statusCode, 403);
  t.strictSame(missing.json(), { detail: "Missing scope read" });
  t.equal((await app.inject("/admin/stats/")).statusCode, 401, "the router's Security guards every route");

  const doc = (await app.inject("/openapi.json")).json();
  t.strictSame(doc.paths["/admin/items/"].get.security, [{ OAuth2PasswordBearer: ["admin", "read", "write"] }]);
  t.strictSame(doc.paths["/admin/stats/"].get.security, [{ OAuth2PasswordBearer: ["admin"] }]);
});

t.test("routers validate their prefixes and refuse cycles", async (t) => {
  t.throws(() => router({ prefix: "users" }), { name: "DeclarationError", code: "DEPENDS_INVALID_PREFIX", message: /must start with "\/"/ });
  t.throws(() => router({ prefix: "/users/" }), { name: "DeclarationError", code: "DEPENDS_INVALID_PREFIX", message: /must not end with "\/"/ });
  const a = router();
  const b = router();
  a.include(b);
  b.include(a);
  a.get("/x", () => 1);
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await t.rejects(async () => void (await app.register(a.plugin())), { name: "DeclarationError", code: "DEPENDS_INCLUDE_CYCLE", message: /cannot include itself/ });
});
