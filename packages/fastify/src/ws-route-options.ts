import { DeclarationError, type RouteDependency, type SourceMap, type ValuesOf } from "@depends/core";
import { isSource } from "@depends/core/adapter";
import type { FastifyRouteExtras } from "./route-options.js";

/**
 * A WebSocket route's handler: receives its declared values (the socket through the `WebSocket`
 * source) once the handshake is accepted. Its return value is ignored; the connection stays open
 * after it returns, until either side closes it (`socket.close(code, reason)`).
 *
 * @example
 * ```ts
 * const echo: WebSocketHandler<{ socket: typeof WebSocket }> = ({ socket }) => {
 *   socket.on("message", (data) => socket.send(data));
 * };
 * ```
 */
export type WebSocketHandler<S extends SourceMap> = (values: ValuesOf<S>) => unknown;

/**
 * What a WebSocket route declares besides its path and handler (FastAPI's `@app.websocket`
 * parameters plus the security declarations of `@depends/fastify`).
 *
 * @example
 * ```ts
 * api.websocket("/ws/items", {
 *   sources: { socket: WebSocket, user: Security(getUserFromQueryToken, { scopes: ["items"] }) },
 *   dependencies: [Depends(auditLog)],
 * }, ({ socket, user }) => socket.send(user.username));
 * ```
 */
export interface WebSocketRouteOptions<S extends SourceMap = SourceMap> {
  /** The handler's named sources (default: none). */
  readonly sources?: S;
  /** Run before the handler's own sources, before the handshake; values discarded. */
  readonly dependencies?: readonly RouteDependency[];
  /** Kept for the security report and for symmetry with HTTP routes (WebSocket routes are not in OpenAPI). */
  readonly tags?: readonly string[];
  /** Name of the route in error messages (default: the handler's name). */
  readonly name?: string;
  /** The route needs no security, on purpose (see the HTTP routes' `public`). */
  readonly public?: boolean;
  /** Anonymous connections are accepted on purpose although a security scheme is reached. */
  readonly optionalAuth?: boolean;
  /** Extra fastify route options (`config`, `constraints`, hooks...). */
  readonly fastify?: FastifyRouteExtras;
}

/**
 * The three ways to declare a WebSocket route: `(path, sources, handler)`, `(path, options, handler)`
 * with `options.sources`, or `(path, handler)`.
 *
 * @example
 * ```ts
 * api.websocket("/ws", { socket: WebSocket }, ({ socket }) => socket.send("hi"));
 * api.websocket("/ws/items", { sources: { socket: WebSocket }, public: true }, ({ socket }) => socket.close());
 * ```
 */
export interface WebSocketShorthand<Self> {
  <const S extends SourceMap = {}>(path: string, options: WebSocketRouteOptions<S>, handler: WebSocketHandler<S>): Self;
  <const S extends SourceMap>(path: string, sources: S, handler: WebSocketHandler<S>): Self;
  (path: string, handler: WebSocketHandler<{}>): Self;
}

/** Marks a route spec as a WebSocket route (set by `Router.websocket`, read when mounting). */
export const kWebSocketRoute: unique symbol = Symbol.for("@depends/fastify.websocketRoute");

const OPTION_KEYS: ReadonlySet<string> = new Set(["sources", "dependencies", "tags", "name", "public", "optionalAuth", "fastify"] satisfies (keyof WebSocketRouteOptions)[]);

/**
 * The route spec of `api.websocket(path, a, b)`: a sources map or options, then the handler. An
 * object that is neither is refused, as for HTTP routes.
 */
export function webSocketSpec(path: string, a: unknown, b: unknown): Record<string | symbol, unknown> {
  const route = `WEBSOCKET ${path}`;
  if (typeof path !== "string") throw new DeclarationError("DEPENDS_INVALID_ROUTE_ARGUMENTS", `websocket(): the path must be a string, got ${typeof path}`);
  if (typeof a === "function") return { method: "GET", path, handler: a, [kWebSocketRoute]: true };
  if (a === null || typeof a !== "object") throw new DeclarationError("DEPENDS_INVALID_ROUTE_ARGUMENTS", `expected sources or route options, got ${a === null ? "null" : typeof a}`, { route });
  if (typeof b !== "function") throw new DeclarationError("DEPENDS_INVALID_HANDLER", "A WebSocket route needs a handler function", { route });
  const keys = Object.keys(a);
  let options: WebSocketRouteOptions;
  if (keys.every((key) => isSource((a as Record<string, unknown>)[key]))) options = { sources: a as SourceMap };
  else {
    const unknown = keys.find((key) => !OPTION_KEYS.has(key));
    if (unknown !== undefined) {
      throw new DeclarationError("DEPENDS_UNKNOWN_ROUTE_OPTION", `"${unknown}" is neither a source nor a WebSocket route option (a sources map holds only sources: wrap dependencies as Depends(dep))`, { route });
    }
    options = a as WebSocketRouteOptions;
  }
  return { ...options, method: "GET", path, handler: b, [kWebSocketRoute]: true };
}

/** Whether a flattened route spec was declared with `Router.websocket`. */
export function isWebSocketSpec(spec: object): boolean {
  return (spec as { [kWebSocketRoute]?: boolean })[kWebSocketRoute] === true;
}
