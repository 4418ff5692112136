// App-scoped dependencies (`Depends(dep, { scope: "app" })`) through the core API: one value per
// application, made at start in dependency order, torn down last-made first on close.
import t from "tap";
import { AppScopeError, compileRoute, createRequest, DeclarationError, Depends, dependency, DependencyOverrides } from "@depends/core";
import { CompileCache } from "@depends/core/adapter";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function app() {
  const cache = new CompileCache();
  const overrides = new DependencyOverrides();
  cache.appScope.overrides = overrides;
  return { cache, overrides, scope: cache.appScope };
}

t.test("each kind of dependency is made once at start and reused by every request", async (t) => {
  const { cache, scope } = app();
  const log: string[] = [];
  const plain = dependency(function plain() { log.push("plain"); return { n: 1 }; });
  const later = dependency(async function later() { log.push("async"); await sleep(1); return { n: 2 }; });
  const gen = dependency(function* gen() { log.push("gen"); yield { n: 3 }; log.push("gen down"); });
  const agen = dependency(async function* agen() { log.push("agen"); yield { n: 4 }; log.push("agen down"); });
  const route = compileRoute(
    { method: "GET", path: "/", sources: { a: Depends(plain, { scope: "app" }), b: Depends(later, { scope: "app" }), c: Depends(gen, { scope: "app" }), d: Depends(agen, { scope: "app" }) }, handler: (v) => v },
    { cache },
  );
  t.same(log, [], "nothing is made at registration");
  await scope.start();
  t.same([...log].sort(), ["agen", "async", "gen", "plain"]);
  const first = await route.execute(createRequest());
  const second = await route.execute(createRequest());
  t.same(first, { a: { n: 1 }, b: { n: 2 }, c: { n: 3 }, d: { n: 4 } });
  t.equal(first.a, second.a, "the same object across requests");
  t.equal(first.d, second.d);
  t.equal(log.length, 4, "no dependency ran again");
  t.equal(scope.size, 4);
  await scope.close();
  t.same(log.slice(4).sort(), ["agen down", "gen down"]);
  t.equal(scope.size, 0);
});

t.test("start follows dependency order, independent ones concurrently; close tears down in reverse", async (t) => {
  const { cache, scope } = app();
  const log: string[] = [];
  const tracked = (name: string, ms: number, sources = {}) =>
    dependency(sources, async function* () {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`up ${name}`);
      yield name;
      log.push(`down ${name}`);
    }, { name });
  const config = tracked("config", 5);
  const pool = tracked("pool", 20, { config: Depends(config) });
  const client = tracked("client", 20, { config: Depends(config) });
  const store = tracked("store", 1, { pool: Depends(pool), client: Depends(client) });
  compileRoute({ method: "GET", path: "/", sources: { store: Depends(store, { scope: "app" }) }, handler: ({ store }) => store }, { cache });
  await scope.start();
  t.same(log.slice(0, 2), ["start config", "up config"], "config first");
  t.same(log.slice(2, 4).sort(), ["start client", "start pool"], "pool and client start together");
  t.same(log.slice(-2), ["start store", "up store"], "store last");
  log.length = 0;
  await scope.close();
  t.equal(log[0], "down store");
  t.same(log.slice(1, 3).sort(), ["down client", "down pool"]);
  t.equal(log[3], "down config");
});

t.test("a teardown that throws is reported and the others still run", async (t) => {
  const { cache, scope } = app();
  const log: string[] = [];
  const a = dependency(function* a() { yield "a"; log.push("down a"); });
  const b = dependency({ a: Depends(a) }, function* b() { yield "b"; throw new Error("b teardown failed"); });
  const c = dependency({ b: Depends(b) }, function* c() { yield "c"; log.push("down c"); });
  compileRoute({ method: "GET", path: "/", name: "h", sources: { c: Depends(c, { scope: "app" }) }, handler: ({ c }) => c }, { cache });
  await scope.start();
  const reported: string[] = [];
  const errors = await scope.close({ onError: (error, path) => reported.push(`${path.join(" -> ")}: ${(error as Error).message}`) });
  t.same(log, ["down c", "down a"]);
  t.same(reported, ["h -> c -> b: b teardown failed"]);
  t.equal(errors.length, 1);
});

t.test("a startup failure rejects with the dependency path and leaves nothing open", async (t) => {
  const { cache, scope } = app();
  const log: string[] = [];
  const pool = dependency(async function* pool() { log.push("pool up"); yield "pool"; log.push("pool down"); });
  const slow = dependency(async function* slow() { await sleep(10); log.push("slow up"); yield "slow"; log.push("slow down"); });
  const broken = dependency({ pool: Depends(pool) }, async function broken() { throw new Error("cannot connect"); });
  compileRoute({ method: "GET", path: "/", name: "readItems", sources: { b: Depends(broken, { scope: "app" }), s: Depends(slow, { scope: "app" }) }, handler: () => 1 }, { cache });
  const error = await scope.start().then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof AppScopeError);
  t.equal((error as AppScopeError).code, "DEPENDS_APP_SCOPE_FAILED");
  t.same((error as AppScopeError).path, ["readItems", "broken"]);
  t.match((error as AppScopeError).message, /readItems -> broken: cannot connect/);
  t.same(log, ["pool up", "slow up", "slow down", "pool down"], "what started was torn down, last made first");
  t.equal(scope.size, 0);
});

t.test("lazy: made on first use, not at start; a failure there is retried by the next use", async (t) => {
  const { cache, scope } = app();
  let made = 0;
  let fail = true;
  const heavy = dependency(async function heavy() {
    made++;
    if (fail) throw new Error("not yet");
    return { made };
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { h: Depends(heavy, { scope: "app", lazy: true }) }, handler: ({ h }) => h }, { cache });
  await scope.start();
  t.equal(made, 0);
  await t.rejects(route.execute(createRequest()), { name: "AppScopeError", path: ["handler", "heavy"] });
  fail = false;
  t.same(await route.execute(createRequest()), { made: 2 });
  t.same(await route.execute(createRequest()), { made: 2 });
  await scope.close();
  t.throws(() => route.run(createRequest()), /application is closed/);
});

t.test("a request-scoped dependency may use an app-scoped one; both caches hold", async (t) => {
  const { cache, scope } = app();
  const pool = dependency(() => ({ id: Math.random() }));
  let sessions = 0;
  const session = dependency({ pool: Depends(pool, { scope: "app" }) }, function* session({ pool }) { sessions++; yield { pool }; });
  const route = compileRoute({ method: "GET", path: "/", sources: { s: Depends(session), p: Depends(pool, { scope: "app" }) }, handler: ({ s, p }) => s.pool === p }, { cache });
  await scope.start();
  t.equal(await route.execute(createRequest()), true);
  t.equal(sessions, 1);
});

t.test("an override of an app-scoped dependency takes effect for the next request; the replaced value is torn down", async (t) => {
  const { cache, overrides, scope } = app();
  const log: string[] = [];
  const real = dependency(function* store() { log.push("real up"); yield "real"; log.push("real down"); });
  const fake = dependency(function* fakeStore() { log.push("fake up"); yield "fake"; log.push("fake down"); });
  const user = dependency({ store: Depends(real) }, ({ store }) => `user from ${store}`);
  const route = compileRoute({ method: "GET", path: "/", sources: { u: Depends(user, { scope: "app" }) }, handler: ({ u }) => u }, { cache, overrides });
  await scope.start();
  t.equal(await route.execute(createRequest()), "user from real");
  {
    using _ = overrides.set(real, fake);
    t.equal(await route.execute(createRequest()), "user from fake");
    await sleep(1);
    t.same(log, ["real up", "real down", "fake up"]);
  }
  t.equal(await route.execute(createRequest()), "user from real");
  await sleep(1);
  t.same(log, ["real up", "real down", "fake up", "fake down", "real up"]);
  await scope.close();
  t.equal(log.at(-1), "real down");
});

t.test("an override in place at start replaces the original, which never runs", async (t) => {
  const { cache, overrides, scope } = app();
  const real = dependency((): string => { throw new Error("would connect"); }, { name: "real" });
  overrides.set(real, dependency(() => "fake"));
  const route = compileRoute({ method: "GET", path: "/", sources: { r: Depends(real, { scope: "app" }) }, handler: ({ r }) => r }, { cache, overrides });
  await scope.start();
  t.equal(await route.execute(createRequest()), "fake");
});

t.test("two applications never share a value", async (t) => {
  const pool = dependency(() => ({}));
  const one = app();
  const two = app();
  const definition = { method: "GET", path: "/", sources: { p: Depends(pool, { scope: "app" }) }, handler: ({ p }: { p: object }) => p } as const;
  const a = compileRoute(definition, { cache: one.cache });
  const b = compileRoute(definition, { cache: two.cache });
  await Promise.all([one.scope.start(), two.scope.start()]);
  t.not(await a.execute(createRequest()), await b.execute(createRequest()));
});

t.test("lifetime rules are checked at registration, with stable codes", async (t) => {
  const { cache } = app();
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof DeclarationError ? `${error.code} at ${error.path.join(" -> ")}` : String(error);
    }
    return "no error";
  };
  const compile = (dep: Parameters<typeof Depends>[0]) => () => compileRoute({ method: "GET", path: "/", name: "h", sources: { d: Depends(dep, { scope: "app" }) }, handler: () => 1 }, { cache });
  const { Query, Header, CurrentRequest, SecurityScopes, Security } = await import("@depends/core");
  const { Type } = await import("typebox");
  t.equal(code(compile(dependency({ q: Query(Type.String()) }, () => 1, { name: "withQuery" }))), "DEPENDS_APP_SCOPE_REQUEST_SOURCE at h -> withQuery");
  t.equal(code(compile(dependency({ h: Header(Type.String()) }, () => 1, { name: "withHeader" }))), "DEPENDS_APP_SCOPE_REQUEST_SOURCE at h -> withHeader");
  t.equal(code(compile(dependency({ r: CurrentRequest }, () => 1, { name: "withRequest" }))), "DEPENDS_APP_SCOPE_REQUEST_SOURCE at h -> withRequest");
  t.equal(code(compile(dependency({ s: SecurityScopes }, () => 1, { name: "withScopes" }))), "DEPENDS_APP_SCOPE_REQUEST_SOURCE at h -> withScopes");
  const leaf = dependency(() => 1, { name: "leaf" });
  t.equal(code(compile(dependency({ l: Security(leaf, { scopes: ["me"] }) }, () => 1, { name: "secured" }))), "DEPENDS_APP_SCOPE_REQUEST_SOURCE at h -> secured");
  const deep = dependency({ r: CurrentRequest }, () => 1, { name: "deep" });
  t.equal(code(compile(dependency({ d: Depends(deep) }, () => 1, { name: "outer" }))), "DEPENDS_APP_SCOPE_REQUEST_SOURCE at h -> outer -> deep", "anywhere below");
  const session = dependency(function* session() { yield 1; });
  t.equal(code(compile(dependency({ s: Depends(session, { scope: "request" }) }, () => 1, { name: "pool" }))), "DEPENDS_APP_SCOPE_SHORTER_LIFETIME at h -> pool");
  t.equal(code(compile(dependency({ s: Depends(session, { scope: "function" }) }, () => 1, { name: "pool" }))), "DEPENDS_APP_SCOPE_SHORTER_LIFETIME at h -> pool");
  t.equal(code(() => Depends(leaf, { lazy: true } as never)), "DEPENDS_INVALID_SOURCE at ");
  t.equal(code(compile(dependency(() => 1))), "no error");
});
