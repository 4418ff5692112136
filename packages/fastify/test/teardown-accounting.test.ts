// Teardown accounting under a mixed load: 10,000 requests through a purpose-built app whose routes
// enter generator dependencies in both teardown scopes ("request": after the response or on abort;
// "function": before the reply is sent), then succeed, fail in the handler, fail in a dependency,
// fail in a generator's setup or teardown, fail validation before or after the generators ran, or
// lose their client mid-request (real sockets on 127.0.0.1, destroyed at random moments). Every
// setup gets an id; at the end every id was torn down exactly once and the open counters are 0.
import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Cookie, Depends, dependency, HTTPException, Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

type Scope = "request" | "function";

/** Every setup and teardown, by id. */
class Ledger {
  readonly open = { request: 0, function: 0 };
  readonly setups = new Map<number, { scope: Scope; name: string }>();
  readonly teardowns = new Map<number, number>();
  /** How each teardown ended: normally, or seeing which error. */
  readonly endings = new Map<string, number>();
  #next = 0;

  setUp(scope: Scope, name: string): number {
    const id = ++this.#next;
    this.setups.set(id, { scope, name });
    this.open[scope]++;
    return id;
  }

  tearDown(id: number, ending: string): void {
    const count = (this.teardowns.get(id) ?? 0) + 1;
    this.teardowns.set(id, count);
    // A second teardown must not hide the first from the counters: only the first closes.
    if (count === 1) this.open[this.setups.get(id)!.scope]--;
    this.endings.set(ending, (this.endings.get(ending) ?? 0) + 1);
  }

  /** Ids torn down zero times or more than once. */
  unbalanced(): { id: number; name: string; teardowns: number }[] {
    const wrong = [];
    for (const [id, { name }] of this.setups) {
      const teardowns = this.teardowns.get(id) ?? 0;
      if (teardowns !== 1) wrong.push({ id, name, teardowns });
    }
    return wrong;
  }
}

const ending = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function accountingApp(ledger: Ledger) {
  const logs: { level: number; msg?: string }[] = [];
  const app = Fastify({ logger: { level: "warn", stream: { write: (line: string) => void logs.push(JSON.parse(line)) } } });
  await app.register(dependsPlugin, { openapi: false });

  // Request scope (the default): an async generator, and a sync one that uses it (LIFO teardown).
  const session = dependency(async function* session() {
    const id = ledger.setUp("request", "session");
    // A timer hop inside the setup, so that some aborts arrive while generators are being entered.
    await sleep(0);
    try {
      yield { id };
      ledger.tearDown(id, "normal");
    } catch (error) {
      ledger.tearDown(id, ending(error));
      throw error;
    }
  });
  const cursor = dependency({ s: Depends(session) }, function* cursor({ s }) {
    const id = ledger.setUp("request", "cursor");
    try {
      yield { id, session: s.id };
    } finally {
      ledger.tearDown(id, "finally");
    }
  });
  // Function scope: closes before the reply is sent; one of them may fail in its teardown.
  const transaction = dependency({ s: Depends(session) }, function* transaction({ s }) {
    const id = ledger.setUp("function", "transaction");
    try {
      yield { id, session: s.id };
      ledger.tearDown(id, "normal");
    } catch (error) {
      ledger.tearDown(id, ending(error));
      throw error;
    }
  });
  const failsInTeardown = dependency(async function* failsInTeardown() {
    const id = ledger.setUp("function", "failsInTeardown");
    yield id;
    ledger.tearDown(id, "normal, then throws");
    throw new HTTPException(503, "Exception after yield");
  });
  const failsInSetup = dependency({ t: Depends(transaction, { scope: "function" }), c: Depends(cursor) }, async function* failsInSetup() {
    await sleep(0);
    throw new HTTPException(418, "setup failed");
    yield 0;
  });
  const refuses = dependency({ t: Depends(transaction, { scope: "function" }), c: Depends(cursor) }, function refuses() {
    throw new HTTPException(403, "Not enough permissions");
  });
  // The same generator twice in one tree is entered once (FastAPI's per-request cache).
  const both = { c: Depends(cursor), again: Depends(cursor), t: Depends(transaction, { scope: "function" }) };

  const api = router();
  api.get("/ok", both, ({ c, again, t }) => ({ same: c.id === again.id, session: t.session === c.session }));
  api.get("/handler-http-error", both, () => {
    throw new HTTPException(409, "Conflict");
  });
  api.get("/handler-crash", both, () => {
    throw new Error("handler crashed");
  });
  api.get("/dependency-error", { ...both, r: Depends(refuses) }, () => "unreachable");
  api.get("/setup-error", { ...both, f: Depends(failsInSetup, { scope: "function" }) }, () => "unreachable");
  api.get("/teardown-error", { ...both, f: Depends(failsInTeardown, { scope: "function" }) }, () => "answered, then replaced by 503");
  // The core validates cookies after the sibling generators ran (FastAPI's order): they must close.
  api.get("/late-validation", { ...both, n: Cookie(Type.Integer()) }, ({ n }) => n);
  // fastify's Ajv validates the query before the handler: nothing is set up.
  api.get("/early-validation", { ...both, n: Query(Type.Integer()) }, ({ n }) => n);
  api.get("/slow", { ...both, ms: Query(Type.Integer()) }, async ({ c, ms }) => {
    await sleep(ms);
    return { cursor: c.id };
  });
  await app.register(api.plugin());
  return { app, logs };
}

interface Planned {
  readonly path: string;
  readonly cookie?: string;
  readonly status: number;
}

const PLAN: readonly (Planned & { weight: number })[] = [
  { path: "/ok", status: 200, weight: 30 },
  { path: "/handler-http-error", status: 409, weight: 10 },
  { path: "/handler-crash", status: 500, weight: 5 },
  { path: "/dependency-error", status: 403, weight: 10 },
  { path: "/setup-error", status: 418, weight: 10 },
  { path: "/teardown-error", status: 503, weight: 10 },
  { path: "/late-validation", cookie: "n=abc", status: 422, weight: 10 },
  { path: "/late-validation", cookie: "n=7", status: 200, weight: 5 },
  { path: "/early-validation?n=abc", status: 422, weight: 5 },
  { path: "/slow?ms=3", status: 200, weight: 5 },
];

/** A deterministic pseudo-random sequence (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(next: () => number): Planned {
  const total = PLAN.reduce((sum, p) => sum + p.weight, 0);
  let x = next() * total;
  for (const p of PLAN) if ((x -= p.weight) < 0) return p;
  return PLAN[0]!;
}

async function settled(ledger: Ledger, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((ledger.open.request > 0 || ledger.open.function > 0) && Date.now() < deadline) await sleep(20);
}

const TOTAL = 10_000;
const OVER_THE_WIRE = 1_500;
const SEED = Number(process.env.TEARDOWN_SEED ?? 0x5eed);

t.test(`${TOTAL} mixed requests: every setup torn down exactly once, in both scopes`, async (t) => {
  const ledger = new Ledger();
  const { app, logs } = await accountingApp(ledger);
  await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  const next = random(SEED);
  const unexpected: string[] = [];
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

  // 1. Through inject, 16 at a time.
  const injected = TOTAL - OVER_THE_WIRE;
  for (let sent = 0; sent < injected; ) {
    const batch = [];
    for (let i = 0; i < 16 && sent < injected; i++, sent++) {
      const p = pick(next);
      batch.push(
        app.inject({ url: p.path, headers: p.cookie ? { cookie: p.cookie } : {} }).then((res) => {
          count(`${p.path} ${res.statusCode}`);
          if (res.statusCode !== p.status) unexpected.push(`${p.path}: ${res.statusCode} ${res.body.slice(0, 100)}`);
        }),
      );
    }
    await Promise.all(batch);
  }

  // 2. Over real sockets: keep-alive requests, and a third of them aborted at a random moment.
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  t.teardown(() => agent.destroy());
  let aborted = 0;
  const overTheWire = (p: Planned, abortAfterMs: number | undefined) =>
    new Promise<void>((resolve) => {
      const headers = p.cookie ? { cookie: p.cookie } : {};
      // An aborted request gets its own connection, which dies with it.
      const req = httpRequest({ host: "127.0.0.1", port, path: p.path, headers, agent: abortAfterMs === undefined ? agent : false }, (res) => {
        res.resume();
        res.on("end", () => {
          count(`${p.path} ${res.statusCode}`);
          if (abortAfterMs === undefined && res.statusCode !== p.status) unexpected.push(`${p.path}: ${res.statusCode} over the wire`);
          resolve();
        });
        res.on("error", () => resolve());
      });
      req.on("error", (error) => {
        if (abortAfterMs === undefined) unexpected.push(`${p.path}: ${error.message}`);
        resolve();
      });
      req.end();
      if (abortAfterMs !== undefined) {
        setTimeout(() => {
          aborted++;
          req.destroy();
          resolve();
        }, abortAfterMs);
      }
    });
  for (let sent = 0; sent < OVER_THE_WIRE; ) {
    const batch = [];
    for (let i = 0; i < 24 && sent < OVER_THE_WIRE; i++, sent++) {
      const abort = next() < 1 / 3;
      // Aborted requests lean on the slow route, so that many die while the handler still runs.
      const p = abort && next() < 0.6 ? { path: `/slow?ms=${5 + Math.floor(next() * 25)}`, status: 200 } : pick(next);
      batch.push(overTheWire(p, abort ? Math.floor(next() * 20) : undefined));
    }
    await Promise.all(batch);
  }
  await settled(ledger);

  const setups = ledger.setups.size;
  const byScope = { request: 0, function: 0 };
  for (const { scope } of ledger.setups.values()) byScope[scope]++;
  t.comment(`requests: ${injected} injected + ${OVER_THE_WIRE} over sockets (${aborted} aborted by the client)`);
  t.comment(`setups: ${setups} (request scope ${byScope.request}, function scope ${byScope.function})`);
  t.comment(`teardown endings: ${JSON.stringify(Object.fromEntries(ledger.endings))}`);
  t.strictSame(unexpected, [], "every request that was not aborted got its planned status");
  t.ok(byScope.request > TOTAL && byScope.function > TOTAL / 2, "both scopes were exercised at scale");
  t.strictSame(ledger.open, { request: 0, function: 0 }, "open counters back to 0 in both scopes");
  t.strictSame(ledger.unbalanced().slice(0, 10), [], "every setup torn down exactly once");
  t.equal([...ledger.teardowns.values()].reduce((a, b) => a + b, 0), setups, "as many teardowns as setups");
  t.ok([...ledger.endings.keys()].some((e) => e.startsWith("AbortError")), "client aborts reached request-scoped generators mid-request");
  t.ok((ledger.endings.get("normal, then throws") ?? 0) > 0, "a failing function-scoped teardown ran");
  t.ok(aborted > OVER_THE_WIRE / 4, `a share of the socket requests was aborted (${aborted})`);
  const teardownFailures = logs.filter((line) => line.msg?.includes("teardown"));
  t.strictSame(teardownFailures, [], "no request-scoped teardown failed after the response");
  // 5xx answers are logged at error level by design: the crash (500) and the teardown's 503.
  const otherErrors = logs.filter((line) => line.level >= 50 && line.msg !== "handler crashed" && line.msg !== "Exception after yield");
  t.strictSame(otherErrors.slice(0, 5), [], "the only errors logged are the planned 5xx answers");
});
