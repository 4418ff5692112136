import t from "tap";
import { compileRoute, createRequest, Depends, dependency, HTTPException } from "@depends/core";
import { RequestScope } from "@depends/core/adapter";

function tracked(log: string[], name: string, options: { fail?: "setup" } = {}) {
  return dependency(
    function* () {
      log.push(`setup ${name}`);
      if (options.fail === "setup") throw new Error(`${name} setup failed`);
      try {
        yield name;
        log.push(`teardown ${name}`);
      } catch (error) {
        log.push(`teardown ${name} saw ${(error as Error).message}`);
        throw error;
      }
    },
    { name },
  );
}

t.test("teardown runs last-in first-out and can still use sub-dependency values", async (t) => {
  const log: string[] = [];
  const a = tracked(log, "a");
  const b = dependency(
    { a: Depends(a) },
    function* b({ a }) {
      log.push("setup b");
      yield `${a}b`;
      log.push(`teardown b (still has ${a})`);
    },
  );
  const c = dependency({ b: Depends(b) }, async function* c({ b }) {
    log.push("setup c");
    yield `${b}c`;
    log.push("teardown c");
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { c: Depends(c) }, handler: ({ c }) => (log.push("handler"), c) });
  t.equal(await route.execute(createRequest()), "abc");
  t.same(log, ["setup a", "setup b", "setup c", "handler", "teardown c", "teardown b (still has a)", "teardown a"]);
});

t.test("an error from the handler is thrown into every open generator at its yield", async (t) => {
  const log: string[] = [];
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { a: Depends(tracked(log, "a")), b: Depends(tracked(log, "b")) },
    handler: () => {
      throw new Error("boom");
    },
  });
  await t.rejects(route.execute(createRequest()), { message: "boom" });
  t.same(log, ["setup a", "setup b", "teardown b saw boom", "teardown a saw boom"]);
});

t.test("an error from a later dependency reaches the generators already entered, not the others", async (t) => {
  const log: string[] = [];
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { a: Depends(tracked(log, "a")), b: Depends(tracked(log, "b", { fail: "setup" })), c: Depends(tracked(log, "c")) },
    handler: () => "never",
  });
  await t.rejects(route.execute(createRequest()), { message: "b setup failed" });
  t.same(log, ["setup a", "setup b", "teardown a saw b setup failed"]);
});

t.test("a teardown may turn the error into an HTTPException (FastAPI test_dependency_after_yield_raise)", async (t) => {
  const session = dependency(function* session() {
    try {
      yield "session";
    } catch {
      throw new HTTPException(418, "Session error");
    }
  });
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { s: Depends(session) },
    handler: () => {
      throw new Error("database failure");
    },
  });
  await t.rejects(route.execute(createRequest()), { name: "HTTPException", status: 418, detail: "Session error" });
});

t.test("a teardown that swallows the error does not cancel it", async (t) => {
  const swallowing = dependency(function* swallowing() {
    try {
      yield 1;
    } catch {
      // swallowed on purpose
    }
  });
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { s: Depends(swallowing) },
    handler: () => {
      throw new HTTPException(400, "Invalid user");
    },
  });
  await t.rejects(route.execute(createRequest()), { name: "HTTPException", status: 400, detail: "Invalid user" });
});

t.test("function scope closes when the handler returns; request scope waits for the adapter", async (t) => {
  const log: string[] = [];
  const fn = dependency(function* fn() {
    yield "f";
    log.push("function teardown");
  });
  const req = dependency(async function* req() {
    yield "r";
    log.push("request teardown");
  });
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { f: Depends(fn, { scope: "function" }), r: Depends(req) },
    handler: (v) => v,
  });
  const scope = new RequestScope();
  const value = await route.run(createRequest(), scope);
  t.same(value, { f: "f", r: "r" });
  t.same(log, ["function teardown"], "request scope still open: the response is being sent");
  t.ok(scope.pending);
  t.equal(await scope.close(), undefined);
  t.same(log, ["function teardown", "request teardown"]);
  t.equal(scope.close(), undefined, "closing twice runs nothing twice");
  t.same(log, ["function teardown", "request teardown"]);
});

t.test("on error, request-scoped teardowns run before the error is answered", async (t) => {
  const log: string[] = [];
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { a: Depends(tracked(log, "a")) },
    handler: () => {
      throw new HTTPException(503, "down");
    },
  });
  const scope = new RequestScope();
  await t.rejects(Promise.resolve().then(() => route.run(createRequest(), scope)), { name: "HTTPException", status: 503 });
  t.same(log, ["setup a", "teardown a saw down"]);
  t.notOk(scope.pending, "nothing left for the adapter to close");
});

t.test("a function-scoped teardown error becomes the answer; a request-scoped one after the response is reported", async (t) => {
  const broken = dependency(function* broken() {
    yield 1;
    throw new HTTPException(503, "Exception after yield");
  });
  const fnRoute = compileRoute({ method: "GET", path: "/", sources: { b: Depends(broken, { scope: "function" }) }, handler: () => "ok" });
  await t.rejects(Promise.resolve().then(() => fnRoute.run(createRequest(), new RequestScope())), { name: "HTTPException", status: 503 });

  const reqRoute = compileRoute({ method: "GET", path: "/", sources: { b: Depends(broken) }, handler: () => "ok" });
  const scope = new RequestScope();
  t.equal(await reqRoute.run(createRequest(), scope), "ok", "the response is already decided");
  const late = await scope.close();
  t.match(late, { status: 503 }, "close() resolves to the teardown's error for the adapter to log");
});

t.test("a generator that never yields, or yields twice, is a clear error", async (t) => {
  const noYield = dependency(function* noYield() {
    // returns without yielding
  });
  const twice = dependency(function* twice() {
    yield 1;
    yield 2;
  });
  const r1 = compileRoute({ method: "GET", path: "/", sources: { x: Depends(noYield) }, handler: () => 1 });
  await t.rejects(r1.execute(createRequest()), { message: /"noYield" finished without yielding a value/ });
  const r2 = compileRoute({ method: "GET", path: "/", sources: { x: Depends(twice) }, handler: () => 1 });
  await t.rejects(r2.execute(createRequest()), { message: /"twice" yielded more than once/ });
});

t.test("no teardown stack exists when no generator ran", async (t) => {
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(dependency(() => 1)) }, handler: ({ a }) => a });
  const scope = new RequestScope();
  t.equal(route.run(createRequest(), scope), 1);
  t.equal(scope.stack, undefined);
});
