import { Depends, dependency, DependencyOverrides, RawReply, Security, WebSocket } from "@depends/core";
import { dependsErrorHandler, dependsPlugin, router } from "@depends/fastify";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { getActiveWebSocketUser, getCurrentActiveUser, getCurrentUser, login } from "./auth.js";
import { ItemListSchema, StatusSchema, TokenSchema, UserSchema } from "./models.js";
import type { PasswordVerifier } from "./passwords.js";
import { getPasswordVerifier, getSettings, getUserStore } from "./services.js";
import type { Settings } from "./settings.js";
import { closeAnsweredUpgrades } from "./upgrade-sockets.js";
import type { UserStore } from "./users.js";

/**
 * What {@link buildApp} may be given instead of the app-scoped services it makes at startup
 * (settings from the environment, the guide's users, argon2): each one given is an override.
 */
export interface AppOptions {
  readonly settings?: Settings;
  readonly users?: UserStore;
  readonly passwords?: PasswordVerifier;
  readonly fastify?: FastifyServerOptions;
}

/**
 * FastAPI's "OAuth2 scopes" guide on @depends/fastify: `/token`, `/users/me/`, `/users/me/items/`,
 * `/status/`, the OpenAPI document at `/openapi.json` and Swagger UI at `/docs`; plus the WebSocket
 * `/ws/items` (scope `items`, token in the query string).
 */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const overrides = new DependencyOverrides();
  const { settings, users, passwords } = options;
  if (settings !== undefined) overrides.set(getSettings, dependency(() => settings));
  if (users !== undefined) overrides.set(getUserStore, dependency(() => users));
  if (passwords !== undefined) overrides.set(getPasswordVerifier, dependency(() => passwords));

  // Handlers are named functions, as in the guide: their names give the OpenAPI summaries and
  // operation ids FastAPI would ("Read Own Items", read_own_items_users_me_items__get).
  const api = router();
  api.post("/token", { sources: { token: Depends(login), reply: RawReply }, response: { 200: TokenSchema }, public: true }, function loginForAccessToken({ token, reply }) {
    // RFC 6749 section 5.1: a response carrying a token must not be stored by any cache. Set here,
    // after a successful login, so that only the token answer carries them (the guide omits them).
    reply.header("cache-control", "no-store").header("pragma", "no-cache");
    return token;
  });
  api.get("/users/me/", { sources: { currentUser: Depends(getCurrentActiveUser) }, response: { 200: UserSchema } }, function readUsersMe({ currentUser }) {
    return currentUser;
  });
  api.get(
    "/users/me/items/",
    { sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) }, response: { 200: ItemListSchema } },
    function readOwnItems({ currentUser }) {
      return [{ item_id: "Foo", owner: currentUser.username }];
    },
  );
  api.get("/status/", { sources: { currentUser: Depends(getCurrentUser) }, response: { 200: StatusSchema } }, function readSystemStatus() {
    return { status: "ok" };
  });
  // Not in the guide: /users/me/items/ over a WebSocket, token in the query string (`?token=`).
  // The dependencies run before the handshake: a missing or insufficient token refuses it (401).
  // A router of its own, mounted with @fastify/websocket in an encapsulated context (below).
  const sockets = router();
  sockets.websocket("/ws/items", { socket: WebSocket, currentUser: Security(getActiveWebSocketUser, { scopes: ["items"] }) }, function watchOwnItems({ socket, currentUser }) {
    const items = () => JSON.stringify([{ item_id: "Foo", owner: currentUser.username }]);
    socket.send(items());
    socket.on("message", (data) => {
      if (String(data) === "items") socket.send(items());
      else socket.close(1003, "send \"items\"");
    });
  });

  // Errors fastify raises before routing (a malformed URL) get FastAPI's {"detail": ...} shape too.
  // Server timeouts: a socket idle for 30 s is closed, a request must be received whole within 30 s
  // (Node's requestTimeout bounds only receiving it, not answering), idle keep-alive sockets close
  // after 5 s.
  const app = Fastify({ frameworkErrors: dependsErrorHandler, connectionTimeout: 30_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, ...options.fastify });
  // secureByDefault: a route added without security (and not declared public) stops the start.
  // timeout: a route whose dependencies or handler do not settle in 10 s answers 503 (the password
  // hash takes about 60 ms; nothing here should come near it).
  await app.register(dependsPlugin, { openapi: { info: { title: "FastAPI", version: "0.1.0" } }, docs: "/docs", secureByDefault: true, timeout: 10_000, overrides });
  await app.register(api.plugin());
  // @fastify/websocket adds an onRequest and an onResponse hook and wraps the handler of every
  // route in its context: registered here, in a context of its own with the WebSocket route, the
  // HTTP routes above pay none of it per request (docs/performance.md). An upgrade request to an
  // HTTP path gets that route's answer, and its socket is closed after it.
  await app.register(async function webSockets(scope) {
    await scope.register(websocket, { options: { maxPayload: 64 * 1024 } });
    await scope.register(sockets.plugin());
  });
  closeAnsweredUpgrades(app);
  return app;
}
