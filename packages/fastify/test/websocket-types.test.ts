// Type tests of WebSocket routes: `npx tsc -p tsconfig.check.json --noEmit` compiles this file;
// every `@ts-expect-error` must be an error and every `Equal` must hold. tap mounts the routes too.
import t from "tap";
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import Type from "typebox";
import { Depends, dependency, Query, Security, SecurityScopes, WebSocket } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";
import type { WebSocket as Socket } from "ws";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items." } });
const getUser = dependency({ scopes: SecurityScopes, token: Depends(scheme) }, ({ token }) => ({ username: token }));

const api = router();
api.websocket("/ws", { socket: WebSocket, user: Security(getUser, { scopes: ["items"] }), q: Query(Type.Integer(), { default: 1 }) }, (values) => {
  assertType<Equal<typeof values, { readonly socket: Socket; readonly user: { username: string }; readonly q: number }>>();
  values.socket.send("typed as ws's WebSocket");
  // @ts-expect-error: no such source
  void values.missing;
});
api.websocket("/ws/options", { sources: { socket: WebSocket }, public: true }, ({ socket }) => {
  assertType<Equal<typeof socket, Socket>>();
});
api.websocket("/ws/none", { public: true }, (values) => {
  assertType<Equal<typeof values, {}>>();
});
const typos = router();
// @ts-expect-error: "itms" is not a scope the scheme declares
typos.websocket("/ws/typo", { user: Security(getUser, { scopes: ["itms"] }) }, () => {});

t.test("the typed WebSocket routes mount", async (t) => {
  const app = Fastify();
  await app.register(websocket);
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  await app.ready();
  t.ok(app.hasRoute({ method: "GET", url: "/ws" }));
  await app.close();
  const strict = Fastify();
  await strict.register(websocket);
  await strict.register(dependsPlugin, { openapi: false });
  await t.rejects(async () => void (await strict.register(typos.plugin())), { code: "DEPENDS_UNDECLARED_SCOPE" }, "and at registration");
  await strict.close();
});
