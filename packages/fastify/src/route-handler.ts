import type { CompiledRoute } from "@depends/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FormReader } from "./form-body.js";
import type { FlatRoute } from "./mount.js";
import { RequestView } from "./request-view.js";
import { isStreamBody } from "@depends/core/adapter";
import { sendStreaming } from "./stream-reply.js";
import { closeWhenReplyCloses, openScope, type ReplyScope, runSettled } from "./teardown-hooks.js";
import { withRunTimeout } from "./run-timeout.js";
import { UnserialisableValueError } from "./unserialisable.js";

/** A route as mounted: its compiled plan plus what the per-request path needs, decided once. */
export interface MountedRoute {
  readonly route: CompiledRoute;
  /** Status of a successful response, when not fastify's 200. */
  readonly status: number | undefined;
  /** Set for form routes: FastAPI's form reading rules. */
  readonly form: FormReader | undefined;
  /** Whether the declared plan has request-scoped teardowns, i.e. needs a scope and the teardown hooks. */
  readonly scoped: boolean;
  /** The declaration, with what its routers added: the OpenAPI operation is built from it on demand. */
  readonly flat: FlatRoute;
  /** Declared `public: true`. */
  readonly public: boolean;
  /** The most milliseconds the route's run may take (its own `timeout`, else the plugin's). */
  readonly timeout: number | undefined;
}

/**
 * What fastify sends for a handler's value. FastAPI serialises every value as JSON: `undefined`
 * becomes `null` and a string a JSON string (fastify would send it as text/plain), unless the
 * handler chose a content type. A handler that took over the reply returns nothing to send.
 */
function payloadOf(reply: FastifyReply, value: unknown): unknown {
  if (value === undefined) return reply.sent ? undefined : null;
  // Streams (async iterables, Readables, ReadableStreams, StreamingResponse): stream-reply.ts.
  if (typeof value === "object" && value !== null && isStreamBody(value)) return sendStreaming(reply, value, undefined);
  if (typeof value === "symbol" || typeof value === "function") throw new UnserialisableValueError(reply.request.routeOptions, typeof value);
  if (typeof value === "string" && !reply.hasHeader("content-type")) {
    reply.header("content-type", "application/json; charset=utf-8");
    return JSON.stringify(value);
  }
  return value;
}

/** A scoped run's value: a stream keeps the scope running until it is done with (stream-reply.ts). */
function settledPayload(reply: FastifyReply, request: FastifyRequest, scope: ReplyScope, value: unknown): unknown {
  if (typeof value === "object" && value !== null && isStreamBody(value)) return sendStreaming(reply, value, scope);
  runSettled(scope, request);
  return payloadOf(reply, value);
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** Runs a route whose plan needs a scope; `scope` is closed by the route's hooks or `reply`'s close. */
function runScoped(mounted: MountedRoute, view: RequestView, request: FastifyRequest, reply: FastifyReply, scope: ReturnType<typeof openScope>): unknown {
  let result: unknown;
  try {
    result = mounted.route.run(view, scope);
    if (mounted.timeout !== undefined && result instanceof Promise) result = withRunTimeout(result, mounted.timeout, scope);
  } catch (error) {
    runSettled(scope, request);
    throw error;
  }
  if (!(result instanceof Promise)) return settledPayload(reply, request, scope, result);
  return result.then(
    (value) => settledPayload(reply, request, scope, value),
    (error: unknown) => {
      runSettled(scope, request);
      throw error;
    },
  );
}

/**
 * Builds a route's fastify handler. Per request it allocates the request view (and, only for routes
 * with request-scoped teardowns, a scope); a plan that completes synchronously is answered without
 * a promise.
 */
export function routeHandler(mounted: MountedRoute): Handler {
  const { route, status, form } = mounted;
  if (!mounted.scoped) {
    return function dependsRoute(request, reply) {
      if (status !== undefined) reply.code(status);
      const view = new RequestView(request, reply, form);
      // Only an override can give this route request-scoped teardowns: the scope then closes with
      // the reply (the route has no teardown hooks), still after the response.
      if (route.scoped) return runScoped(mounted, view, request, reply, closeWhenReplyCloses(request, reply));
      const result = route.run(view, undefined);
      if (!(result instanceof Promise)) return payloadOf(reply, result);
      const bounded = mounted.timeout === undefined ? result : withRunTimeout(result, mounted.timeout, undefined);
      return bounded.then((value) => payloadOf(reply, value));
    };
  }
  return function dependsScopedRoute(request, reply) {
    if (status !== undefined) reply.code(status);
    return runScoped(mounted, new RequestView(request, reply, form), request, reply, openScope(request));
  };
}
