import { CurrentRequest, DeclarationError, type SourceMap, WebSocket } from "@depends/core";
import { analyzeRoute, planRoute, RequestScope } from "@depends/core/adapter";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions as FastifyRouteOptions } from "fastify";
import type { WebSocket as Socket } from "ws";
import { checkPublic, type FlatRoute } from "./mount.js";
import type { MountedRoute } from "./route-handler.js";
import { toFastifyPath } from "./route-options.js";
import type { DependsState } from "./state.js";
import { kMounted } from "./symbols.js";
import { Connection } from "./ws-connection.js";
import { fieldOf } from "./error-fields.js";
import { CLOSE_INTERNAL_ERROR, closeFrameOf } from "./ws-errors.js";
import type { WebSocketHandler, WebSocketRouteOptions } from "./ws-route-options.js";
import { WebSocketView } from "./ws-request-view.js";
import { refuseBackgroundTasks, refuseSocketSource } from "./ws-sources.js";

/**
 * The source under which the plan's handler step receives the request view (and through it the
 * connection). Not a valid identifier, so no declared source can collide with it; it is removed
 * before the user's handler sees the values.
 */
const VIEW_KEY = "\u0000depends:websocket-view";

const kConnection: unique symbol = Symbol.for("@depends/fastify.websocketConnection");
type ConnectionRequest = FastifyRequest & { [kConnection]?: Connection; ws?: boolean };

type WebSocketSpec = WebSocketRouteOptions & { readonly path: string; readonly handler: WebSocketHandler<SourceMap> };

function withHook<T>(theirs: T | T[] | undefined, ours: T): T[] {
  return theirs === undefined ? [ours] : [...(Array.isArray(theirs) ? theirs : [theirs]), ours];
}

function isOpen(socket: Socket): boolean {
  return socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING;
}

/** Closes the socket after the handler (or a teardown) failed: the error's close frame, or 1011. */
function closeAfterError(socket: Socket, error: unknown, request: FastifyRequest): void {
  const frame = closeFrameOf(error);
  if (frame === undefined) request.log.error({ err: error }, "a WebSocket route failed after the handshake");
  else request.log.info({ code: frame.code, reason: frame.reason }, "a WebSocket route closed the connection");
  if (isOpen(socket)) socket.close(frame?.code ?? CLOSE_INTERNAL_ERROR, frame?.reason ?? "");
}

/**
 * Compiles a WebSocket route (declaration errors surface here) and registers it with
 * `@fastify/websocket`: the plan runs in the route's `preHandler`, before the upgrade, so that an
 * `HTTPException` refuses the handshake with its status; the user's handler runs on the accepted
 * socket with the values the plan resolved.
 */
export function mountWebSocketRoute(instance: FastifyInstance, state: DependsState, flat: FlatRoute): void {
  const spec = flat.spec as unknown as WebSocketSpec;
  const url = toFastifyPath(flat.path);
  if (!instance.hasDecorator("websocketServer")) {
    throw new DeclarationError(
      "DEPENDS_WEBSOCKET_PLUGIN_MISSING",
      "WebSocket routes need @fastify/websocket: register it (await app.register(websocket)) before the router",
      { route: `WEBSOCKET ${instance.prefix + url}` },
    );
  }
  const sources: SourceMap = spec.sources ?? {};
  const socketKeys = Object.keys(sources).filter((key) => sources[key] === WebSocket);
  const userHandler = spec.handler;
  const handOver = (values: Record<string, unknown>): Promise<void> => (values[VIEW_KEY] as WebSocketView).connection.handOver(values);
  // Error paths and the report name the user's handler, not this wrapper.
  Object.defineProperty(handOver, "name", { value: userHandler.name });
  const definition = {
    method: "WEBSOCKET",
    path: instance.prefix + url,
    sources: { ...sources, [VIEW_KEY]: CurrentRequest },
    handler: handOver,
    dependencies: flat.dependencies,
    name: spec.name,
  };
  const analysis = analyzeRoute(definition, { cache: state.cache });
  refuseSocketSource(analysis, undefined, false);
  refuseBackgroundTasks(analysis, sources);
  const declaredPublic = spec.public === true;
  checkPublic(state, analysis, declaredPublic, spec.optionalAuth === true);
  // Not documented: OpenAPI has no WebSocket operations. Registered for the name-conflict check.
  state.schemes.add(analysis, false);
  const route = planRoute(analysis, { overrides: state.overrides });
  // No run timeout: the plan stays pending while the handler serves the connection.
  const mounted: MountedRoute = { route, status: undefined, form: undefined, scoped: route.scoped, flat, public: declaredPublic, timeout: undefined };
  state.report.push(mounted);

  async function runDependencies(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // A plain HTTP GET of the path: @fastify/websocket answers it (404), no dependency runs.
    if ((request as ConnectionRequest).ws !== true) return;
    const scope = route.scoped ? new RequestScope() : undefined;
    const connection = new Connection(scope, request.log);
    (request as ConnectionRequest)[kConnection] = connection;
    request.raw.socket?.once("close", () => connection.gone());
    let run: Promise<unknown>;
    try {
      run = Promise.resolve(route.run(new WebSocketView(request, reply, connection), scope));
    } catch (error) {
      run = Promise.reject(error);
    }
    connection.outcome = run.then(
      () => connection.settled(),
      (error: unknown) => {
        connection.settled();
        throw error;
      },
    );
    // Read by the socket handler; never unhandled when the upgrade does not happen.
    connection.outcome.catch(noop);
    try {
      await Promise.race([connection.handed, connection.outcome]);
    } catch (error) {
      if (connection.isGone) {
        reply.hijack();
        return;
      }
      const frame = closeFrameOf(error);
      // HTTPException (and any other error) refuses the handshake with an HTTP answer.
      if (frame === undefined) throw error;
      connection.refusal = { ...frame, errors: fieldOf(error, "errors") };
    }
  }

  function onSocket(socket: Socket, request: FastifyRequest): void {
    const connection = (request as ConnectionRequest)[kConnection] as Connection;
    if (connection.refusal !== undefined) {
      request.log.info({ code: connection.refusal.code, reason: connection.refusal.reason, errors: connection.refusal.errors }, "a WebSocket dependency refused the connection");
      socket.close(connection.refusal.code, connection.refusal.reason);
      return;
    }
    connection.accept(socket);
    if (request.raw.socket === undefined) socket.once("close", () => connection.gone());
    connection.outcome.catch((error: unknown) => closeAfterError(socket, error, request));
    const values: Record<string, unknown> = { ...(connection.values as Record<string, unknown>) };
    delete values[VIEW_KEY];
    for (const key of socketKeys) values[key] = socket;
    let result: unknown;
    try {
      result = userHandler(values as never);
    } catch (error) {
      connection.finished(error ?? new Error("The WebSocket handler threw undefined"));
      return;
    }
    if (result === null || (typeof result !== "object" && typeof result !== "function") || typeof (result as PromiseLike<unknown>).then !== "function") {
      connection.finished();
      return;
    }
    Promise.resolve(result).then(
      () => connection.finished(),
      (error: unknown) => connection.finished(error ?? new Error("The WebSocket handler rejected with undefined")),
    );
  }

  const extras = spec.fastify ?? {};
  const config: Record<string | symbol, unknown> = { ...(extras.config as object | undefined), [kMounted]: mounted };
  const options = {
    ...extras,
    method: "GET",
    url,
    websocket: true,
    handler: onSocket,
    preHandler: withHook(extras.preHandler, runDependencies),
    config,
  };
  instance.route(options as unknown as FastifyRouteOptions);
}

function noop(): void {}
