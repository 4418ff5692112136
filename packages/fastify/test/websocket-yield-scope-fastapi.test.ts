// FastAPI's tests/test_dependency_yield_scope_websockets.py over a real socket: function-scoped
// teardowns run when the handler returns, request-scoped ones when the connection closes.
import t from "tap";
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { Depends, dependency, WebSocket } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import type { WebSocket as Socket } from "ws";
import { connect, listen, within } from "./support/ws-client.js";

class Session {
  open = true;
}
class NamedSession {
  open = true;
  constructor(readonly name = "default") {}
}

// FastAPI's ContextVar: each connection writes to the state of the test that opened it, even when
// its teardown runs late.
let globalState: Record<string, boolean> = {};

async function until(state: Record<string, boolean>, keys: readonly string[]): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!keys.every((key) => state[key] === true)) {
    if (Date.now() > deadline) throw new Error(`${keys.join(", ")} not set within 3 s: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const depSession = dependency(async function* depSession() {
  const state = globalState;
  const s = new Session();
  yield s;
  s.open = false;
  state.session_closed = true;
});
const SessionFuncDep = Depends(depSession, { scope: "function" });
const SessionRequestDep = Depends(depSession, { scope: "request" });
const SessionDefaultDep = Depends(depSession);

const getNamedSession = dependency({ session: SessionRequestDep, sessionB: SessionDefaultDep }, function* getNamedSession({ session, sessionB }) {
  if (session !== sessionB) throw new Error("the per-connection cache should give one session");
  const state = globalState;
  const named = new NamedSession("named");
  yield [named, sessionB] as const;
  named.open = false;
  state.named_session_closed = true;
});
const getNamedFuncSession = dependency({ session: SessionFuncDep }, function* getNamedFuncSession({ session }) {
  const state = globalState;
  const named = new NamedSession("named");
  yield [named, session] as const;
  named.open = false;
  state.named_func_session_closed = true;
});
const getNamedRegularFuncSession = dependency({ session: SessionFuncDep }, function getNamedRegularFuncSession({ session }) {
  return [new NamedSession("named"), session] as const;
});

const send = (socket: Socket, value: unknown) => socket.send(JSON.stringify(value));

async function fastapiApp() {
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket("/function-scope", { socket: WebSocket, session: SessionFuncDep }, ({ socket, session }) => send(socket, { is_open: session.open }));
  api.websocket("/request-scope", { socket: WebSocket, session: SessionRequestDep }, ({ socket, session }) => send(socket, { is_open: session.open }));
  api.websocket("/two-scopes", { socket: WebSocket, functionSession: SessionFuncDep, requestSession: SessionRequestDep }, ({ socket, functionSession, requestSession }) =>
    send(socket, { func_is_open: functionSession.open, req_is_open: requestSession.open }),
  );
  api.websocket("/sub", { socket: WebSocket, sessions: Depends(getNamedSession) }, ({ socket, sessions }) =>
    send(socket, { named_session_open: sessions[0].open, session_open: sessions[1].open }),
  );
  api.websocket("/named-function-scope", { socket: WebSocket, sessions: Depends(getNamedFuncSession, { scope: "function" }) }, ({ socket, sessions }) =>
    send(socket, { named_session_open: sessions[0].open, session_open: sessions[1].open }),
  );
  api.websocket("/regular-function-scope", { socket: WebSocket, sessions: Depends(getNamedRegularFuncSession) }, ({ socket, sessions }) =>
    send(socket, { named_session_open: sessions[0].open, session_open: sessions[1].open }),
  );
  await app.register(api.plugin());
  t.teardown(() => app.close());
  return listen(app);
}

/** `with client.websocket_connect(path) as websocket: data = websocket.receive_json()`, then the teardowns. */
async function receiveJsonThenClose(url: string, closedKeys: readonly string[]) {
  const state: Record<string, boolean> = (globalState = {});
  const client = connect(url);
  const data = JSON.parse(await client.next()) as Record<string, boolean>;
  client.socket.close();
  await within(client.closed);
  await until(state, closedKeys);
  return { data, state };
}

t.test("test_function_scope", async (t) => {
  const { data, state } = await receiveJsonThenClose(`${await fastapiApp()}/function-scope`, ["session_closed"]);
  t.equal(data.is_open, true);
  t.equal(state.session_closed, true);
});

t.test("test_function_scope: torn down when the handler returns, before the client closes", async (t) => {
  const url = await fastapiApp();
  const state: Record<string, boolean> = (globalState = {});
  const client = connect(`${url}/function-scope`);
  await client.next();
  await until(state, ["session_closed"]);
  t.equal(client.socket.readyState, client.socket.OPEN, "the connection is still open");
  client.socket.close();
});

t.test("test_request_scope", async (t) => {
  const url = await fastapiApp();
  const state: Record<string, boolean> = (globalState = {});
  const client = connect(`${url}/request-scope`);
  t.same(JSON.parse(await client.next()), { is_open: true });
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(state.session_closed, "still open while the connection is");
  client.socket.close();
  await until(state, ["session_closed"]);
  t.equal(state.session_closed, true);
});

t.test("test_two_scopes", async (t) => {
  const { data, state } = await receiveJsonThenClose(`${await fastapiApp()}/two-scopes`, ["session_closed"]);
  t.same(data, { func_is_open: true, req_is_open: true });
  t.equal(state.session_closed, true);
});

t.test("test_sub", async (t) => {
  const { data, state } = await receiveJsonThenClose(`${await fastapiApp()}/sub`, ["session_closed", "named_session_closed"]);
  t.same(data, { named_session_open: true, session_open: true });
  t.equal(state.session_closed, true);
  t.equal(state.named_session_closed, true);
});

t.test("test_broken_scope", async (t) => {
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.websocket("/broken-scope", { socket: WebSocket, sessions: Depends(getNamedFuncSession) }, () => {});
  await t.rejects(
    async () => {
      await app.register(api.plugin());
    },
    { name: "DeclarationError", code: "DEPENDS_SCOPE_MISMATCH", message: /"getNamedFuncSession" has a teardown scope of "request"; it cannot depend on "depSession", whose scope is "function"/ },
  );
  await app.close();
});

t.test("test_named_function_scope", async (t) => {
  const { data, state } = await receiveJsonThenClose(`${await fastapiApp()}/named-function-scope`, ["session_closed", "named_func_session_closed"]);
  t.same(data, { named_session_open: true, session_open: true });
  t.equal(state.session_closed, true);
  t.equal(state.named_func_session_closed, true);
});

t.test("test_regular_function_scope", async (t) => {
  const { data, state } = await receiveJsonThenClose(`${await fastapiApp()}/regular-function-scope`, ["session_closed"]);
  t.same(data, { named_session_open: true, session_open: true });
  t.equal(state.session_closed, true);
});
