// FastAPI's tests/test_ws_dependencies.py over a real socket: app, include, router and route
// dependencies run for WebSocket routes in FastAPI's order, sharing one per-connection cache.
import t from "tap";
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { Depends, dependency, WebSocket } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { connect, listen } from "./support/ws-client.js";

const dependencyList = dependency(function dependencyList(): string[] {
  return [];
});

function createDependency(name: string) {
  return Depends(
    dependency({ deps: Depends(dependencyList) }, function fun({ deps }) {
      deps.push(name);
    }),
  );
}

async function fastapiApp() {
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false, dependencies: [createDependency("app")] });
  const sendDeps = ({ socket, deps }: { socket: import("ws").WebSocket; deps: string[] }) => {
    socket.send(JSON.stringify(deps));
    socket.close();
  };
  const root = router();
  root.websocket("/", { sources: { socket: WebSocket, deps: Depends(dependencyList) }, dependencies: [createDependency("index")], public: true }, sendDeps);
  const inner = router({ dependencies: [createDependency("router")] });
  inner.websocket("/router", { sources: { socket: WebSocket, deps: Depends(dependencyList) }, dependencies: [createDependency("routerindex")] }, sendDeps);
  const prefixRouter = router({ dependencies: [createDependency("prefix_router")] });
  prefixRouter.websocket("/", { sources: { socket: WebSocket, deps: Depends(dependencyList) }, dependencies: [createDependency("routerprefixindex")] }, sendDeps);
  root.include(inner, { dependencies: [createDependency("router2")] });
  root.include(prefixRouter, { prefix: "/prefix", dependencies: [createDependency("prefix_router2")] });
  await app.register(root.plugin());
  t.teardown(() => app.close());
  return listen(app);
}

t.test("test_index", async (t) => {
  const url = await fastapiApp();
  const client = connect(`${url}/`);
  t.same(JSON.parse(await client.next()), ["app", "index"]);
  t.equal((await client.closed).code, 1005, "the handler closed the socket (no code: 1005 on the client)");
});

t.test("test_routerindex", async (t) => {
  const url = await fastapiApp();
  const client = connect(`${url}/router`);
  t.same(JSON.parse(await client.next()), ["app", "router2", "router", "routerindex"]);
});

t.test("test_routerprefixindex", async (t) => {
  const url = await fastapiApp();
  const client = connect(`${url}/prefix/`);
  t.same(JSON.parse(await client.next()), ["app", "prefix_router2", "prefix_router", "routerprefixindex"]);
});
