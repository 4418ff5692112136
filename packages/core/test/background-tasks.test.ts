// BackgroundTasks in the core: one queue per request shared by the whole tree, run by
// route.execute() and resolve() as an adapter does after the response (tasks, then request-scoped
// teardowns), in the generated code and in the interpreter alike.
import t from "tap";
import { Type } from "typebox";
import { BackgroundTasks, compileRoute, createRequest, Depends, dependency, HTTPException, Query, resolve } from "@depends/core";
import { afterResponse, BackgroundTaskQueue, RequestScope } from "@depends/core/adapter";

for (const codegen of [true, false]) {
  t.test(`one queue per request, shared by dependencies and the handler (codegen: ${codegen})`, async (t) => {
    const seen: unknown[] = [];
    const log: string[] = [];
    const write = (message: string): void => void log.push(message);
    const getQuery = dependency({ tasks: BackgroundTasks, q: Query(Type.Optional(Type.String())) }, ({ tasks, q }) => {
      seen.push(tasks);
      if (q !== undefined) tasks.addTask(write, `found query: ${q}`);
      return q;
    });
    const route = compileRoute(
      {
        method: "POST", path: "/send-notification/:email",
        sources: { q: Depends(getQuery), tasks: BackgroundTasks },
        handler: ({ tasks }) => {
          seen.push(tasks);
          tasks.addTask(async (to: string) => void log.push(`message to ${to}`), "foo@example.com");
          return { message: "Message sent" };
        },
      },
      { codegen },
    );
    const request = createRequest({ query: { q: "some-query" } });
    t.same(await route.execute(request), { message: "Message sent" });
    t.same(log, ["found query: some-query", "message to foo@example.com"]);
    t.equal(seen[0], seen[1], "the dependency and the handler hold the same object");
    t.equal(seen[0], request.backgroundTasks);
    t.equal(request.backgroundTasks?.size, 2);
  });
}

t.test("execute(): tasks run after the handler and function-scoped teardowns, before request-scoped ones", async (t) => {
  const events: string[] = [];
  const perFunction = dependency(function* fn() { events.push("function setup"); yield "f"; events.push("function teardown"); });
  const perRequest = dependency(async function* req() { events.push("request setup"); yield "r"; events.push("request teardown"); });
  const route = compileRoute({
    method: "GET", path: "/",
    sources: { f: Depends(perFunction, { scope: "function" }), r: Depends(perRequest), tasks: BackgroundTasks },
    handler: ({ tasks }) => {
      events.push("handler");
      tasks.addTask(() => void events.push("task"));
      return 1;
    },
  });
  await route.execute(createRequest());
  t.same(events, ["function setup", "request setup", "handler", "function teardown", "task", "request teardown"]);
});

t.test("a failing task: the next ones run, request-scoped teardowns see it, execute() rejects with it", async (t) => {
  const events: string[] = [];
  const session = dependency(function* session() {
    try {
      yield "db";
      events.push("commit");
    } catch (error) {
      events.push(`rollback after ${(error as Error).message}`);
      throw error;
    }
  });
  const route = compileRoute({
    method: "GET", path: "/",
    sources: { db: Depends(session), tasks: BackgroundTasks },
    handler: ({ tasks }) => {
      tasks.addTask(() => { throw new Error("first failed"); });
      tasks.addTask(async () => { events.push("second"); throw new Error("second failed"); });
      tasks.addTask(() => void events.push("third"));
      return "ok";
    },
  });
  await t.rejects(route.execute(createRequest()), { message: "first failed" });
  t.same(events, ["second", "third", "rollback after first failed"]);
});

t.test("an error to answer runs no task (FastAPI attaches tasks to the handler's response only)", async (t) => {
  const events: string[] = [];
  const route = compileRoute({
    method: "GET", path: "/",
    sources: { tasks: BackgroundTasks },
    handler: ({ tasks }) => {
      tasks.addTask(() => void events.push("task"));
      throw new HTTPException(409, "no");
    },
  });
  await t.rejects(route.execute(createRequest()), { message: "no" });
  t.same(events, []);
});

t.test("tasks added by a task run after the others; added after the run, they are refused", async (t) => {
  const events: string[] = [];
  const queue = new BackgroundTaskQueue();
  queue.addTask(() => {
    events.push("a");
    queue.addTask(() => void events.push("c (added by a)"));
  });
  queue.addTask(() => void events.push("b"));
  t.equal(queue.started, false);
  const errors: unknown[] = [];
  t.equal(await queue.run({ onError: (error) => errors.push(error) }), undefined);
  t.same(events, ["a", "b", "c (added by a)"]);
  t.same(errors, []);
  t.equal(await queue.run({ onError: () => {} }), undefined, "a second run runs nothing");
  t.same(events.length, 3);
  t.throws(() => queue.addTask(function late() {}), /late\): this request's background tasks already ran/);
  // @ts-expect-error: not a function
  t.throws(() => new BackgroundTaskQueue().addTask("nope"), TypeError);
});

t.test("abandon(): the running task finishes, the next ones never start", async (t) => {
  const events: string[] = [];
  const queue = new BackgroundTaskQueue();
  let release!: () => void;
  const latch = new Promise<void>((r) => (release = r));
  queue.addTask(async function slow() { events.push("slow start"); await latch; events.push("slow end"); });
  queue.addTask(function next() { events.push("next"); });
  const running = queue.run({ onError: () => {} });
  await new Promise((r) => setImmediate(r));
  t.same(queue.abandon().map((task) => task.name), ["next"]);
  release();
  await running;
  t.same(events, ["slow start", "slow end"]);
});

t.test("afterResponse(): the scope closes after the tasks, with the first task error thrown in", async (t) => {
  const events: string[] = [];
  const scope = new RequestScope();
  const gen = (function* () {
    try {
      yield 1;
    } catch (error) {
      events.push(`teardown sees ${(error as Error).message}`);
      throw new Error("teardown failed too");
    }
  })();
  gen.next();
  scope.stack = [{ generator: gen, async: false, name: "gen" }];
  const queue = new BackgroundTaskQueue();
  queue.addTask(function boom() { throw new Error("task failed"); });
  const reported: string[] = [];
  const outcome = await afterResponse(queue, scope, (_error, task) => reported.push(`${task.name}#${task.index}`));
  t.same(reported, ["boom#0"]);
  t.same(events, ["teardown sees task failed"]);
  t.match(outcome, { taskError: { message: "task failed" }, teardownError: { message: "teardown failed too" } });
  t.throws(() => queue.addTask(() => {}), /already ran/);
});

t.test("resolve(): close() runs the tasks, then the teardowns", async (t) => {
  const events: string[] = [];
  const session = dependency(function* session() { yield "db"; events.push("session closed"); });
  const audit = dependency({ db: Depends(session), tasks: BackgroundTasks }, ({ db, tasks }) => {
    tasks.addTask((what: string) => void events.push(`audit ${what} with ${db}`), "login");
    return "audited";
  });
  const resolved = await resolve(audit);
  t.equal(resolved.value, "audited");
  t.same(events, [], "nothing runs before close()");
  await resolved.close();
  t.same(events, ["audit login with db", "session closed"]);

  const failing = dependency({ tasks: BackgroundTasks }, ({ tasks }) => tasks.addTask(() => { throw new Error("audit failed"); }));
  const again = await resolve(failing);
  await t.rejects(again.close(), { message: "audit failed" });
});

t.test("a request without a queue (a custom adapter, a WebSocket view) gets a clear error", async (t) => {
  for (const codegen of [true, false]) {
    const route = compileRoute({ method: "GET", path: "/", sources: { tasks: BackgroundTasks }, handler: ({ tasks }) => tasks.size }, { codegen });
    const { backgroundTasks: _none, ...request } = createRequest();
    await t.rejects(async () => route.run(request), /BackgroundTasks is not available here/);
  }
});

t.test("addTask is typed by the task's parameters", async (t) => {
  const queue = new BackgroundTaskQueue();
  const send = (to: string, times: number): void => void [to, times];
  queue.addTask(send, "a@example.com", 2);
  // @ts-expect-error: the second argument must be a number
  queue.addTask(send, "a@example.com", "2");
  // @ts-expect-error: an argument is missing
  queue.addTask(send, "a@example.com");
  queue.addTask(async () => {});
  t.equal(queue.size, 4);
});
