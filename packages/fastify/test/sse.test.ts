// Server-sent events over real sockets: FastAPI's tests/test_sse.py framing cases, keep-alive,
// Last-Event-ID, headers, teardown when the client goes away, back-pressure.
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, EventStream, LastEventId, ServerSentEvent, sse, StreamError } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { deferred, fetchAll, listen, open, readUntil, sleep, within } from "./support/stream-client.js";

const items = [
  { name: "Plumbus", description: "A multi-purpose household device." },
  { name: "Portal Gun", description: "A portal opening device." },
  { name: "Meeseeks Box", description: "A box that summons a Meeseeks." },
];
const dataLines = (text: string) => text.split("\n").filter((line) => line.startsWith("data: "));

t.test("test_sse.py: framing, headers, POST, keep-alive", async (t) => {
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/items/stream", {}, () => sse((async function* () { yield* items; })()));
  api.get("/items/stream-sync", {}, () => sse(items));
  api.post("/items/stream-post", {}, () => sse(items));
  api.get("/items/stream-sse-event", {}, () => sse((async function* () {
    yield new ServerSentEvent({ data: "hello", event: "greeting", id: "1" });
    yield new ServerSentEvent({ data: { key: "value" }, event: "json-data", id: "2" });
    yield new ServerSentEvent({ comment: "just a comment" });
    yield new ServerSentEvent({ data: "retry-test", retry: 5000 });
  })()));
  api.get("/items/stream-raw", {}, () => sse([
    new ServerSentEvent({ rawData: "plain text without quotes" }),
    new ServerSentEvent({ rawData: "<div>html fragment</div>", event: "html" }),
    new ServerSentEvent({ rawData: "cpu,87.3,1709145600", event: "csv" }),
  ]));
  api.get("/lines", {}, () => sse(["Hello\n", "Hello\n\n", "\n", "Hello\r\nWorld", "Hello\rWorld", "A\u2028B", "A\vB", ""].map((rawData) => new ServerSentEvent({ rawData }))));
  api.get("/comment", {}, () => sse([new ServerSentEvent({ comment: "hi\n" })]));
  api.get("/slow", {}, () => new EventStream((async function* () { yield { n: 1 }; await sleep(300); yield { n: 2 }; })(), { keepAlive: 50 }));
  api.get("/headers", {}, () => sse([1], { status: 201, headers: { "x-stream": "yes" } }));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());

  const stream = await fetchAll(`${base}/items/stream`);
  t.equal(stream.status, 200);
  t.equal(stream.headers["content-type"], "text/event-stream; charset=utf-8");
  t.equal(stream.headers["cache-control"], "no-cache");
  t.equal(stream.headers["x-accel-buffering"], "no");
  t.strictSame(dataLines(stream.body).map((line) => JSON.parse(line.slice(6)).name), ["Plumbus", "Portal Gun", "Meeseeks Box"]);
  t.notOk(stream.body.includes(": ping"), "test_no_keepalive_when_fast");
  t.equal(dataLines((await fetchAll(`${base}/items/stream-sync`)).body).length, 3, "test_sync_generator_with_model");
  const post = await fetchAll(`${base}/items/stream-post`, { method: "POST" });
  t.equal(post.headers["content-type"], "text/event-stream; charset=utf-8", "test_post_method_sse");
  t.equal(dataLines(post.body).length, 3);

  const fields = (await fetchAll(`${base}/items/stream-sse-event`)).body;
  t.equal(fields, 'event: greeting\ndata: "hello"\nid: 1\n\nevent: json-data\ndata: {"key":"value"}\nid: 2\n\n: just a comment\n\ndata: "retry-test"\nretry: 5000\n\n', "test_sse_events_with_fields, test_string_data_json_encoded");
  const raw = (await fetchAll(`${base}/items/stream-raw`)).body;
  t.equal(raw, "data: plain text without quotes\n\nevent: html\ndata: <div>html fragment</div>\n\nevent: csv\ndata: cpu,87.3,1709145600\n\n", "test_raw_data_sent_without_json_encoding");
  t.equal((await fetchAll(`${base}/lines`)).body, [
    "data: Hello\ndata: \n\n", "data: Hello\ndata: \ndata: \n\n", "data: \ndata: \n\n", "data: Hello\ndata: World\n\n",
    "data: Hello\ndata: World\n\n", "data: A\u2028B\n\n", "data: A\vB\n\n", "data: \n\n",
  ].join(""), "test_format_sse_event_splitlines_behavior_in_data");
  t.equal((await fetchAll(`${base}/comment`)).body, ": hi\n: \n\n", "test_format_sse_event_splitlines_behavior_in_comment");
  const slow = (await fetchAll(`${base}/slow`)).body;
  t.match(slow, /^data: \{"n":1\}\n\n(: ping\n\n)+data: \{"n":2\}\n\n$/, "test_keepalive_ping_async: pings between the two events");
  const headers = await fetchAll(`${base}/headers`);
  t.equal(headers.status, 201);
  t.equal(headers.headers["x-stream"], "yes");
  t.equal(headers.headers["cache-control"], "no-cache");
});

t.test("test_sse.py: ServerSentEvent validation", async (t) => {
  t.throws(() => new ServerSentEvent({ data: "test", id: "has\0null" }), { name: "StreamError", code: "DEPENDS_SSE_FIELD", message: /null/ });
  for (const field of ["event", "id"] as const) {
    for (const value of ["first\nsecond", "first\rsecond", "first\r\nsecond"]) {
      t.throws(() => new ServerSentEvent({ data: "test", [field]: value }), { code: "DEPENDS_SSE_FIELD", message: `SSE '${field}' must be a single line` });
    }
  }
  t.throws(() => new ServerSentEvent({ data: "test", retry: -1 }), StreamError);
  t.throws(() => new ServerSentEvent({ data: "test", retry: 1.5 }), StreamError);
  t.throws(() => new ServerSentEvent({ data: "json", rawData: "raw" }), { message: /Cannot set both/ });
  t.throws(() => sse([], { keepAlive: 0 }), RangeError);
});

t.test("Last-Event-ID: the header a reconnecting EventSource sends", async (t) => {
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/feed", { lastEventId: LastEventId }, ({ lastEventId }) => {
    const from = lastEventId === undefined ? 0 : Number(lastEventId) + 1;
    return sse([from, from + 1].map((n) => new ServerSentEvent({ id: String(n), data: n })));
  });
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  t.equal((await fetchAll(`${base}/feed`)).body, "data: 0\nid: 0\n\ndata: 1\nid: 1\n\n");
  t.equal((await fetchAll(`${base}/feed`, { headers: { "last-event-id": "1" } })).body, "data: 2\nid: 2\n\ndata: 3\nid: 3\n\n");
});

t.test("an SSE client that goes away: the signal ends the generator's wait, its finally runs, then request-scoped teardown; keep-alive stops", async (t) => {
  const events: string[] = [];
  const closed = deferred();
  const session = dependency(async function* session() {
    try {
      yield "s";
    } catch (error) {
      events.push(`teardown sees ${(error as Error).name}`);
      closed.resolve();
      throw error;
    }
  });
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/", { s: Depends(session) }, () => sse((signal) => (async function* () {
    try {
      yield { first: true };
      // Idle, waiting for outside events (only keep-alive comments flow) until the client leaves.
      await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
    } finally {
      events.push("generator finally");
    }
  })(), { keepAlive: 10 }));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  const { res, abort } = await open(base);
  const seen = await readUntil(res, (text) => text.split(": ping").length > 3);
  t.match(seen, /^data: \{"first":true\}\n\n: ping\n\n/);
  abort();
  await within(closed.promise);
  t.strictSame(events, ["generator finally", "teardown sees AbortError"]);
});

t.test("SSE back-pressure: a client that does not read stops the event source", async (t) => {
  let produced = 0;
  const app = Fastify({ logger: false });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  const big = "y".repeat(32 * 1024);
  api.get("/", {}, () => sse((async function* () {
    for (;;) {
      produced++;
      yield new ServerSentEvent({ rawData: big });
    }
  })(), { keepAlive: 20 }));
  await app.register(api.plugin());
  const base = await listen(app);
  t.teardown(() => app.close());
  const { res, abort } = await open(base);
  await sleep(300);
  const stalled = produced;
  await sleep(300);
  t.equal(produced, stalled, `no event is made while the client does not read (${stalled} events of 32 KiB made)`);
  await readUntil(res, (text) => text.length > (stalled + 10) * big.length);
  t.ok(produced > stalled, "reading resumes it");
  abort();
});
