// FastAPI's tests/test_dependency_after_yield_websockets.py over a real socket: a request-scoped
// session stays open while the handler streams from it; a broken one fails the handler, which
// closes the connection with 1011 and logs the error (FastAPI's TestClient re-raises it).
import t from "tap";
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { Depends, dependency, WebSocket } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { connect, listen, within } from "./support/ws-client.js";

class Session {
  data = ["foo", "bar", "baz"];
  open = true;
  *[Symbol.iterator]() {
    for (const item of this.data) {
      if (this.open) yield item;
      else throw new Error("Session closed");
    }
  }
}

function* acquire(broken: boolean) {
  const session = new Session();
  if (broken) session.open = false;
  try {
    yield session;
  } finally {
    session.open = false;
  }
}
const depSession = dependency(function* depSession() {
  yield* acquire(false);
});
const brokenDepSession = dependency(function* brokenDepSession() {
  yield* acquire(true);
});

async function fastapiApp(logs: { level: number; msg: string; err?: { message: string } }[]) {
  const app = Fastify({ logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line)) } } });
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  // Sends after awaiting, so that the session must outlive the handler's first tick.
  const stream = async ({ socket, session }: { socket: import("ws").WebSocket; session: Session }) => {
    for (const item of session) {
      await new Promise((r) => setImmediate(r));
      socket.send(item);
    }
  };
  api.websocket("/ws", { socket: WebSocket, session: Depends(depSession) }, stream);
  api.websocket("/ws-broken", { socket: WebSocket, session: Depends(brokenDepSession) }, stream);
  await app.register(api.plugin());
  t.teardown(() => app.close());
  return listen(app);
}

t.test("test_websocket_dependency_after_yield", async (t) => {
  const url = await fastapiApp([]);
  const client = connect(`${url}/ws`);
  t.equal(await client.next(), "foo");
  t.equal(await client.next(), "bar");
  t.equal(await client.next(), "baz");
  client.socket.close();
});

t.test("test_websocket_dependency_after_yield_broken", async (t) => {
  const logs: { level: number; msg: string; err?: { message: string } }[] = [];
  const url = await fastapiApp(logs);
  const client = connect(`${url}/ws-broken`);
  const closed = await within(client.closed);
  t.equal(closed.code, 1011, "closed as an internal error");
  const logged = logs.find((entry) => entry.level === 50);
  t.equal(logged?.err?.message, "Session closed", "the handler's error is logged");
});
