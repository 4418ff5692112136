import t from "tap";
import { compileRoute, createRequest, Depends, dependency, RawReply, RawRequest, CurrentRequest } from "@depends/core";

t.test("an all-sync route returns its value synchronously, without a promise", async (t) => {
  const a = dependency(() => 1);
  const b = dependency({ a: Depends(a) }, ({ a }) => a + 1);
  const route = compileRoute({ method: "GET", path: "/", sources: { b: Depends(b) }, handler: ({ b }) => b * 10 });
  const result = route.run(createRequest(), undefined);
  t.notOk(result instanceof Promise);
  t.equal(result, 20);
});

t.test("an async step switches to a promise and keeps the order", async (t) => {
  const order: string[] = [];
  const a = dependency(async function a() {
    order.push("a");
    return 1;
  });
  const b = dependency(function b() {
    order.push("b");
    return Promise.resolve(2); // a sync function returning a promise is awaited too
  });
  const c = dependency({ a: Depends(a), b: Depends(b) }, function c({ a, b }) {
    order.push("c");
    return a + b;
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { c: Depends(c) }, handler: ({ c }) => c });
  const result = route.run(createRequest(), undefined);
  t.ok(result instanceof Promise);
  t.equal(await result, 3);
  t.same(order, ["a", "b", "c"]);
});

t.test("route dependencies run first, in order, values discarded; then the handler's sources in declaration order", async (t) => {
  const order: string[] = [];
  const mk = (name: string) => dependency(() => (order.push(name), name), { name });
  const route = compileRoute({
    method: "GET",
    path: "/",
    dependencies: [Depends(mk("app")), Depends(mk("router")), Depends(mk("route"))],
    sources: { x: Depends(mk("x")), y: Depends(mk("y")) },
    handler: (values) => values,
  });
  t.same(await route.execute(createRequest()), { x: "x", y: "y" });
  t.same(order, ["app", "router", "route", "x", "y"]);
});

t.test("Request, RawRequest and RawReply inject the request view and the adapter's objects", async (t) => {
  const raw = { id: "raw" };
  const reply = { id: "reply" };
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { request: CurrentRequest, req: RawRequest, rep: RawReply },
    handler: ({ request, req, rep }) => [request.headers["x-a"], req, rep],
  });
  t.same(await route.execute(createRequest({ headers: { "X-A": "1" }, raw: raw as never, reply: reply as never })), ["1", raw, reply]);
});

t.test("errors thrown synchronously by a dependency propagate synchronously", async (t) => {
  const bad = dependency(() => {
    throw new Error("sync failure");
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { b: Depends(bad) }, handler: () => 1 });
  t.throws(() => route.run(createRequest(), undefined), { message: "sync failure" });
});

t.test("a sync function that returns a promise hands the rest of a generated run to the interpreter", async (t) => {
  const order: string[] = [];
  const first = dependency(function first() {
    order.push("first");
    return 1;
  });
  const late = dependency({ f: Depends(first) }, function late({ f }) {
    order.push("late");
    return Promise.resolve(f + 1);
  });
  const after = dependency({ l: Depends(late), f: Depends(first) }, function after({ l, f }) {
    order.push("after");
    return l + f;
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(after) }, handler: ({ a }) => a * 10 });
  t.type(route.source(), "string", "the plan has a generated runner");
  const result = route.run(createRequest(), undefined);
  t.ok(result instanceof Promise);
  t.equal(await result, 30);
  t.same(order, ["first", "late", "after"]);
  t.rejects(
    compileRoute({ method: "GET", path: "/", sources: { l: Depends(dependency(() => Promise.reject(new Error("late failure")))) }, handler: () => 1 }).execute(createRequest()),
    { message: "late failure" },
  );
});

t.test("plans with generators use the interpreter; others get a generated runner", async (t) => {
  const gen = dependency(function* gen() {
    yield 1;
  });
  t.equal(compileRoute({ method: "GET", path: "/", sources: { g: Depends(gen) }, handler: () => 1 }).source(), undefined);
  t.type(compileRoute({ method: "GET", path: "/", sources: { a: Depends(dependency(async () => 1)) }, handler: () => 1 }).source(), "string");
  t.equal(compileRoute({ method: "GET", path: "/", sources: { a: Depends(dependency(async () => 1)) }, handler: () => 1 }, { codegen: false }).source(), undefined, "codegen: false");
});

t.test("source names are copied as own properties, whatever they are", async (t) => {
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { "x-token": Depends(dependency(() => 1)), constructor: Depends(dependency(() => 2)), "a\"b": Depends(dependency(() => 3)) },
    handler: (v) => ({ ...v }),
  });
  t.same(route.run(createRequest(), undefined), { "x-token": 1, constructor: 2, 'a"b': 3 });
  t.throws(
    () => compileRoute({ method: "GET", path: "/", sources: JSON.parse('{"__proto__": 1}') as never, handler: () => 1 }),
    { code: "DEPENDS_RESERVED_SOURCE_NAME", message: /cannot be named "__proto__"/ },
  );
});
