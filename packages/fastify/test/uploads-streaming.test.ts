// Large uploads stream to disk without being held in memory; temporary files are deleted at the
// request's end, whatever the end: a response, a handler error, a client leaving mid-body or
// while the handler runs. Over real sockets, with curl and undici as clients.
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import t from "tap";
import { fetch, FormData } from "undici";
import { dependency, Depends, File } from "@depends/core";
import { router } from "@depends/fastify";
import { curl, eventually, serve } from "./support/uploads.js";

const run = promisify(execFile);
const MB = 1024 * 1024;
const SIZE = 50 * MB;

async function bigFile(t: { teardown(fn: () => unknown): void }): Promise<{ path: string; sha256: string }> {
  const dir = await mkdtemp(join(tmpdir(), "depends-big-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "big.bin");
  const handle = await open(path, "w");
  const hash = createHash("sha256");
  for (let i = 0; i < SIZE / MB; i++) {
    const chunk = Buffer.alloc(MB, i % 251);
    hash.update(chunk);
    await handle.write(chunk);
  }
  await handle.close();
  return { path, sha256: hash.digest("hex") };
}

function hashingApi() {
  const api = router();
  api.post("/hash/", { file: File() }, async function hash({ file }) {
    const hash = createHash("sha256");
    for await (const chunk of file.stream()) hash.update(chunk as Buffer);
    return { filename: file.filename, size: file.size, sha256: hash.digest("hex") };
  });
  return api;
}

// A full collection before each sample, so that the figure is what is alive (chunks already
// written to disk are garbage, not memory the upload holds).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** One small upload first: the route's first request loads and compiles its validator (megabytes of heap). */
async function warmUp(url: string): Promise<void> {
  const form = new FormData();
  form.append("file", new Blob(["warm"]), "warm.txt");
  await (await fetch(`${url}/hash/`, { method: "POST", body: form })).arrayBuffer();
  await curl(`${url}/hash/`, ["-F", "file=@/etc/hostname"]);
}

/**
 * Samples live heap plus buffers while `work` runs: the peak growth over the level before it. Each
 * sample collects twice around a turn of the event loop, since the backing stores of dead
 * buffers are freed by a sweeper that may lag behind the collection.
 */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const used = async () => {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = await used();
  let peak = base;
  let done = false;
  const sampling = (async () => {
    while (!done) {
      peak = Math.max(peak, await used());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const result = await work();
    return { result, growth: peak - base };
  } finally {
    done = true;
    await sampling;
  }
}

t.test("a 50 MB file from curl streams to disk: memory stays far below its size", async (t) => {
  const { path, sha256 } = await bigFile(t);
  const { url, spooled } = await serve(hashingApi(), {}, t);
  await warmUp(url);
  const { result, growth } = await peakGrowth(() => curl(`${url}/hash/`, ["-F", `file=@${path};filename=big.bin`]));
  t.comment(`curl, 50 MB upload: peak heap + buffers growth ${(growth / MB).toFixed(1)} MB`);
  t.equal(result.status, 200);
  t.strictSame(JSON.parse(result.body), { filename: "big.bin", size: SIZE, sha256 });
  t.ok(growth < SIZE / 5, `growth ${(growth / MB).toFixed(1)} MB < ${SIZE / 5 / MB} MB (a fifth of the file; holding the body would be 50 MB)`);
  t.ok(await eventually(async () => (await spooled()).length === 0), "the spooled file is deleted");
});

// The undici client runs in a child process: in this one, its own copy of the body would be in the figure.
const UNDICI_CLIENT = `
import { openAsBlob } from "node:fs";
import { fetch, FormData } from "undici";
const [path, url] = process.argv.slice(-2);
const form = new FormData();
form.append("file", await openAsBlob(path), "big.bin");
const res = await fetch(url, { method: "POST", body: form });
console.log(JSON.stringify({ status: res.status, json: await res.json() }));
`;

t.test("a 50 MB file from undici's FormData (a file-backed Blob)", async (t) => {
  const { path, sha256 } = await bigFile(t);
  const { url, spooled } = await serve(hashingApi(), {}, t);
  await warmUp(url);
  const { result, growth } = await peakGrowth(async () => {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", UNDICI_CLIENT, path, `${url}/hash/`], { cwd: process.cwd() });
    return JSON.parse(stdout) as unknown;
  });
  t.comment(`undici, 50 MB upload: peak heap + buffers growth ${(growth / MB).toFixed(1)} MB`);
  t.strictSame(result, { status: 200, json: { filename: "big.bin", size: SIZE, sha256 } });
  t.ok(growth < SIZE / 5, `growth ${(growth / MB).toFixed(1)} MB < ${SIZE / 5 / MB} MB (a fifth of the file; holding the body would be 50 MB)`);
  t.ok(await eventually(async () => (await spooled()).length === 0));
});

const HEAD = (length: number) =>
  `POST /hash/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${length}\r\n\r\n` +
  '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n';

t.test("a client that goes away mid-body leaves no temporary file", async (t) => {
  let handled = 0;
  const api = router();
  api.post("/hash/", { file: File() }, ({ file }) => {
    handled++;
    return file.size;
  });
  const { url, spooled } = await serve(api, { multipart: { spoolThreshold: 1024 } }, t);
  const { port } = new URL(url);
  const socket = connect(Number(port), "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(HEAD(10 * MB));
  socket.write(Buffer.alloc(2 * MB, 1));
  t.ok(await eventually(async () => (await spooled()).length === 1), "the upload was being spooled to disk");
  socket.destroy();
  t.ok(await eventually(async () => (await spooled()).length === 0), "and is deleted once the client is gone");
  t.equal(handled, 0, "the handler never ran");
});

t.test("a client that goes away while the handler reads: the file stays until the handler is done", async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const started = new Promise<void>((resolve) => (arrived = resolve));
  let read: number | undefined;
  const api = router();
  api.post("/hash/", { file: File() }, async ({ file }) => {
    arrived();
    await gate;
    read = (await file.buffer()).length;
    return read;
  });
  const { url, spooled } = await serve(api, { multipart: { spoolThreshold: 0 } }, t);
  const body = Buffer.concat([Buffer.from(HEAD(0).split("\r\n\r\n").slice(1).join("\r\n\r\n")), Buffer.alloc(1000, 7), Buffer.from("\r\n--XX--\r\n")]);
  const socket = connect(Number(new URL(url).port), "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(HEAD(body.length).split("\r\n\r\n")[0] + "\r\n\r\n");
  socket.write(body);
  await started;
  socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal((await spooled()).length, 1, "still there while the handler runs");
  release();
  t.ok(await eventually(async () => read !== undefined && (await spooled()).length === 0), "read whole, then deleted");
  t.equal(read, 1000);
});

t.test("a handler that throws: 500, and the temporary file is deleted", async (t) => {
  const api = router();
  api.post("/hash/", { file: File() }, () => {
    throw new Error("boom");
  });
  const { url, spooled } = await serve(api, { multipart: { spoolThreshold: 0 } }, t);
  const res = await curl(`${url}/hash/`, ["-F", "file=@/etc/services"]);
  t.strictSame({ status: res.status, body: JSON.parse(res.body) }, { status: 500, body: { detail: "Internal Server Error" } });
  t.ok(await eventually(async () => (await spooled()).length === 0));
});

t.test("a request-scoped dependency still reads the upload in its teardown, after the response", async (t) => {
  const seen: string[] = [];
  const checksum = dependency({ file: File() }, async function* checksum({ file }) {
    yield file.size;
    seen.push(`teardown read ${(await file.text()).length} bytes`);
  });
  const api = router();
  api.post("/hash/", { size: Depends(checksum) }, ({ size }) => ({ size }));
  const { url, spooled } = await serve(api, { multipart: { spoolThreshold: 0 } }, t);
  const form = new FormData();
  form.append("file", new Blob(["x".repeat(300)]), "x.txt");
  const res = await fetch(`${url}/hash/`, { method: "POST", body: form });
  t.strictSame(await res.json(), { size: 300 });
  t.ok(await eventually(async () => seen.length === 1 && (await spooled()).length === 0));
  t.strictSame(seen, ["teardown read 300 bytes"]);
});
