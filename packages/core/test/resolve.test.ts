// resolve(): a dependency with its tree, outside HTTP, reusing an application's app-scoped values.
import t from "tap";
import { Type } from "typebox";
import { compileRoute, createRequest, CurrentRequest, Depends, dependency, DependencyOverrides, Header, resolve } from "@depends/core";
import { CompileCache } from "@depends/core/adapter";

t.test("runs the tree, reuses the application's app-scoped values, tears down with await using", async (t) => {
  const log: string[] = [];
  const cache = new CompileCache();
  const pool = dependency(async function* pool() { log.push("pool up"); yield { id: "pool" }; log.push("pool down"); });
  const session = dependency({ pool: Depends(pool, { scope: "app" }) }, function* session({ pool }) { log.push("session up"); yield { pool }; log.push("session down"); });
  compileRoute({ method: "GET", path: "/", sources: { s: Depends(session) }, handler: () => 1 }, { cache });
  await cache.appScope.start();
  let fromRoute: unknown;
  {
    await using s = await resolve(session, { app: cache.appScope });
    fromRoute = s.value.pool;
    t.same(log, ["pool up", "session up"], "the pool is the application's, not a new one");
  }
  t.same(log, ["pool up", "session up", "session down"], "request-scoped teardown at the end of the block; the pool stays");
  await using again = await resolve(pool, { app: cache.appScope });
  t.equal(again.value, fromRoute);
  await cache.appScope.close();
  t.same(log.at(-1), "pool down");
});

t.test("without an application, app-scoped values live as long as the result", async (t) => {
  const log: string[] = [];
  const pool = dependency(function* pool() { log.push("up"); yield 1; log.push("down"); });
  const user = dependency({ pool: Depends(pool, { scope: "app" }) }, ({ pool }) => pool + 1);
  const resolved = await resolve(user);
  t.equal(resolved.value, 2);
  await resolved.close();
  await resolved.close();
  t.same(log, ["up", "down"]);
});

t.test("request sources are refused unless a request is given", async (t) => {
  const agent = dependency({ ua: Header(Type.String()) }, ({ ua }) => ua, { name: "agent" });
  const path = dependency({ request: CurrentRequest }, ({ request }) => request.method, { name: "method" });
  await t.rejects(resolve(agent), { name: "DeclarationError", code: "DEPENDS_REQUEST_OUTSIDE_HTTP", message: /"agent" reads the request/ });
  await t.rejects(resolve(path), { code: "DEPENDS_REQUEST_OUTSIDE_HTTP" });
  await using ua = await resolve(agent, { request: createRequest({ headers: { ua: "curl" } }) });
  t.equal(ua.value, "curl");
});

t.test("overrides apply: given, or the application's", async (t) => {
  const real = dependency(() => "real");
  const overrides = new DependencyOverrides();
  overrides.set(real, dependency(() => "fake"));
  await using given = await resolve(real, { overrides });
  t.equal(given.value, "fake");
  const cache = new CompileCache();
  cache.appScope.overrides = overrides;
  await using fromApp = await resolve(real, { app: cache.appScope });
  t.equal(fromApp.value, "fake");
});

t.test("a teardown error rejects close(); a failing dependency rejects resolve()", async (t) => {
  const bad = dependency(function* bad() { yield 1; throw new Error("cannot close"); });
  const resolved = await resolve(bad);
  await t.rejects(resolved.close(), /cannot close/);
  await t.rejects(resolve(dependency(() => { throw new Error("boom"); })), /boom/);
});
