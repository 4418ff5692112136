// Two app instances on one database, as behind a load balancer: with PGlite both share one PGlite
// instance (one process), with DATABASE_URL each has its own pool on the server. A hero created on
// A is read and announced on B's feed; a token revoked on A is refused on B within the bound.
import t from "tap";
import { WebSocket } from "ws";
import type { Database } from "../src/db/database.js";
import { REVOCATION_CHANNEL } from "../src/revocations.js";
import { testDatabase } from "./support/database.js";
import { startApp, summary } from "./support/server.js";

const BOUND_MS = 1_000;

/** Opens a WebSocket; resolves with the socket once open, or with the refusal's status and body. */
function open(url: string): Promise<{ socket: WebSocket; messages: string[]; next(): Promise<string> } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const messages: string[] = [];
    const waiting: ((message: string) => void)[] = [];
    socket.on("message", (data) => {
      const waiter = waiting.shift();
      if (waiter) waiter(String(data));
      else messages.push(String(data));
    });
    const next = () => {
      const ready = messages.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise<string>((res, rej) => {
        const timer = setTimeout(() => rej(new Error("no message within 5 s")), 5_000);
        waiting.push((m) => {
          clearTimeout(timer);
          res(m);
        });
      });
    };
    socket.once("open", () => resolve({ socket, messages, next }));
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += String(chunk)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once("error", (error) => {
      if (!String(error.message).startsWith("Unexpected server response")) reject(error);
    });
  });
}

t.before(async () => (await testDatabase()).reset());

t.test("a hero created, updated and deleted on A is read on B and announced on B's feed", async (t) => {
  const a = await startApp(t);
  const b = await startApp(t);
  const tokenA = (await a.login()).access_token;
  const tokenB = (await b.login("johndoe", "secret", "heroes:read")).access_token;
  const feed = await open(`${b.wsUrl}/heroes/feed?token=${tokenB}`);
  if (!("socket" in feed)) throw new Error(`refused: ${JSON.stringify(feed)}`);
  t.teardown(() => feed.socket.close());

  const created = (await (await a.call("POST", "/heroes/", tokenA, { name: "Deadpond", age: 30, secret_name: "Dive Wilson" })).json()) as { id: number };
  t.strictSame(JSON.parse(await feed.next()), { event: "created", hero: { name: "Deadpond", age: 30, id: created.id } }, "announced on B, without secret_name");
  t.strictSame(await summary(await b.call("GET", `/heroes/${created.id}`, tokenB)), { status: 200, challenge: null, body: { name: "Deadpond", age: 30, id: created.id } }, "read on B");

  await a.call("PATCH", `/heroes/${created.id}`, tokenA, { age: null });
  t.strictSame(JSON.parse(await feed.next()), { event: "updated", hero: { name: "Deadpond", age: null, id: created.id } });
  await a.call("DELETE", `/heroes/${created.id}`, tokenA);
  t.strictSame(JSON.parse(await feed.next()), { event: "deleted", hero: { name: "Deadpond", age: null, id: created.id } });

  // A write that fails is rolled back, and announces nothing.
  const refused = await a.call("POST", "/heroes/", tokenA, { name: "nul\u0000", secret_name: "x" });
  t.equal(refused.status, 422);
  await a.call("POST", "/heroes/", tokenA, { name: "After", secret_name: "x" });
  t.match(JSON.parse(await feed.next()), { event: "created", hero: { name: "After" } }, "the next event is the next committed change");
});

t.test("the feed refuses the handshake as the HTTP routes refuse requests", async (t) => {
  const app = await startApp(t);
  t.strictSame(await open(`${app.wsUrl}/heroes/feed`), { status: 401, body: '{"detail":"Not authenticated"}' });
  t.strictSame(await open(`${app.wsUrl}/heroes/feed?token=nope`), { status: 401, body: '{"detail":"Could not validate credentials"}' });
  const writeOnly = (await app.login("johndoe", "secret", "heroes:write")).access_token;
  t.strictSame(await open(`${app.wsUrl}/heroes/feed?token=${writeOnly}`), { status: 401, body: '{"detail":"Not enough permissions"}' });
  const alice = (await app.login("alice", "secretalice", "heroes:read")).access_token;
  t.strictSame(await open(`${app.wsUrl}/heroes/feed?token=${alice}`), { status: 400, body: '{"detail":"Inactive user"}' });
});

/**
 * Calls until the token is refused (401, or 503 when B cannot vouch for its revocation list: also a
 * refusal) and returns when the refused call was *sent*, in ms after the start: the bound is about
 * when a request is checked, not about how long a loaded machine takes to answer it.
 */
async function refusedWithin(call: () => Promise<Response>, limitMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const sentAt = performance.now() - started;
    const response = await call();
    if (response.status === 401 || response.status === 503) return sentAt;
    if (sentAt > limitMs * 3) return sentAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test("a token revoked on A is refused on B within the bound (through NOTIFY)", async (t) => {
  const a = await startApp(t);
  const b = await startApp(t);
  const { access_token } = await a.login("johndoe", "secret", "heroes:read");
  t.equal((await b.call("GET", "/heroes/", access_token)).status, 200, "B has verified (and cached) the token");
  t.equal((await a.postForm("/revoke", { token: access_token })).status, 200);
  const elapsed = await refusedWithin(() => b.call("GET", "/heroes/", access_token), BOUND_MS);
  t.ok(elapsed <= BOUND_MS, `refused on B after ${Math.round(elapsed)} ms (bound ${BOUND_MS} ms)`);
});

t.test("with B's notifications lost, the re-read still refuses the token within the bound", async (t) => {
  const shared = await (await testDatabase()).open();
  // B hears no revocation notification (a dropped LISTEN connection).
  const deaf: Database = {
    engine: shared.engine,
    query: (sql, params) => shared.query(sql, params),
    begin: () => shared.begin(),
    listen: (channel, callback) => (channel === REVOCATION_CHANNEL ? Promise.resolve(async () => {}) : shared.listen(channel, callback)),
    close: async () => {},
  };
  const a = await startApp(t);
  const b = await startApp(t, { database: deaf });
  const { access_token, refresh_token } = await a.login("johndoe", "secret", "heroes:read");
  t.equal((await b.call("GET", "/heroes/", access_token)).status, 200);
  t.equal((await a.postForm("/revoke", { token: refresh_token })).status, 200, "the refresh token: its family");
  const elapsed = await refusedWithin(() => b.call("GET", "/heroes/", access_token), BOUND_MS);
  t.ok(elapsed <= BOUND_MS, `refused on B after ${Math.round(elapsed)} ms without a notification (bound ${BOUND_MS} ms)`);
});

t.test("an open feed closes (1008) once its token is revoked on another instance", async (t) => {
  const a = await startApp(t);
  const b = await startApp(t);
  const writer = (await a.login()).access_token;
  const reader = await b.login("johndoe", "secret", "heroes:read");
  const feed = await open(`${b.wsUrl}/heroes/feed?token=${reader.access_token}`);
  if (!("socket" in feed)) throw new Error(`refused: ${JSON.stringify(feed)}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => feed.socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
  await a.call("POST", "/heroes/", writer, { name: "Before", secret_name: "x" });
  t.match(JSON.parse(await feed.next()), { event: "created", hero: { name: "Before" } });
  t.equal((await a.postForm("/revoke", { token: reader.access_token })).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await a.call("POST", "/heroes/", writer, { name: "After", secret_name: "x" });
  t.strictSame(await closed, { code: 1008, reason: "token revoked or expired" });
  t.strictSame(feed.messages, [], "nothing was sent after the revocation");
});

t.test("a hero too large for a notification (8000 bytes) is announced by id and read by the receiving instance", async (t) => {
  const a = await startApp(t);
  const b = await startApp(t);
  const writer = (await a.login()).access_token;
  const reader = (await b.login("johndoe", "secret", "heroes:read")).access_token;
  const feed = await open(`${b.wsUrl}/heroes/feed?token=${reader}`);
  if (!("socket" in feed)) throw new Error(`refused: ${JSON.stringify(feed)}`);
  t.teardown(() => feed.socket.close());
  const name = "N".repeat(9_000);
  const created = (await (await a.call("POST", "/heroes/", writer, { name, age: 1, secret_name: "s" })).json()) as { id: number };
  t.strictSame(JSON.parse(await feed.next()), { event: "created", hero: { name, age: 1, id: created.id } });
  await a.call("DELETE", `/heroes/${created.id}`, writer);
  t.strictSame(JSON.parse(await feed.next()), { event: "deleted", hero: { id: created.id } }, "a deleted one is gone: its id");
});
