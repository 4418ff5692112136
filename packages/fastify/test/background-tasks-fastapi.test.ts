// FastAPI's background-task tests, case by case (FastAPI 0.141.1):
// tests/test_tutorial/test_background_tasks/test_tutorial001.py and test_tutorial002.py
// (docs_src/background_tasks/*), tests/test_dependency_contextmanager.py::test_background_tasks
// (tasks run after the response, while request-scoped yield dependencies are still open; their
// teardown comes after), and tests/test_response_dependency.py::test_background_tasks_with_depends_annotated.
// FastAPI's TestClient returns after the tasks ran; inject returns after the response, so each case
// waits for its last task.
import { mkdtemp, readFile, rm, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import Fastify from "fastify";
import { Type } from "typebox";
import { BackgroundTasks, Depends, dependency, Path, Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A log.txt of the test's own (FastAPI's tests write one in the working directory). */
async function logFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "depends-bg-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return join(dir, "log.txt");
}

t.test("tutorial001: a task with arguments writes the notification after the response", async (t) => {
  const log = await logFile();
  const written = deferred();
  const writeNotification = async (email: string, message = ""): Promise<void> => {
    await appendFile(log, `notification for ${email}: ${message}`);
    written.resolve();
  };
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.post("/send-notification/{email}", { email: Path(Type.String()), tasks: BackgroundTasks }, function send_notification({ email, tasks }) {
    tasks.addTask(writeNotification, email, "some notification");
    return { message: "Notification sent in the background" };
  });
  await app.register(api.plugin());
  const response = await app.inject({ method: "POST", url: "/send-notification/foo@example.com" });
  t.equal(response.statusCode, 200, response.body);
  t.same(response.json(), { message: "Notification sent in the background" });
  await written.promise;
  t.match(await readFile(log, "utf8"), "notification for foo@example.com: some notification");
  await app.close();
});

t.test("tutorial002: a dependency and the handler add tasks to the same BackgroundTasks", async (t) => {
  const log = await logFile();
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const writeLog = (message: string): Promise<void> => appendFile(log, message);
  const getQuery = dependency({ tasks: BackgroundTasks, q: Query(Type.Optional(Type.String())) }, function get_query({ tasks, q }) {
    if (q) tasks.addTask(writeLog, `found query: ${q}\n`);
    return q;
  });
  const last = deferred();
  const api = router();
  api.post("/send-notification/{email}", { email: Path(Type.String()), tasks: BackgroundTasks, q: Depends(getQuery) }, async function send_notification({ email, tasks }) {
    tasks.addTask(writeLog, `message to ${email}\n`);
    tasks.addTask(last.resolve);
    return { message: "Message sent" };
  });
  await app.register(api.plugin());
  const response = await app.inject({ method: "POST", url: "/send-notification/foo@example.com?q=some-query" });
  t.equal(response.statusCode, 200, response.body);
  t.same(response.json(), { message: "Message sent" });
  await last.promise;
  t.match(await readFile(log, "utf8"), "found query: some-query\nmessage to foo@example.com");
  await app.close();
});

for (const kind of ["async", "sync"] as const) {
  t.test(`test_dependency_contextmanager: test_background_tasks (${kind} generators): the task sees both contexts open, their teardown comes after`, async (t) => {
    const state: Record<string, string> = { context_a: "not started a", context_b: "not started b", bg: "not set" };
    const getState = dependency(async () => state);
    const contextA =
      kind === "async"
        ? dependency({ state: Depends(getState) }, async function* context_a({ state }) {
            state.context_a = "started a";
            try {
              yield state;
            } finally {
              state.context_a = "finished a";
            }
          })
        : dependency({ state: Depends(getState) }, function* context_a({ state }) {
            state.context_a = "started a";
            try {
              yield state;
            } finally {
              state.context_a = "finished a";
            }
          });
    const finished = deferred();
    const contextB =
      kind === "async"
        ? dependency({ state: Depends(contextA) }, async function* context_b({ state }) {
            state.context_b = "started b";
            try {
              yield state;
            } finally {
              state.context_b = `finished b with a: ${state.context_a}`;
              finished.resolve();
            }
          })
        : dependency({ state: Depends(contextA) }, function* context_b({ state }) {
            state.context_b = "started b";
            try {
              yield state;
            } finally {
              state.context_b = `finished b with a: ${state.context_a}`;
              finished.resolve();
            }
          });
    const app = Fastify();
    await app.register(dependsPlugin, { openapi: false });
    // FastAPI's test reads the state in a middleware, as the response goes out: onSend here.
    app.addHook("onSend", async (_request, reply, payload) => {
      reply.header("x-state", JSON.stringify({ ...state }));
      return payload;
    });
    const api = router();
    api.get("/context_b_bg", { tasks: BackgroundTasks, state: Depends(contextB) }, async function get_context_b_bg({ tasks, state }) {
      tasks.addTask(async (state: Record<string, string>) => {
        state.bg = `bg set - b: ${state.context_b} - a: ${state.context_a}`;
      }, state);
      return state;
    });
    await app.register(api.plugin());
    const response = await app.inject("/context_b_bg");
    const data = response.json<Record<string, string>>();
    t.equal(data.context_b, "started b");
    t.equal(data.context_a, "started a");
    t.equal(data.bg, "not set");
    const atSend = JSON.parse(response.headers["x-state"] as string) as Record<string, string>;
    t.equal(atSend.context_b, "started b");
    t.equal(atSend.context_a, "started a");
    t.equal(atSend.bg, "not set");
    await finished.promise;
    t.equal(state.context_b, "finished b with a: started a");
    t.equal(state.context_a, "finished a");
    t.equal(state.bg, "bg set - b: started b - a: started a");
    await app.close();
  });
}

t.test("test_response_dependency: test_background_tasks_with_depends_annotated", async (t) => {
  const taskResults: string[] = [];
  const backgroundTask = (message: string): void => void taskResults.push(message);
  const addBackgroundTask = dependency({ tasks: BackgroundTasks }, function add_background_task({ tasks }) {
    tasks.addTask(backgroundTask, "from dependency");
    return tasks;
  });
  const done = deferred();
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/", { tasks: Depends(addBackgroundTask) }, function endpoint({ tasks }) {
    tasks.addTask(backgroundTask, "from endpoint");
    tasks.addTask(done.resolve);
    return { status: "ok" };
  });
  await app.register(api.plugin());
  const response = await app.inject("/");
  t.equal(response.statusCode, 200);
  await done.promise;
  t.ok(taskResults.includes("from dependency"));
  t.ok(taskResults.includes("from endpoint"));
  await app.close();
});
