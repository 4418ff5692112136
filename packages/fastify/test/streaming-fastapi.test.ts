// FastAPI's streaming tests, case by case, over real sockets: tests/test_dependency_after_yield_streaming.py,
// test_dependency_yield_scope.py (streaming cases), test_dependency_after_yield_raise.py,
// test_stream_status_code.py, test_stream_bare_type.py, test_stream_cancellation.py.
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, HTTPException, jsonLines, RawReply, StreamingResponse, sse } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { fetchAll, listen, open, readUntil, within } from "./support/stream-client.js";

class Session {
  data = ["foo", "bar", "baz"];
  open = true;
  *[Symbol.iterator]() {
    for (const item of this.data) {
      if (!this.open) throw new Error("Session closed");
      yield item;
    }
  }
}

const depSession = dependency(function* depSession() {
  const s = new Session();
  try {
    yield s;
  } finally {
    s.open = false;
  }
});
const brokenDepSession = dependency(function* brokenDepSession() {
  const s = new Session();
  s.open = false;
  try {
    yield s;
  } finally {
    s.open = false;
  }
});

t.test("test_dependency_after_yield_streaming.py", async (t) => {
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/data", { session: Depends(depSession) }, ({ session }) => [...session]);
  api.get("/stream-simple", { session: Depends(depSession) }, () => new StreamingResponse((function* () { yield* ["x", "y", "z"]; })()));
  api.get("/stream-session", { session: Depends(depSession) }, ({ session }) => new StreamingResponse((function* () { yield* session; })()));
  api.get("/broken-session-data", { session: Depends(brokenDepSession) }, ({ session }) => [...session]);
  api.get("/broken-session-stream", { session: Depends(brokenDepSession) }, ({ session }) => new StreamingResponse((function* () { yield* session; })()));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  t.strictSame(JSON.parse((await fetchAll(`${base}/data`)).body), ["foo", "bar", "baz"], "test_regular_no_stream");
  t.equal((await fetchAll(`${base}/stream-simple`)).body, "xyz", "test_stream_simple");
  t.equal((await fetchAll(`${base}/stream-session`)).body, "foobarbaz", "test_stream_session: the request-scoped session is open during the stream");
  const data = await fetchAll(`${base}/broken-session-data`);
  t.equal(data.status, 500, "test_broken_session_data_no_raise");
  t.strictSame(JSON.parse(data.body), { detail: "Internal Server Error" });
  // FastAPI sends 200 and an empty body (Starlette sends the headers before the first chunk); the
  // first chunk is read before anything is sent here, so the failure is a proper 500.
  const stream = await fetchAll(`${base}/broken-session-stream`);
  t.equal(stream.status, 500, "test_broken_session_stream_no_raise (deliberate difference: 500, not 200 + empty body)");
  t.strictSame(JSON.parse(stream.body), { detail: "Internal Server Error" });
});

class NamedSession {
  open = true;
  constructor(readonly name = "default") {}
}
const dep = dependency(function* depSession() {
  const s = { open: true };
  yield s;
  s.open = false;
});
const raiseAfterYield = dependency(function* raiseAfterYield() {
  yield;
  throw new HTTPException(503, "Exception after yield");
});

t.test("test_dependency_yield_scope.py", async (t) => {
  const getNamedSession = dependency({ session: Depends(dep, { scope: "request" }), sessionB: Depends(dep) }, function* getNamedSession({ session, sessionB }) {
    t.equal(session, sessionB, "scope: request shares the cache with the default");
    const named = new NamedSession("named");
    yield [named, sessionB] as const;
    named.open = false;
  });
  const getNamedFuncSession = dependency({ session: Depends(dep, { scope: "function" }) }, function* getNamedFuncSession({ session }) {
    const named = new NamedSession("named");
    yield [named, session] as const;
    named.open = false;
  });
  const getNamedRegularFuncSession = dependency({ session: Depends(dep, { scope: "function" }) }, ({ session }) => [new NamedSession("named"), session] as const);
  // The value is read when the stream runs, as the generator in FastAPI's tests does.
  const once = (value: () => unknown) => new StreamingResponse((function* () { yield JSON.stringify(value()); })());

  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/function-scope", { session: Depends(dep, { scope: "function" }) }, ({ session }) => once(() => ({ is_open: session.open })));
  api.get("/request-scope", { session: Depends(dep, { scope: "request" }) }, ({ session }) => once(() => ({ is_open: session.open })));
  api.get("/two-scopes", { f: Depends(dep, { scope: "function" }), r: Depends(dep, { scope: "request" }) }, ({ f, r }) => once(() => ({ func_is_open: f.open, req_is_open: r.open })));
  api.get("/sub", { sessions: Depends(getNamedSession) }, ({ sessions }) => once(() => ({ named_session_open: sessions[0].open, session_open: sessions[1].open })));
  api.get("/named-function-scope", { sessions: Depends(getNamedFuncSession, { scope: "function" }) }, ({ sessions }) => once(() => ({ named_session_open: sessions[0].open, session_open: sessions[1].open })));
  api.get("/regular-function-scope", { sessions: Depends(getNamedRegularFuncSession) }, ({ sessions }) => once(() => ({ named_session_open: sessions[0].open, session_open: sessions[1].open })));
  const inner = router();
  inner.get("/", {}, function getIndex() { return once(() => ({ status: "ok" })); });
  api.include(inner, { prefix: "/router-scope-function", dependencies: [Depends(raiseAfterYield, { scope: "function" })] });
  api.include(inner, { prefix: "/router-scope-request", dependencies: [Depends(raiseAfterYield, { scope: "request" })] });
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  const json = async (path: string) => {
    const res = await fetchAll(`${base}${path}`);
    return { status: res.status, body: JSON.parse(res.body) as unknown };
  };
  t.strictSame(await json("/function-scope"), { status: 200, body: { is_open: false } }, "test_function_scope");
  t.strictSame(await json("/request-scope"), { status: 200, body: { is_open: true } }, "test_request_scope");
  t.strictSame(await json("/two-scopes"), { status: 200, body: { func_is_open: false, req_is_open: true } }, "test_two_scopes");
  t.strictSame(await json("/sub"), { status: 200, body: { named_session_open: true, session_open: true } }, "test_sub");
  t.strictSame(await json("/named-function-scope"), { status: 200, body: { named_session_open: false, session_open: false } }, "test_named_function_scope");
  t.strictSame(await json("/regular-function-scope"), { status: 200, body: { named_session_open: true, session_open: false } }, "test_regular_function_scope");
  t.strictSame(await json("/router-scope-function/"), { status: 503, body: { detail: "Exception after yield" } }, "test_router_level_dep_scope_function");
  t.strictSame(await json("/router-scope-request/"), { status: 200, body: { status: "ok" } }, "test_router_level_dep_scope_request");
  const broken = Fastify({ logger: false });
  await broken.register(dependsPlugin, { openapi: false });
  const brokenApi = router();
  brokenApi.get("/broken-scope", { sessions: Depends(getNamedFuncSession) }, () => null);
  await t.rejects((async () => { await broken.register(brokenApi.plugin()); await broken.ready(); })(), { code: "DEPENDS_SCOPE_MISMATCH" }, "test_broken_scope");
  await broken.close().catch(() => undefined);
});

t.test("test_dependency_yield_scope.py: app-level dependencies with streams", async (t) => {
  for (const [scope, expected] of [["function", { status: 503, body: { detail: "Exception after yield" } }], ["request", { status: 200, body: { status: "ok" } }]] as const) {
    const app = Fastify({ logger: false });
    await app.register(dependsPlugin, { openapi: false, dependencies: [Depends(raiseAfterYield, { scope })] });
    const api = router();
    api.get("/app-scope", {}, () => new StreamingResponse((function* () { yield JSON.stringify({ status: "ok" }); })()));
    await app.register(api.plugin());
    const base = await listen(app);
    const res = await fetchAll(`${base}/app-scope`);
    t.strictSame({ status: res.status, body: JSON.parse(res.body) }, expected, `test_app_level_dep_scope_${scope}`);
    await app.close();
  }
});

t.test("test_dependency_after_yield_raise.py with a streamed handler", async (t) => {
  class CustomError extends Error {}
  const catchingDep = dependency(function* catchingDep() {
    try {
      yield "s";
    } catch (error) {
      if (error instanceof CustomError) throw new HTTPException(418, "Session error");
      throw error;
    }
  });
  const brokenDep = dependency(function* brokenDep() {
    yield "s";
    throw new Error("Broken after yield");
  });
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/catching", { d: Depends(catchingDep) }, () => (async function* () { throw new CustomError("Simulated error during streaming"); })());
  api.get("/broken", { d: Depends(brokenDep) }, () => jsonLines([{ message: "all good?" }]));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  const catching = await fetchAll(`${base}/catching`);
  t.strictSame({ status: catching.status, body: JSON.parse(catching.body) }, { status: 418, body: { detail: "Session error" } }, "test_catching");
  const broken = await fetchAll(`${base}/broken`);
  t.strictSame({ status: broken.status, body: JSON.parse(broken.body), complete: broken.complete }, { status: 200, body: { message: "all good?" }, complete: true }, "test_broken_no_raise / test_broken_return_finishes");
});

t.test("test_stream_status_code.py: the route's status, overridden by a dependency that sets one", async (t) => {
  const setAccepted = dependency({ reply: RawReply }, function setAccepted({ reply }) { reply.code(202); });
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  const gen = (message: string) => (async function* () { yield { message }; })();
  api.post("/sse", { status: 201 }, () => sse(gen("created")));
  api.post("/jsonl", { status: 201 }, () => jsonLines(gen("created")));
  api.post("/raw", { status: 201 }, () => (async function* () { yield "accepted"; })());
  api.post("/sse-dependency", { accepted: Depends(setAccepted) }, () => sse(gen("accepted")));
  api.post("/jsonl-dependency", { accepted: Depends(setAccepted) }, () => jsonLines(gen("accepted")));
  api.post("/raw-dependency", { accepted: Depends(setAccepted) }, () => (async function* () { yield "accepted"; })());
  api.post("/sse-dependency-override", { sources: { accepted: Depends(setAccepted) }, status: 201 }, () => sse(gen("overridden")));
  api.post("/jsonl-dependency-override", { sources: { accepted: Depends(setAccepted) }, status: 201 }, () => jsonLines(gen("overridden")));
  api.post("/raw-dependency-override", { sources: { accepted: Depends(setAccepted) }, status: 201 }, () => (async function* () { yield "overridden"; })());
  api.post("/explicit", { status: 201 }, () => new StreamingResponse(["x"], { status: 206 }));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  for (const [path, status] of [["/sse", 201], ["/jsonl", 201], ["/raw", 201], ["/sse-dependency", 202], ["/jsonl-dependency", 202], ["/raw-dependency", 202], ["/sse-dependency-override", 202], ["/jsonl-dependency-override", 202], ["/raw-dependency-override", 202], ["/explicit", 206]] as const) {
    t.equal((await fetchAll(`${base}${path}`, { method: "POST" })).status, status, path);
  }
});

t.test("test_stream_bare_type.py: JSON Lines", async (t) => {
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/items/stream-bare-async", {}, () => jsonLines((async function* () { yield { name: "foo" }; })()));
  api.get("/items/stream-bare-sync", {}, () => jsonLines((function* () { yield { name: "bar" }; })()));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  for (const [path, name] of [["/items/stream-bare-async", "foo"], ["/items/stream-bare-sync", "bar"]] as const) {
    const res = await fetchAll(`${base}${path}`);
    t.equal(res.headers["content-type"], "application/jsonl; charset=utf-8");
    t.strictSame(res.body.trim().split("\n").map((line) => JSON.parse(line)), [{ name }]);
  }
});

t.test("test_stream_cancellation.py: an endless generator with no await is cancelled when the client goes away", async (t) => {
  const stopped: string[] = [];
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/stream-raw", {}, () => (async function* () {
    let i = 0;
    try {
      for (;;) yield `item ${i++}\n`;
    } finally {
      stopped.push("raw");
    }
  })());
  api.get("/stream-jsonl", {}, () => jsonLines((async function* () {
    let i = 0;
    try {
      for (;;) yield i++;
    } finally {
      stopped.push("jsonl");
    }
  })()));
  api.get("/ok", {}, () => ({ ok: true }));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  for (const path of ["/stream-raw", "/stream-jsonl"]) {
    const { res, abort } = await open(`${base}${path}`);
    await readUntil(res, (text) => text.length > 1000);
    abort();
  }
  await within((async () => { while (stopped.length < 2) await new Promise((r) => setTimeout(r, 5)); })());
  t.strictSame(stopped.sort(), ["jsonl", "raw"]);
  t.strictSame(JSON.parse((await fetchAll(`${base}/ok`)).body), { ok: true }, "the event loop is not starved");
});
