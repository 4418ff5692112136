// App-scoped dependencies on fastify: made in onReady, torn down on app.close(), last made first.
import t from "tap";
import Fastify from "fastify";
import { AppScopeError, Depends, dependency } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

function logged() {
  const logs: { level: number; msg: string; dependency?: string; err?: { message: string } }[] = [];
  const app = Fastify({ logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line)) } } });
  return { app, logs };
}

t.test("made once at ready, shared by every route, torn down in reverse order on close", async (t) => {
  const { app } = logged();
  const log: string[] = [];
  const settings = dependency(function settings() { log.push("settings"); return { url: "db://" }; });
  const pool = dependency({ settings: Depends(settings) }, async function* pool({ settings }) {
    log.push(`pool up ${settings.url}`);
    yield { query: () => 42 };
    log.push("pool down");
  });
  const cacheClient = dependency(async function* cacheClient() { log.push("cache up"); yield new Map<string, number>(); log.push("cache down"); });
  const api = router();
  api.get("/a", { pool: Depends(pool, { scope: "app" }) }, ({ pool }) => ({ n: pool.query() }));
  api.get("/b", { pool: Depends(pool, { scope: "app" }), cache: Depends(cacheClient, { scope: "app" }) }, ({ pool, cache }) => ({ n: pool.query(), size: cache.size }));
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  t.same(log, [], "nothing before ready");
  await app.ready();
  t.same(log.slice(0, 1), ["settings"]);
  t.ok(log.includes("pool up db://") && log.includes("cache up"));
  t.equal(app.appScope.size, 3);
  t.same((await app.inject("/a")).json(), { n: 42 });
  t.same((await app.inject("/b")).json(), { n: 42, size: 0 });
  t.equal(log.filter((l) => l.startsWith("pool up")).length, 1);
  const made = log.slice(1);
  await app.close();
  const downs = log.slice(1 + made.length);
  t.same(downs, made.map((m) => m.replace(/ up.*/, " down")).reverse(), "reverse order of creation");
});

t.test("a startup failure rejects ready() with the dependency path; what started is torn down", async (t) => {
  const { app } = logged();
  const log: string[] = [];
  const pool = dependency(async function* pool() { log.push("pool up"); yield 1; log.push("pool down"); });
  const store = dependency({ pool: Depends(pool) }, async function userStore() { throw new Error("connection refused"); });
  const api = router();
  api.get("/users", { sources: { store: Depends(store, { scope: "app" }) }, name: "listUsers" }, () => []);
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  const error = await app.ready().then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof AppScopeError, "ready() rejects with an AppScopeError");
  t.same((error as AppScopeError).path, ["listUsers", "userStore"]);
  t.match(String((error as Error).message), "listUsers -> userStore: connection refused");
  t.same(log, ["pool up", "pool down"], "nothing half-started stays open");
  await app.close();
  t.same(log, ["pool up", "pool down"], "close does not tear down twice");
});

t.test("teardown errors on close are logged with the dependency; every other teardown runs", async (t) => {
  const { app, logs } = logged();
  const log: string[] = [];
  const a = dependency(function* a() { yield 1; log.push("a down"); });
  const b = dependency({ a: Depends(a) }, function* b() { yield 2; throw new Error("b cannot close"); });
  const c = dependency({ b: Depends(b) }, function* c() { yield 3; log.push("c down"); });
  const api = router();
  api.get("/", { sources: { c: Depends(c, { scope: "app" }) }, name: "root" }, ({ c }) => c);
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  await app.ready();
  await app.close();
  t.same(log, ["c down", "a down"]);
  const entry = logs.find((l) => l.msg === "app-scoped dependency teardown failed");
  t.equal(entry?.dependency, "root -> c -> b");
  t.equal(entry?.err?.message, "b cannot close");
});

t.test("app.dependencyOverrides replaces an app-scoped dependency for the next requests, tearing the replaced one down", async (t) => {
  const { app } = logged();
  const log: string[] = [];
  const store = dependency(async function* store() { log.push("real up"); yield "real"; log.push("real down"); });
  const api = router();
  api.get("/", { store: Depends(store, { scope: "app" }) }, ({ store }) => ({ store }));
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  await app.ready();
  t.same((await app.inject("/")).json(), { store: "real" });
  {
    using _ = app.dependencyOverrides.set(store, dependency(() => "fake"));
    t.same((await app.inject("/")).json(), { store: "fake" });
    t.same(log, ["real up", "real down"]);
  }
  t.same((await app.inject("/")).json(), { store: "real" });
  await app.close();
  t.same(log, ["real up", "real down", "real up", "real down"]);
});

t.test("overrides set before ready: the original never starts", async (t) => {
  const { app } = logged();
  const store = dependency(() => {
    throw new Error("would connect to production");
  }, { name: "store" });
  const api = router();
  api.get("/", { store: Depends(store, { scope: "app" }) }, ({ store }) => ({ store }));
  await app.register(dependsPlugin, { openapi: false });
  app.dependencyOverrides.set(store, dependency(() => "fake" as never));
  await app.register(api.plugin());
  await app.ready();
  t.same((await app.inject("/")).json(), { store: "fake" });
  await app.close();
});

t.test("a lifetime mistake rejects the registration with its code", async (t) => {
  const { app } = logged();
  const session = dependency(function* session() { yield 1; });
  const pool = dependency({ s: Depends(session, { scope: "request" }) }, () => 1, { name: "pool" });
  const api = router();
  api.get("/", { pool: Depends(pool, { scope: "app" }) }, () => 1);
  await app.register(dependsPlugin, { openapi: false });
  await t.rejects(async () => {
    await app.register(api.plugin());
  }, { code: "DEPENDS_APP_SCOPE_SHORTER_LIFETIME", path: ["GET /", "pool"] });
});
