// Teardown timing: "function" scope before the reply is sent, "request" scope after the response
// (onResponse) or when the client aborts (onRequestAbort); never twice, never skipped.
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, HTTPException, RawReply } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timedApp(options: { failIn?: "handler" | "function teardown"; teardownThrows?: boolean } = {}) {
  const events: string[] = [];
  const closed = deferred<unknown>();
  const logs: { level: number; msg: string; err?: { message: string } }[] = [];
  const app = Fastify({ logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line)) } } });
  await app.register(dependsPlugin, { openapi: false });
  app.addHook("onSend", async () => void events.push("onSend"));
  app.addHook("onResponse", async () => void events.push("onResponse"));

  const perHandler = dependency({ reply: RawReply }, function* perHandler({ reply }) {
    events.push("function setup");
    try {
      yield "function resource";
    } catch (error) {
      events.push(`function teardown sees ${(error as Error).message}`);
      throw error;
    }
    events.push("function teardown");
    // Proof that it ran before the reply was sent: a header set now still reaches the client.
    reply.header("x-function-closed", "yes");
    if (options.failIn === "function teardown") throw new HTTPException(503, "Exception after yield");
  });
  const perRequest = dependency(async function* perRequest() {
    events.push("request setup");
    try {
      yield "request resource";
      events.push("request teardown");
      if (options.teardownThrows) throw new Error("could not release the connection");
      closed.resolve(undefined);
    } catch (error) {
      events.push(`request teardown sees ${(error as Error).message}`);
      closed.resolve(error);
      throw error;
    }
  });
  const api = router();
  api.get("/", { fn: Depends(perHandler, { scope: "function" }), req: Depends(perRequest) }, ({ fn, req }) => {
    events.push("handler");
    if (options.failIn === "handler") throw new HTTPException(409, "handler failed");
    return { fn, req };
  });
  await app.register(api.plugin());
  await app.ready();
  return { app, events, closed: closed.promise, logs };
}

t.test("function scope closes before the reply is sent, request scope after the response", async (t) => {
  const { app, events, closed } = await timedApp();
  t.teardown(() => app.close());
  const res = await app.inject("/");
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), { fn: "function resource", req: "request resource" });
  t.equal(res.headers["x-function-closed"], "yes");
  await within(closed);
  t.strictSame(events, ["function setup", "request setup", "handler", "function teardown", "onSend", "onResponse", "request teardown"]);
});

t.test("on error, both scopes see the error and close before the error is answered", async (t) => {
  const { app, events } = await timedApp({ failIn: "handler" });
  t.teardown(() => app.close());
  const res = await app.inject("/");
  t.equal(res.statusCode, 409);
  t.strictSame(res.json(), { detail: "handler failed" });
  t.strictSame(events, [
    "function setup", "request setup", "handler",
    "function teardown sees handler failed", "request teardown sees handler failed",
    "onSend", "onResponse",
  ]);
});

t.test("a function-scoped teardown may still change the response (FastAPI's 503 after yield)", async (t) => {
  const { app } = await timedApp({ failIn: "function teardown" });
  t.teardown(() => app.close());
  const res = await app.inject("/");
  t.equal(res.statusCode, 503);
  t.strictSame(res.json(), { detail: "Exception after yield" });
});

t.test("a request-scoped teardown failing after the response is logged, not thrown", async (t) => {
  const { app, closed, logs } = await timedApp({ teardownThrows: true });
  t.teardown(() => app.close());
  const res = await app.inject("/");
  t.equal(res.statusCode, 200, "the client already has its answer");
  t.match(await within(closed), { message: "could not release the connection" });
  await sleep(10);
  t.ok(logs.some((l) => l.level === 50 && l.err?.message === "could not release the connection"));
});

t.test("routes without request-scoped generators get no teardown hooks", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  const gen = dependency(function* gen() {
    yield 1;
  });
  api.get("/plain", () => "plain");
  api.get("/function-scoped", { g: Depends(gen, { scope: "function" }) }, ({ g }) => g);
  api.get("/request-scoped", { g: Depends(gen) }, ({ g }) => g);
  await app.register(api.plugin());
  await app.ready();
  t.teardown(() => app.close());
  // printRoutes lists each route ("/path (GET)") followed by its hooks ("• (onResponse) [...]").
  const hooks = new Map<string, string>();
  let current = "";
  for (const line of app.printRoutes({ includeHooks: true, commonPrefix: false }).split("\n")) {
    const route = /(\/\S*) \(([A-Z]+)\)/.exec(line);
    if (route) hooks.set((current = `${route[2]} ${route[1]}`), "");
    else if (line.includes("•")) hooks.set(current, `${hooks.get(current)}${line}`);
  }
  t.match(hooks.get("GET /request-scoped"), /onResponse.*closeAfterResponse.*onRequestAbort.*closeOnAbort/);
  t.match(hooks.get("HEAD /request-scoped"), /closeAfterResponse/, "HEAD twins too");
  t.equal(hooks.get("GET /plain"), "");
  t.equal(hooks.get("GET /function-scoped"), "");
  t.equal((await app.inject("/plain")).json(), "plain");
});

t.test("a client abort tears the request scope down exactly once, after the run settles", async (t) => {
  const started = deferred();
  const release = deferred();
  const tornDown: unknown[] = [];
  const done = deferred();
  const aborted = deferred();
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  // App-level hooks run before the route's own: this one tells the test the server saw the abort.
  app.addHook("onRequestAbort", async (_request) => aborted.resolve());
  const session = dependency(async function* session() {
    try {
      yield { open: true };
      tornDown.push("normally");
    } catch (error) {
      tornDown.push(error);
      throw error;
    } finally {
      done.resolve();
    }
  });
  const api = router();
  api.get("/slow", { s: Depends(session) }, async ({ s }) => {
    started.resolve();
    await release.promise;
    return s;
  });
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;

  const client = httpRequest({ host: "127.0.0.1", port, path: "/slow" });
  client.on("error", () => undefined);
  client.end();
  await within(started.promise);
  client.destroy();
  await within(aborted.promise);
  await sleep(20);
  t.strictSame(tornDown, [], "not torn down while the handler still runs");
  release.resolve();
  await within(done.promise);
  await sleep(50);
  t.equal(tornDown.length, 1, "exactly once");
  t.match(tornDown[0], { name: "AbortError" }, "the generator learns that the client went away");
});

t.test("a normal request on the same kind of route closes its scope exactly once", async (t) => {
  let closes = 0;
  const done = deferred();
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const session = dependency(async function* session() {
    yield 1;
    closes++;
    done.resolve();
  });
  const api = router();
  api.get("/", { s: Depends(session) }, ({ s }) => ({ s }));
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/`);
  t.strictSame(await res.json(), { s: 1 });
  await within(done.promise);
  await sleep(50);
  t.equal(closes, 1);
});
