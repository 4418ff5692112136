import t from "tap";
import { compileRoute, createRequest, Depends, dependency, RawReply, RawRequest, Request } from "@depends/core";

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
    sources: { request: Request, req: RawRequest, rep: RawReply },
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
