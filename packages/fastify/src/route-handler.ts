import type { CompiledRoute } from "@depends/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FormReader } from "./form-body.js";
import type { FlatRoute } from "./mount.js";
import { answered } from "./background-tasks.js";
import { setRunning } from "./reply-thenable.js";
import { RequestView } from "./request-view.js";
import { isStreamBody } from "@depends/core/adapter";
import { sendStreaming } from "./stream-reply.js";
import { closeWhenReplyCloses, openScope, runSettled } from "./teardown-hooks.js";
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

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

function answerUnscoped(request: FastifyRequest, reply: FastifyReply, value: unknown): unknown {
  const payload = payloadOf(reply, value);
  answered(request);
  return payload;
}

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
  if (!(result instanceof Promise)) return answer(scope, request, reply, result);
  setRunning(reply, true);
  return result.then(
    (value) => {
      setRunning(reply, false);
      return answer(scope, request, reply, value);
    },
    (error: unknown) => {
      setRunning(reply, false);
      runSettled(scope, request);
      throw error;
    },
  );
}

/** The run succeeded: its value is the response (its background tasks will run), then the run is settled. */
function answer(scope: ReturnType<typeof openScope>, request: FastifyRequest, reply: FastifyReply, value: unknown): unknown {
  // A stream keeps the scope running until its source is done with (stream-reply.ts).
  if (typeof value === "object" && value !== null && isStreamBody(value)) return sendStreaming(reply, value, scope);
  let payload: unknown;
  try {
    payload = payloadOf(reply, value);
  } catch (error) {
    runSettled(scope, request);
    throw error;
  }
  answered(request);
  runSettled(scope, request);
  return payload;
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
      if (!(result instanceof Promise)) return answerUnscoped(request, reply, result);
      const bounded = mounted.timeout === undefined ? result : withRunTimeout(result, mounted.timeout, undefined);
      setRunning(reply, true);
      return bounded.then(
        (value) => {
          setRunning(reply, false);
          return answerUnscoped(request, reply, value);
        },
        (error: unknown) => {
          setRunning(reply, false);
          throw error;
        },
      );
    };
  }
  return function dependsScopedRoute(request, reply) {
    if (status !== undefined) reply.code(status);
    return runScoped(mounted, new RequestView(request, reply, form), request, reply, openScope(request));
  };
}
