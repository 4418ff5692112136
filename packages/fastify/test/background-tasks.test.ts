// BackgroundTasks on fastify: tasks run after the response was sent (the client has it while a task
// still waits), in order, before request-scoped teardowns and after function-scoped ones (FastAPI
// 0.12x's order); a failing task is logged and never reaches the client; an error response runs
// no task; app.close() waits for running tasks, bounded by backgroundTasks.closeTimeout.
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify, { type FastifyInstance } from "fastify";
import websocket from "@fastify/websocket";
import { Type } from "typebox";
import { BackgroundTasks, DeclarationError, Depends, dependency, HTTPException, Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function within<T>(promise: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LogLine { level: number; msg: string; err?: { message: string }; task?: string; abandoned?: string[] }

async function appWithLogs(options: Parameters<typeof dependsPlugin>[1] = { openapi: false }) {
  const logs: LogLine[] = [];
  const app = Fastify({ logger: { level: "info", stream: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } } });
  await app.register(dependsPlugin, options);
  return { app, logs };
}

/** GET over a real socket (no keep-alive); resolves once the whole response has arrived. */
async function get(app: FastifyInstance, path: string): Promise<{ status: number; body: string }> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

t.test("over a socket: the client has the response while a task waits; teardowns around the tasks in FastAPI's order", async (t) => {
  const events: string[] = [];
  const latch = deferred();
  const finished = deferred();
  const { app } = await appWithLogs();
  const perFunction = dependency(function* perFunction() { events.push("function setup"); yield { open: true }; events.push("function teardown"); });
  const perRequest = dependency(async function* perRequest() {
    const resource = { open: true };
    events.push("request setup");
    yield resource;
    resource.open = false;
    events.push("request teardown");
    finished.resolve();
  });
  const api = router();
  api.get("/", { fn: Depends(perFunction, { scope: "function" }), req: Depends(perRequest), tasks: BackgroundTasks }, ({ fn, req, tasks }) => {
    events.push("handler");
    tasks.addTask(async (resource: { open: boolean }, fnResource: { open: boolean }) => {
      events.push(`task starts: request resource open=${resource.open}`);
      await latch.promise;
      events.push(`task ends: request resource open=${resource.open}, function resource open=${fnResource.open}`);
    }, req, fn);
    tasks.addTask(() => void events.push("second task"));
    return { ok: true };
  });
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());

  const response = await within(get(app, "/"));
  events.push("client has the response");
  t.same(response, { status: 200, body: '{"ok":true}' });
  await sleep(30);
  t.notOk(events.includes("second task"), "the tasks still wait on the latch");
  latch.resolve();
  await within(finished.promise);
  t.same(events, [
    "function setup", "request setup", "handler", "function teardown",
    "task starts: request resource open=true",
    "client has the response",
    "task ends: request resource open=true, function resource open=true",
    "second task",
    "request teardown",
  ]);
});

t.test("over a socket, a route without teardowns: the response does not wait for its task", async (t) => {
  const latch = deferred();
  const ran = deferred<string>();
  const { app } = await appWithLogs();
  const api = router();
  api.get("/plain", { tasks: BackgroundTasks }, ({ tasks }) => {
    tasks.addTask(async (message: string) => {
      await latch.promise;
      ran.resolve(message);
    }, "done");
    return "sent";
  });
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  t.same(await within(get(app, "/plain")), { status: 200, body: '"sent"' });
  latch.resolve();
  t.equal(await within(ran.promise), "done");
});

t.test("dependencies and the handler share one object; tasks run in the order added, sync and async, with their arguments", async (t) => {
  const log: string[] = [];
  const seen = new Set<unknown>();
  const done = deferred();
  const { app } = await appWithLogs();
  const getQuery = dependency({ tasks: BackgroundTasks, q: Query(Type.Optional(Type.String())) }, ({ tasks, q }) => {
    seen.add(tasks);
    if (q) tasks.addTask((message: string) => void log.push(message), `found query: ${q}`);
    return q;
  });
  const audit = dependency({ tasks: BackgroundTasks, q: Depends(getQuery) }, async ({ tasks }) => {
    seen.add(tasks);
    tasks.addTask(async (a: number, b: number) => void log.push(`sum ${a + b}`), 1, 2);
  });
  const api = router();
  api.post("/send-notification/:email", { q: Depends(getQuery), audit: Depends(audit), tasks: BackgroundTasks }, ({ tasks }) => {
    seen.add(tasks);
    tasks.addTask(() => {
      log.push("handler's");
      done.resolve();
    });
    return { message: "Message sent" };
  });
  await app.register(api.plugin());
  const response = await app.inject({ method: "POST", url: "/send-notification/foo@example.com?q=some-query" });
  t.same(response.json(), { message: "Message sent" });
  await within(done.promise);
  t.same(log, ["found query: some-query", "sum 3", "handler's"]);
  t.equal(seen.size, 1, "one BackgroundTasks object per request");
  await app.inject({ method: "POST", url: "/send-notification/foo@example.com" });
  await sleep(20);
  t.same(log.slice(3), ["sum 3", "handler's"]);
});

t.test("a failing task is logged with its name, never reaches the client, and the next tasks still run; request-scoped teardowns see the error", async (t) => {
  const events: string[] = [];
  const finished = deferred();
  const { app, logs } = await appWithLogs();
  const session = dependency(function* session() {
    try {
      yield "db";
      events.push("commit");
    } catch (error) {
      events.push(`rollback: ${(error as Error).message}`);
      throw error; // the same error: not logged a second time
    } finally {
      finished.resolve();
    }
  });
  const api = router();
  api.get("/", { db: Depends(session), tasks: BackgroundTasks }, ({ tasks }) => {
    tasks.addTask(function sendEmail() { throw new Error("SMTP down"); });
    tasks.addTask(async function writeAudit() { events.push("audit"); await sleep(1); throw new Error("audit store down"); });
    tasks.addTask(function cleanUp() { events.push("clean up"); });
    return { ok: true };
  });
  await app.register(api.plugin());
  const response = await app.inject("/");
  t.equal(response.statusCode, 200);
  t.same(response.json(), { ok: true });
  await within(finished.promise);
  t.same(events, ["audit", "clean up", "rollback: SMTP down"]);
  const failures = logs.filter((line) => line.msg === "a background task failed after the response");
  t.same(failures.map((line) => [line.task, line.err?.message, line.level]), [["sendEmail", "SMTP down", 50], ["writeAudit", "audit store down", 50]]);
  t.notOk(logs.some((line) => line.msg.includes("teardown")), "the teardown re-raising the task's error is not a second failure");
});

t.test("a request-scoped teardown that fails after the tasks is logged", async (t) => {
  const { app, logs } = await appWithLogs();
  const finished = deferred();
  const session = dependency(function* session() {
    yield 1;
    finished.resolve();
    throw new Error("could not release");
  });
  const api = router();
  api.get("/", { s: Depends(session), tasks: BackgroundTasks }, ({ tasks }) => (tasks.addTask(() => {}), 1));
  await app.register(api.plugin());
  t.equal((await app.inject("/")).statusCode, 200);
  await within(finished.promise);
  await sleep(10);
  t.match(logs.find((line) => line.msg.includes("teardown")), { err: { message: "could not release" } });
});

t.test("an error response runs no task: HTTPException, a failing function-scoped teardown, a response that cannot be serialised, a validation error", async (t) => {
  const ran: string[] = [];
  const { app } = await appWithLogs();
  const failingAfterYield = dependency(function* failing() {
    yield 1;
    throw new HTTPException(503, "Exception after yield");
  });
  const torn = deferred();
  const session = dependency(function* session() {
    try {
      yield 1;
    } finally {
      torn.resolve();
    }
  });
  const api = router();
  api.get("/raises", { s: Depends(session), tasks: BackgroundTasks }, ({ tasks }) => {
    tasks.addTask(() => void ran.push("raises"));
    throw new HTTPException(409, "Conflict");
  });
  api.get("/function-teardown", { f: Depends(failingAfterYield, { scope: "function" }), tasks: BackgroundTasks }, ({ tasks }) => {
    tasks.addTask(() => void ran.push("function-teardown"));
    return 1;
  });
  api.get(
    "/unserialisable",
    { sources: { tasks: BackgroundTasks }, response: { 200: Type.Object({ name: Type.String() }) } },
    ({ tasks }) => {
      tasks.addTask(() => void ran.push("unserialisable"));
      return {} as { name: string };
    },
  );
  const validated = dependency({ tasks: BackgroundTasks, n: Query(Type.Integer()) }, ({ tasks }) => tasks.addTask(() => void ran.push("validated")));
  api.get("/validated", { v: Depends(validated) }, () => 1);
  await app.register(api.plugin());
  t.equal((await app.inject("/raises")).statusCode, 409);
  await within(torn.promise);
  t.equal((await app.inject("/function-teardown")).statusCode, 503);
  t.equal((await app.inject("/unserialisable")).statusCode, 500);
  t.equal((await app.inject("/validated?n=x")).statusCode, 422);
  await sleep(30);
  t.same(ran, []);
});

t.test("tasks added by a task run after the others; one added by a request-scoped teardown is refused (it could never run) and logged", async (t) => {
  const events: string[] = [];
  const finished = deferred();
  const { app, logs } = await appWithLogs();
  let queue: BackgroundTasks | undefined;
  const session = dependency({ tasks: BackgroundTasks }, function* session({ tasks }) {
    queue = tasks;
    yield 1;
    try {
      tasks.addTask(() => void events.push("never"));
    } finally {
      finished.resolve();
    }
  });
  const api = router();
  api.get("/", { s: Depends(session), tasks: BackgroundTasks }, ({ tasks }) => {
    tasks.addTask(() => {
      events.push("first");
      tasks.addTask(() => void events.push("added by the first"));
    });
    tasks.addTask(() => void events.push("second"));
    return 1;
  });
  await app.register(api.plugin());
  await app.inject("/");
  await within(finished.promise);
  await sleep(10);
  t.same(events, ["first", "second", "added by the first"]);
  t.equal(queue?.size, 3);
  t.match(logs.find((line) => line.msg.includes("teardown")), { err: { message: /already ran/ } });
});

t.test("a client that goes away: the tasks of a run that succeeded still run (FastAPI's Response does), then the teardowns see the AbortError", async (t) => {
  const events: string[] = [];
  const started = deferred();
  const release = deferred();
  const aborted = deferred();
  const finished = deferred();
  const { app } = await appWithLogs();
  app.addHook("onRequestAbort", (_request, done) => {
    aborted.resolve();
    done();
  });
  const session = dependency(async function* session() {
    try {
      yield 1;
    } catch (error) {
      events.push(`teardown sees ${(error as Error).name}`);
    } finally {
      finished.resolve();
    }
  });
  const api = router();
  api.get("/slow", { s: Depends(session), tasks: BackgroundTasks }, async ({ tasks }) => {
    tasks.addTask(() => void events.push("task"));
    started.resolve();
    await release.promise;
    return 1;
  });
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  const client = httpRequest({ host: "127.0.0.1", port, path: "/slow", agent: false });
  client.on("error", () => undefined);
  client.end();
  await within(started.promise);
  client.destroy();
  await within(aborted.promise);
  release.resolve();
  await within(finished.promise);
  t.same(events, ["task", "teardown sees AbortError"]);
});

t.test("app.close() waits for running tasks before tearing down app-scoped values", async (t) => {
  const events: string[] = [];
  const started = deferred();
  const { app } = await appWithLogs();
  const pool = dependency(async function* pool() { events.push("pool up"); yield { open: true }; events.push("pool down"); });
  const api = router();
  api.get("/", { pool: Depends(pool, { scope: "app" }), tasks: BackgroundTasks }, ({ pool, tasks }) => {
    tasks.addTask(async () => {
      started.resolve();
      await sleep(150);
      events.push(`task done, pool open=${pool.open}`);
    });
    return 1;
  });
  await app.register(api.plugin());
  await app.listen({ host: "127.0.0.1", port: 0 });
  await within(get(app, "/"));
  await within(started.promise);
  const before = Date.now();
  await within(app.close());
  t.ok(Date.now() - before >= 100, "close waited for the task");
  t.same(events, ["pool up", "task done, pool open=true", "pool down"]);
});

t.test("app.close() gives up after backgroundTasks.closeTimeout: the running task is left, queued ones never start, all logged", async (t) => {
  const events: string[] = [];
  const started = deferred();
  const { app, logs } = await appWithLogs({ openapi: false, backgroundTasks: { closeTimeout: 50 } });
  const api = router();
  api.get("/", { tasks: BackgroundTasks }, ({ tasks }) => {
    tasks.addTask(async function stuck() {
      started.resolve();
      await new Promise(() => {});
    });
    tasks.addTask(function never() { events.push("never"); });
    return 1;
  });
  await app.register(api.plugin());
  t.equal((await app.inject("/")).statusCode, 200);
  await within(started.promise);
  const before = Date.now();
  await within(app.close());
  const waited = Date.now() - before;
  t.ok(waited >= 45 && waited < 1000, `close waited about the timeout (${waited} ms)`);
  t.same(events, []);
  t.match(logs.find((line) => line.msg.startsWith("app.close() stopped waiting")), { level: 40, abandoned: ["never"], requests: 1 });
});

t.test("backgroundTasks.closeTimeout is checked at registration; 0 does not wait", async (t) => {
  for (const closeTimeout of [-1, Number.NaN, Infinity, "5" as unknown as number]) {
    const app = Fastify();
    const error = await app.register(dependsPlugin, { openapi: false, backgroundTasks: { closeTimeout } }).ready().then(() => undefined, (e: unknown) => e);
    t.match(error, { code: "DEPENDS_INVALID_TIMEOUT" }, String(closeTimeout));
  }
  const { app } = await appWithLogs({ openapi: false, backgroundTasks: { closeTimeout: 0 } });
  const api = router();
  api.get("/", { tasks: BackgroundTasks }, ({ tasks }) => (tasks.addTask(() => new Promise(() => {})), 1));
  await app.register(api.plugin());
  await app.inject("/");
  await within(app.close(), 500);
  t.pass("closed at once");
});

t.test("an override that adds BackgroundTasks to a route without them: its tasks run", async (t) => {
  const ran = deferred<string>();
  const { app } = await appWithLogs();
  const plain = dependency(() => "plain");
  const api = router();
  api.get("/", { v: Depends(plain) }, ({ v }) => v);
  await app.register(api.plugin());
  app.dependencyOverrides.set(plain, dependency({ tasks: BackgroundTasks }, ({ tasks }) => (tasks.addTask(() => ran.resolve("override's task")), "overridden")));
  t.equal((await app.inject("/")).json(), "overridden");
  t.equal(await within(ran.promise), "override's task");
});

t.test("WebSocket routes refuse BackgroundTasks at registration (FastAPI accepts it there and never runs the tasks)", async (t) => {
  const inDependency = dependency({ tasks: BackgroundTasks }, () => 1, { name: "audit" });
  for (const [name, declare] of [
    ["handler", (api: ReturnType<typeof router>) => api.websocket("/ws", { tasks: BackgroundTasks }, () => {})],
    ["dependency", (api: ReturnType<typeof router>) => api.websocket("/ws", { a: Depends(inDependency) }, () => {})],
  ] as const) {
    const app = Fastify();
    await app.register(websocket);
    await app.register(dependsPlugin, { openapi: false });
    const api = router();
    declare(api);
    const error = await app.register(api.plugin()).ready().then(() => undefined, (e: unknown) => e);
    t.ok(error instanceof DeclarationError, name);
    t.match(error, { code: "DEPENDS_WEBSOCKET_BACKGROUND_TASKS", route: "WEBSOCKET /ws" }, name);
    if (name === "dependency") t.match(error, { path: ["WEBSOCKET /ws", "audit"] });
    await app.close();
  }
});
