// Teardown accounting for WebSocket routes: after 1,000 connections (half closed by the client,
// half by the server, some aborted before or after the handshake, some refused), every resource a
// dependency opened was closed exactly once and nothing is left open.
import t from "tap";
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { Type } from "typebox";
import { Depends, dependency, HTTPException, Query, WebSocket } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { connect, listen, within } from "./support/ws-client.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const counters = { requestOpen: 0, functionOpen: 0, requestSetups: 0, requestTeardowns: 0, functionSetups: 0, functionTeardowns: 0, handlers: 0, doubleClose: 0, abortsSeen: 0 };

function resource(kind: "request" | "function") {
  let closed = false;
  return {
    close() {
      if (closed) counters.doubleClose += 1;
      closed = true;
    },
    kind,
  };
}

const perConnection = dependency({ mode: Query(Type.String()) }, async function* perConnection({ mode }) {
  counters.requestSetups += 1;
  counters.requestOpen += 1;
  const r = resource("request");
  try {
    // Long enough for a client to give up while dependencies run.
    if (mode === "abort-early") await sleep(30);
    yield r;
  } catch (error) {
    if ((error as Error).name === "AbortError") counters.abortsSeen += 1;
    throw error;
  } finally {
    r.close();
    counters.requestOpen -= 1;
    counters.requestTeardowns += 1;
  }
});
const perHandler = dependency(function* perHandler() {
  counters.functionSetups += 1;
  counters.functionOpen += 1;
  const r = resource("function");
  try {
    yield r;
  } finally {
    r.close();
    counters.functionOpen -= 1;
    counters.functionTeardowns += 1;
  }
});
const gate = dependency({ mode: Query(Type.String()), session: Depends(perConnection) }, function gate({ mode }) {
  if (mode === "refuse") throw new HTTPException(403, "refused");
});

t.test("1,000 connections: every teardown ran exactly once, counters back to 0", async (t) => {
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket(
    "/ws",
    { sources: { socket: WebSocket, mode: Query(Type.String()), session: Depends(perConnection), handle: Depends(perHandler, { scope: "function" }) }, dependencies: [Depends(gate)] },
    async ({ socket, mode }) => {
      counters.handlers += 1;
      socket.send("open");
      if (mode === "server") {
        await sleep(1);
        socket.close(1000, "server done");
      }
    },
  );
  await app.register(api.plugin());
  t.teardown(() => app.close());
  const url = await listen(app);

  const modes = (i: number): string => (i % 50 === 3 ? "refuse" : i % 20 === 0 ? "abort-open" : i % 20 === 1 ? "abort-early" : i % 2 === 0 ? "client" : "server");
  const seen: Record<string, number> = {};
  async function one(i: number): Promise<void> {
    const mode = modes(i);
    seen[mode] = (seen[mode] ?? 0) + 1;
    const client = connect(`${url}/ws?mode=${mode}`);
    if (mode === "abort-early") {
      await sleep(10);
      client.socket.terminate();
      return;
    }
    if (mode === "refuse") {
      await within(client.refused);
      return;
    }
    await client.next();
    if (mode === "abort-open") client.socket.terminate();
    else if (mode === "client") client.socket.close(1000, "client done");
    await within(client.closed);
  }
  for (let batch = 0; batch < 1000; batch += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, k) => one(batch + k)));
  }
  const deadline = Date.now() + 5000;
  while ((counters.requestOpen !== 0 || counters.functionOpen !== 0 || app.websocketServer.clients.size !== 0) && Date.now() < deadline) await sleep(10);

  t.same(seen, { "abort-open": 50, "abort-early": 50, refuse: 20, client: 450, server: 430 });
  // A client that gives up within 10 ms may leave before its request reached a dependency.
  const earlyReached = counters.requestSetups - 950;
  t.ok(earlyReached >= 0 && earlyReached <= 50, `${earlyReached} of the 50 early aborts reached the dependencies`);
  t.equal(counters.requestOpen, 0, "every request-scoped resource closed");
  t.equal(counters.functionOpen, 0, "every function-scoped resource closed");
  t.equal(counters.requestTeardowns, counters.requestSetups, "one teardown per setup");
  t.equal(counters.functionTeardowns, counters.functionSetups, "one function teardown per setup");
  t.equal(counters.doubleClose, 0, "nothing torn down twice");
  t.equal(counters.handlers, 930, "the handler ran for every accepted connection");
  t.equal(counters.functionSetups, 930 + earlyReached, "function-scoped setups for the connections that got that far");
  t.equal(counters.abortsSeen, earlyReached, "generators of connections aborted during the dependencies see an AbortError");
  t.equal(app.websocketServer.clients.size, 0, "no socket left open");
});

t.test("a client that leaves while the dependencies run: the waiting generator sees an AbortError, once", async (t) => {
  const events: string[] = [];
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const slow = dependency(async function* slow() {
    events.push("setup");
    started();
    await released;
    try {
      yield "resource";
    } catch (error) {
      events.push(`teardown sees ${(error as Error).name}`);
      throw error;
    } finally {
      events.push("teardown");
    }
  });
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket("/ws", { socket: WebSocket, value: Depends(slow) }, () => void events.push("handler"));
  await app.register(api.plugin());
  t.teardown(() => app.close());
  const url = await listen(app);
  const client = connect(`${url}/ws`);
  await within(running);
  client.socket.terminate();
  await sleep(20);
  release();
  const deadline = Date.now() + 3000;
  while (!events.includes("teardown") && Date.now() < deadline) await sleep(5);
  await sleep(20);
  t.same(events, ["setup", "teardown sees AbortError", "teardown"], "never handed to a handler, torn down once");
  t.equal(app.websocketServer.clients.size, 0);
});

t.test("app.close() closes open connections, and their request-scoped teardowns run", async (t) => {
  const events: string[] = [];
  const held = dependency(function* held() {
    events.push("setup");
    yield "resource";
    events.push("teardown");
  });
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket("/ws", { socket: WebSocket, value: Depends(held) }, ({ socket }) => socket.send("open"));
  await app.register(api.plugin());
  const url = await listen(app);
  const client = connect(`${url}/ws`);
  await client.next();
  t.same(events, ["setup"]);
  await app.close();
  t.equal((await within(client.closed)).code, 1005, "closed by the server (no status code)");
  const deadline = Date.now() + 3000;
  while (!events.includes("teardown") && Date.now() < deadline) await sleep(5);
  t.same(events, ["setup", "teardown"]);
});

t.test("a request-scoped teardown that fails after the close is logged, once; the server carries on", async (t) => {
  const logs: { level: number; msg: string; err?: { message: string } }[] = [];
  const failing = dependency(async function* failing() {
    yield "resource";
    throw new Error("could not release the lock");
  });
  const app = Fastify({ logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line)) } } });
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket("/ws", { socket: WebSocket, value: Depends(failing) }, ({ socket }) => socket.send("open"));
  await app.register(api.plugin());
  t.teardown(() => app.close());
  const url = await listen(app);
  const client = connect(`${url}/ws`);
  await client.next();
  client.socket.close();
  await within(client.closed);
  const failed = () => logs.filter((entry) => entry.level === 50 && entry.err?.message === "could not release the lock");
  const deadline = Date.now() + 3000;
  while (failed().length === 0 && Date.now() < deadline) await sleep(5);
  await sleep(20);
  t.equal(failed().length, 1);
  t.match(failed()[0]?.msg, /after the connection closed/);
  t.equal(await connect(`${url}/ws`).next(), "open", "the next connection is served");
});
