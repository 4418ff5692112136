// Regression (issue 20, item 17): a handler returning a Symbol (or a function) answered an empty
// 200, because JSON.stringify gives `undefined` for both. Like a BigInt, it is a 500
// {"detail": "Internal Server Error"}, with the reason in the log only.
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency } from "@depends/core";
import { dependsPlugin, router, UnserialisableValueError } from "@depends/fastify";

t.test("regression: a handler returning a Symbol or a function is a 500, not an empty 200", async (t) => {
  const logs: { level: number; msg: string; err?: { type?: string; code?: string } }[] = [];
  const server = Fastify({ logger: { level: "error", stream: { write: (line: string) => logs.push(JSON.parse(line)) } } });
  await server.register(dependsPlugin, { openapi: false });
  const api = router();
  let tornDown = 0;
  const scoped = dependency(function* () {
    yield 1;
    tornDown++;
  });
  api.get("/symbol", () => Symbol("x"));
  api.get("/async-symbol", async () => Symbol("x"));
  api.get("/function", () => () => 1);
  api.get("/scoped-symbol", { v: Depends(scoped) }, () => Symbol("x"));
  api.get("/bigint", () => 10n);
  api.get("/fine", () => ({ ok: true }));
  await server.register(api.plugin());
  for (const url of ["/symbol", "/async-symbol", "/function", "/scoped-symbol", "/bigint"]) {
    const res = await server.inject(url);
    t.equal(res.statusCode, 500, `${url}: 500`);
    t.strictSame(res.json(), { detail: "Internal Server Error" }, `${url}: {detail}`);
  }
  t.strictSame((await server.inject("/fine")).json(), { ok: true });
  t.equal(tornDown, 1, "the generator dependency is torn down");
  const named = logs.filter((line) => line.err?.type === "UnserialisableValueError");
  t.equal(named.length, 4, "each logged at error level");
  t.match(named[0]?.msg, /GET \/symbol returned a symbol/);
  t.equal(new UnserialisableValueError({ method: "GET", url: "/x" }, "symbol").code, "DEPENDS_UNSERIALISABLE_VALUE");
  await server.close();
});
