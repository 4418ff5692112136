import t from "tap";
import Fastify from "fastify";
import { DeclarationError, Depends, dependency } from "@depends/core";
import { dependsPlugin, router, RunTimeoutError } from "@depends/fastify";

// regression (issue 20, item 16): a dependency that never settles held the request forever.
const never = dependency(function never() {
  return new Promise<string>(() => {});
});

t.test("regression: a dependency that never settles answers 503 after the route's timeout, and its request-scoped teardowns run", async (t) => {
  const events: string[] = [];
  const session = dependency(async function* session() {
    events.push("session open");
    try {
      yield "session";
    } finally {
      events.push("session closed");
    }
  });
  const afterHang = dependency({ n: Depends(never) }, function afterHang() {
    events.push("after the hang: must not run");
    return 1;
  });
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false, timeout: 5_000 });
  const api = router();
  api.get("/hangs", { sources: { s: Depends(session), a: Depends(afterHang) }, timeout: 50 }, () => "never");
  api.get("/plain-hang", { sources: { n: Depends(never) }, timeout: 50 }, ({ n }) => n);
  api.get("/quick", { q: Depends(dependency(async () => "fast")) }, ({ q }) => q);
  await app.register(api.plugin());
  t.teardown(() => app.close());

  const started = Date.now();
  const res = await app.inject("/hangs");
  t.equal(res.statusCode, 503);
  t.strictSame(res.json(), { detail: "The request could not be completed in time" });
  t.ok(Date.now() - started < 2_000, "answered after the route's 50 ms, not the plugin's 5 s");
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.strictSame(events, ["session open", "session closed"], "the entered generator was torn down; nothing after the hang ran");

  const plain = await app.inject("/plain-hang");
  t.equal(plain.statusCode, 503, "a route without teardown too");
  const quick = await app.inject("/quick");
  t.equal(quick.statusCode, 200, "a run that settles in time is answered as usual");
  t.equal(quick.json(), "fast");
});

t.test("the plugin's timeout is every route's default; RunTimeoutError is an HTTPException with a code", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false, timeout: 30 });
  const api = router();
  api.get("/hangs", { n: Depends(never) }, ({ n }) => n);
  await app.register(api.plugin());
  t.teardown(() => app.close());
  t.equal((await app.inject("/hangs")).statusCode, 503);
  const error = new RunTimeoutError(30);
  t.equal(error.status, 503);
  t.equal(error.code, "DEPENDS_RUN_TIMEOUT");
});

t.test("a timeout that is not a positive number of milliseconds fails at registration", async (t) => {
  for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "10" as unknown as number]) {
    const app = Fastify();
    await app.register(dependsPlugin, { openapi: false });
    const api = router();
    api.get("/x", { sources: {}, timeout }, () => 1);
    await t.rejects(async () => void (await app.register(api.plugin())), { name: "DeclarationError", code: "DEPENDS_INVALID_TIMEOUT", route: "GET /x" }, String(timeout));
    await app.close().catch(() => undefined);
  }
  t.ok(DeclarationError);
});
