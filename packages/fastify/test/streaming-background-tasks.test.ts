// BackgroundTasks with a streamed response (the merge of the two features): the tasks run after
// the last chunk was sent and before request-scoped teardowns (Starlette runs a StreamingResponse's
// background after its body); a stream that fails after its first chunk, or whose client goes
// away, runs no task. Routes with and without request-scoped teardowns.
import t from "tap";
import Fastify from "fastify";
import { BackgroundTasks, Depends, dependency, StreamingResponse } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { fetchAll, listen } from "./support/stream-client.js";

const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

async function streamingApp(events: string[]) {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const perRequest = dependency(function* perRequest() {
    events.push("request setup");
    try {
      yield "resource";
    } finally {
      events.push("request teardown");
    }
  });
  const api = router();
  async function* chunks(fail: boolean) {
    events.push("chunk 1");
    yield "a";
    if (fail) throw new Error("broken stream");
    events.push("chunk 2");
    yield "b";
  }
  api.get("/scoped", { tasks: BackgroundTasks, held: Depends(perRequest, { scope: "request" }) }, function scoped({ tasks, held }) {
    tasks.addTask((what: string) => void events.push(`task sees ${what}`), held);
    return new StreamingResponse(chunks(false), { mediaType: "text/plain", status: 201 });
  });
  api.get("/plain", { tasks: BackgroundTasks }, function plain({ tasks }) {
    tasks.addTask(() => void events.push("task"));
    return chunks(false);
  });
  api.get("/failing", { tasks: BackgroundTasks, held: Depends(perRequest, { scope: "request" }) }, function failing({ tasks }) {
    tasks.addTask(() => void events.push("task"));
    return chunks(true);
  });
  await app.register(api.plugin());
  return { app, url: await listen(app) };
}

t.test("tasks run after the last chunk and before request-scoped teardown", async (t) => {
  const events: string[] = [];
  const { app, url } = await streamingApp(events);
  t.teardown(() => app.close());
  const received = await fetchAll(`${url}/scoped`);
  t.equal(received.status, 201);
  t.equal(received.body, "ab");
  await settle();
  t.same(events, ["request setup", "chunk 1", "chunk 2", "task sees resource", "request teardown"]);
});

t.test("a stream on a route without teardowns runs its tasks after the body", async (t) => {
  const events: string[] = [];
  const { app, url } = await streamingApp(events);
  t.teardown(() => app.close());
  const received = await fetchAll(`${url}/plain`);
  t.equal(received.body, "ab");
  await settle();
  t.same(events, ["chunk 1", "chunk 2", "task"]);
});

t.test("a stream failing after its first chunk runs no task; teardown still runs", async (t) => {
  const events: string[] = [];
  const { app, url } = await streamingApp(events);
  t.teardown(() => app.close());
  const received = await fetchAll(`${url}/failing`);
  t.equal(received.complete, false, "the chunked body has no last chunk");
  await settle();
  t.same(events, ["request setup", "chunk 1", "request teardown"]);
});
