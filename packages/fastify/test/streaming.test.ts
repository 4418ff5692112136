// Streamed responses over real sockets: what is sent, when request-scoped teardowns run (after the
// last chunk, or when the client goes away), errors before and after the first chunk, back-pressure.
import { Readable } from "node:stream";
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, HTTPException, jsonLines, StreamingResponse } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { deferred, fetchAll, listen, open, readUntil, sleep, within } from "./support/stream-client.js";

type Log = { level: number; msg: string; err?: { message: string } };

async function appWith(build: (api: ReturnType<typeof router>, events: string[]) => void) {
  const events: string[] = [];
  const logs: Log[] = [];
  const app = Fastify({ logger: { level: "debug", stream: { write: (line: string) => void logs.push(JSON.parse(line)) } } });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  build(api, events);
  await app.register(api.plugin());
  const base = await listen(app);
  return { app, base, events, logs };
}

/** A request-scoped resource recording its life; `closed` settles with what its teardown saw. */
function resource(events: string[]) {
  const closed = deferred<string>();
  const dep = dependency(async function* session() {
    const session = { open: true };
    events.push("setup");
    try {
      yield session;
      events.push("teardown");
      closed.resolve("ok");
    } catch (error) {
      events.push(`teardown sees ${(error as Error).name}: ${(error as Error).message}`);
      closed.resolve((error as Error).name);
      throw error;
    } finally {
      session.open = false;
    }
  });
  return { dep, closed: closed.promise };
}

t.test("a returned async generator streams its chunks; request-scoped teardown runs after the last one is sent", async (t) => {
  let closed!: Promise<string>;
  const { app, base, events } = await appWith((api, events) => {
    const r = resource(events);
    closed = r.closed;
    api.get("/", { session: Depends(r.dep) }, ({ session }) => (async function* () {
      for (const part of ["a", "b", "c"]) {
        await sleep(5);
        events.push(`chunk ${part} open=${session.open}`);
        yield part;
      }
    })());
  });
  t.teardown(() => app.close());
  const res = await fetchAll(base);
  t.equal(res.status, 200);
  t.equal(res.body, "abc");
  t.equal(res.headers["transfer-encoding"], "chunked");
  t.ok(res.complete);
  t.equal(await within(closed), "ok");
  t.strictSame(events, ["setup", "chunk a open=true", "chunk b open=true", "chunk c open=true", "teardown"]);
});

t.test("Readable, ReadableStream, sync generator, StreamingResponse with media type, status and headers", async (t) => {
  const { app, base } = await appWith((api) => {
    api.get("/readable", {}, () => Readable.from([Buffer.from("no"), Buffer.from("de")]));
    api.get("/web", {}, () => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode("we")); c.enqueue(new TextEncoder().encode("b")); c.close(); } }));
    api.get("/sync", {}, () => (function* () { yield "s"; yield new Uint8Array([121, 110, 99]); })());
    api.get("/csv", {}, () => new StreamingResponse((async function* () { yield "id,name\n"; yield "1,foo\n"; })(), { mediaType: "text/csv", status: 201, headers: { "content-disposition": 'attachment; filename="x.csv"' } }));
    api.get("/string", {}, () => new StreamingResponse("whole", { mediaType: "application/octet-stream" }));
    api.get("/empty", {}, () => (async function* () {})());
  });
  t.teardown(() => app.close());
  t.equal((await fetchAll(`${base}/readable`)).body, "node");
  t.equal((await fetchAll(`${base}/web`)).body, "web");
  t.equal((await fetchAll(`${base}/sync`)).body, "sync");
  const csv = await fetchAll(`${base}/csv`);
  t.equal(csv.status, 201);
  t.equal(csv.headers["content-type"], "text/csv; charset=utf-8");
  t.equal(csv.headers["content-disposition"], 'attachment; filename="x.csv"');
  t.equal(csv.body, "id,name\n1,foo\n");
  const whole = await fetchAll(`${base}/string`);
  t.equal(whole.headers["content-type"], "application/octet-stream");
  t.equal(whole.body, "whole");
  const empty = await fetchAll(`${base}/empty`);
  t.equal(empty.status, 200);
  t.equal(empty.body, "");
});

t.test("JSON Lines: one JSON text per line, application/jsonl", async (t) => {
  const { app, base } = await appWith((api) => {
    api.get("/items", {}, () => jsonLines((async function* () { yield { name: "foo" }; yield [1, "two"]; yield "three"; })()));
    api.get("/bad", {}, () => jsonLines((async function* () { yield { ok: 1 }; yield undefined; })()));
  });
  t.teardown(() => app.close());
  const res = await fetchAll(`${base}/items`);
  t.equal(res.headers["content-type"], "application/jsonl; charset=utf-8");
  t.strictSame(res.body.trim().split("\n").map((line) => JSON.parse(line)), [{ name: "foo" }, [1, "two"], "three"]);
  const bad = await fetchAll(`${base}/bad`);
  t.equal(bad.body, '{"ok":1}\n');
  t.notOk(bad.complete, "an item that is not JSON ends the stream abnormally");
});

t.test("the client goes away mid-stream: the generator's finally runs, then request-scoped teardown sees an AbortError", async (t) => {
  let closed!: Promise<string>;
  const finallyRan = deferred();
  let produced = 0;
  const { app, base, events } = await appWith((api, events) => {
    const r = resource(events);
    closed = r.closed;
    api.get("/", { session: Depends(r.dep) }, () => (async function* () {
      try {
        for (;;) {
          produced++;
          yield `tick ${produced}\n`;
          await sleep(5);
        }
      } finally {
        events.push(`generator finally`);
        finallyRan.resolve();
      }
    })());
  });
  t.teardown(() => app.close());
  const { res, abort } = await open(base);
  const seen = await readUntil(res, (text) => text.includes("tick 3"));
  t.match(seen, /^tick 1\ntick 2\ntick 3/);
  abort();
  await within(finallyRan.promise);
  t.equal(await within(closed), "AbortError");
  t.strictSame(events, ["setup", "generator finally", "teardown sees AbortError: The client closed the connection before the response was complete"]);
  const after = produced;
  await sleep(50);
  t.equal(produced, after, "nothing is produced after the abort");
});

t.test("a client gone while the generator awaits: its current step finishes, its finally runs, then the teardowns", async (t) => {
  let closed!: Promise<string>;
  const gate = deferred();
  const finallyRan = deferred();
  const { app, base, events } = await appWith((api, events) => {
    const r = resource(events);
    closed = r.closed;
    api.get("/", { session: Depends(r.dep) }, () => (async function* () {
      try {
        yield "first\n";
        await gate.promise; // e.g. waiting for the next message of a queue
        yield "never sent\n";
      } finally {
        events.push("generator finally");
        finallyRan.resolve();
      }
    })());
  });
  t.teardown(() => app.close());
  const { res, abort } = await open(base);
  await readUntil(res, (text) => text.includes("first"));
  abort();
  await sleep(50);
  t.strictSame(events, ["setup"], "nothing is torn down while the stream code is still running");
  gate.resolve();
  await within(finallyRan.promise);
  t.equal(await within(closed), "AbortError");
  t.strictSame(events, ["setup", "generator finally", "teardown sees AbortError: The client closed the connection before the response was complete"]);
});

t.test("an error before the first chunk is answered FastAPI-style; request-scoped teardown sees it first", async (t) => {
  const seen: string[] = [];
  const { app, base, logs } = await appWith((api) => {
    const catching = dependency(async function* catching() {
      try {
        yield "s";
      } catch (error) {
        seen.push((error as Error).message);
        if ((error as Error).message === "convert me") throw new HTTPException(418, "Session error");
        throw error;
      }
    });
    api.get("/500", { s: Depends(catching) }, () => (async function* () { throw new Error("database gone"); })());
    api.get("/http", {}, () => (async function* () { throw new HTTPException(404, "No such feed", { "x-reason": "missing" }); })());
    api.get("/replaced", { s: Depends(catching) }, () => (async function* () { throw new Error("convert me"); })());
    api.get("/object-chunk", {}, () => (async function* () { yield { not: "bytes" }; })());
    api.get("/not-a-body", {}, () => new StreamingResponse(42 as never));
  });
  t.teardown(() => app.close());
  const failed = await fetchAll(`${base}/500`);
  t.equal(failed.status, 500);
  t.strictSame(JSON.parse(failed.body), { detail: "Internal Server Error" });
  t.ok(logs.some((l) => l.level === 50 && l.err?.message === "database gone"), "the error is logged");
  const http = await fetchAll(`${base}/http`);
  t.equal(http.status, 404);
  t.equal(http.headers["x-reason"], "missing");
  t.strictSame(JSON.parse(http.body), { detail: "No such feed" });
  const replaced = await fetchAll(`${base}/replaced`);
  t.equal(replaced.status, 418);
  t.strictSame(JSON.parse(replaced.body), { detail: "Session error" });
  t.strictSame(seen, ["database gone", "convert me"]);
  const chunk = await fetchAll(`${base}/object-chunk`);
  t.equal(chunk.status, 500);
  t.ok(logs.some((l) => l.err?.message.startsWith("A raw stream chunk must be a string or a Uint8Array (Buffer), got object")));
  const body = await fetchAll(`${base}/not-a-body`);
  t.equal(body.status, 500);
});

t.test("an error after the first chunk cuts the stream (no terminating chunk), is logged, and teardown sees it; the server goes on", async (t) => {
  let closed!: Promise<string>;
  const { app, base, logs } = await appWith((api, events) => {
    const r = resource(events);
    closed = r.closed;
    api.get("/", { session: Depends(r.dep) }, () => (async function* () {
      yield "partial ";
      await sleep(5);
      throw new Error("lost the upstream");
    })());
    api.get("/object-later", {}, () => (async function* () { yield "ok "; yield 42; })());
    api.get("/ok", {}, () => ({ still: "serving" }));
  });
  t.teardown(() => app.close());
  const res = await fetchAll(base);
  t.equal(res.status, 200);
  t.equal(res.body, "partial ");
  t.notOk(res.complete, "the chunked body is terminated abnormally");
  t.equal(await within(closed), "Error");
  t.ok(logs.some((l) => l.level === 40 && l.msg === "response terminated with an error with headers already sent" && l.err?.message === "lost the upstream"), "logged");
  const later = await fetchAll(`${base}/object-later`);
  t.equal(later.body, "ok ");
  t.notOk(later.complete);
  t.strictSame(JSON.parse((await fetchAll(`${base}/ok`)).body), { still: "serving" });
});

t.test("back-pressure: a client that does not read stops the generator; nothing is buffered without bound", async (t) => {
  let produced = 0;
  const chunk = "x".repeat(64 * 1024);
  const { app, base } = await appWith((api) => {
    api.get("/", {}, () => (async function* () {
      for (;;) {
        produced++;
        yield chunk;
      }
    })());
  });
  t.teardown(() => app.close());
  const { res, abort } = await open(base);
  await sleep(300);
  const stalled = produced;
  await sleep(300);
  t.equal(produced, stalled, `production stopped while the client did not read (${stalled} chunks of 64 KiB made)`);
  t.ok(stalled < 400, "bounded by socket buffers and one stream buffer, not by the generator");
  const before = produced;
  await readUntil(res, (text) => text.length > (stalled + 20) * chunk.length);
  t.ok(produced > before, "reading resumes the generator");
  abort();
});

t.test("a route without request-scoped teardown streams too; a function-scoped teardown closes before the stream (FastAPI)", async (t) => {
  const { app, base } = await appWith((api) => {
    const fn = dependency(function* fn() {
      const s = { open: true };
      yield s;
      s.open = false;
    });
    api.get("/", { s: Depends(fn, { scope: "function" }) }, ({ s }) => (async function* () { yield JSON.stringify({ is_open: s.open }); })());
  });
  t.teardown(() => app.close());
  t.strictSame(JSON.parse((await fetchAll(base)).body), { is_open: false });
});
