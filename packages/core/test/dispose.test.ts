// `dependency(fn, { dispose: true })`: the value's [Symbol.asyncDispose]/[Symbol.dispose] runs at the
// end of its scope, exactly where a generator's teardown would.
import t from "tap";
import { compileRoute, createRequest, Depends, dependency, HTTPException, resolve } from "@depends/core";
import { CompileCache } from "@depends/core/adapter";

class Resource {
  constructor(readonly log: string[], readonly name: string) {}
  async [Symbol.asyncDispose](): Promise<void> {
    this.log.push(`dispose ${this.name}`);
  }
}

class SyncResource {
  constructor(readonly log: string[]) {}
  [Symbol.dispose](): void {
    this.log.push("dispose sync");
  }
}

t.test("disposed after the handler, last made first, like generators", async (t) => {
  const log: string[] = [];
  const a = dependency(async () => new Resource(log, "a"), { dispose: true, name: "a" });
  const b = dependency({ a: Depends(a) }, () => new SyncResource(log), { dispose: true });
  const gen = dependency({ b: Depends(b) }, function* gen() { yield 1; log.push("gen teardown"); });
  const route = compileRoute({ method: "GET", path: "/", sources: { g: Depends(gen), a: Depends(a) }, handler: () => void log.push("handler") });
  await route.execute(createRequest());
  t.same(log, ["handler", "gen teardown", "dispose sync", "dispose a"]);
});

t.test("function scope disposes before the request scope; an error still disposes and reaches the caller", async (t) => {
  const log: string[] = [];
  const early = dependency(() => new Resource(log, "early"), { dispose: true, name: "early" });
  const late = dependency(() => new Resource(log, "late"), { dispose: true, name: "late" });
  const route = compileRoute({
    method: "GET", path: "/",
    sources: { l: Depends(late), e: Depends(early, { scope: "function" }) },
    handler: () => { log.push("handler"); throw new HTTPException(418, "teapot"); },
  });
  await t.rejects(route.execute(createRequest()), { message: "teapot" });
  t.same(log, ["handler", "dispose early", "dispose late"]);
});

t.test("without dispose: true a disposable value is never disposed (shared objects stay open)", async (t) => {
  const log: string[] = [];
  const shared = new Resource(log, "shared");
  const route = compileRoute({ method: "GET", path: "/", sources: { s: Depends(dependency(() => shared)) }, handler: () => 1 });
  await route.execute(createRequest());
  t.same(log, []);
});

t.test("a value that cannot be disposed fails the request; a generator cannot declare dispose", async (t) => {
  const route = compileRoute({ method: "GET", path: "/", sources: { v: Depends(dependency(() => ({}), { dispose: true, name: "plain" })) }, handler: () => 1 });
  await t.rejects(route.execute(createRequest()), /"plain" is declared `dispose: true` but its value has neither/);
  t.throws(() => dependency(function* g() { yield 1; }, { dispose: true }), { name: "DeclarationError", code: "DEPENDS_INVALID_DEPENDENCY" });
});

t.test("an app-scoped disposable is disposed when the application closes", async (t) => {
  const log: string[] = [];
  const cache = new CompileCache();
  const pool = dependency(async () => new Resource(log, "pool"), { dispose: true, name: "pool" });
  const route = compileRoute({ method: "GET", path: "/", sources: { p: Depends(pool, { scope: "app" }) }, handler: ({ p }) => p.name }, { cache });
  await cache.appScope.start();
  t.equal(await route.execute(createRequest()), "pool");
  t.same(log, []);
  await cache.appScope.close();
  t.same(log, ["dispose pool"]);
});

t.test("resolve() disposes with await using", async (t) => {
  const log: string[] = [];
  const client = dependency(async () => new Resource(log, "client"), { dispose: true, name: "client" });
  {
    await using resolved = await resolve(client);
    t.equal(resolved.value.name, "client");
    t.same(log, []);
  }
  t.same(log, ["dispose client"]);
});
