import { RequestScope } from "@depends/core/adapter";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { runTasksThenClose } from "./background-tasks.js";
import { kScope } from "./symbols.js";

/**
 * A request's request-scoped teardowns plus what makes them run exactly once: after the response
 * (`onResponse`), or when the client goes away (`onRequestAbort`), whichever comes first. An abort
 * that arrives while the route is still running waits for the run to settle, so a dependency is
 * never torn down while the handler still uses it.
 */
export class ReplyScope extends RequestScope {
  running = true;
  abortedWhileRunning = false;
  closed = false;
  /** Settles when the teardowns have run, once closed. */
  done: Promise<unknown> | undefined = undefined;
  #waiting: (() => void)[] | undefined = undefined;

  /**
   * Runs `then` once the scope is closed and its teardowns have run (the request's uploads wait
   * for this: a teardown may still read them, as FastAPI keeps files open until the very end).
   */
  afterClose(then: () => void): void {
    if (!this.closed) (this.#waiting ??= []).push(then);
    else if (this.done === undefined) then();
    else void this.done.then(then, then);
  }

  /** Called by the close: releases what waits for it. */
  closedNow(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    for (const then of waiting ?? []) this.afterClose(then);
  }
}

type ScopedRequest = FastifyRequest & { [kScope]: ReplyScope | null };

/** Opens the scope of a route that has request-scoped generator dependencies. */
export function openScope(request: FastifyRequest): ReplyScope {
  const scope = new ReplyScope();
  (request as ScopedRequest)[kScope] = scope;
  return scope;
}

function logTeardownFailure(request: FastifyRequest, failure: unknown): void {
  request.log.error({ err: failure }, "a request-scoped dependency failed in its teardown, after the response");
}

/** Runs a scope's background tasks then its teardowns, once (later calls do nothing); a failure is logged. */
export function closeScope(scope: ReplyScope, request: FastifyRequest, error?: unknown): void {
  if (scope.closed) return;
  scope.closed = true;
  // Background tasks run first; the scope closes after them (FastAPI's order).
  if (runTasksThenClose(request, scope, error, (failure) => logTeardownFailure(request, failure))) return;
  const closing = scope.close(error);
  scope.done = closing;
  scope.closedNow();
  if (closing === undefined) return;
  // The response is gone: a failing teardown can only be logged.
  closing.then((failure) => {
    if (failure !== undefined) logTeardownFailure(request, failure);
  }, /* c8 ignore next */ (failure: unknown) => logTeardownFailure(request, failure));
}

/** The route's run settled (value or error); an abort that arrived meanwhile closes the scope now. */
export function runSettled(scope: ReplyScope, request: FastifyRequest): void {
  scope.running = false;
  if (scope.abortedWhileRunning) closeScope(scope, request, abortError());
}

/** What request-scoped generators see when the client went away before the response was complete. */
export function abortError(): DOMException {
  return new DOMException("The client closed the connection before the response was complete", "AbortError");
}

/** `onResponse` hook of routes with request-scoped teardowns. */
export function closeAfterResponse(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const scope = (request as ScopedRequest)[kScope];
  if (scope) closeScope(scope, request);
  done();
}

/** `onRequestAbort` hook of routes with request-scoped teardowns: generators see an `AbortError`. */
export function closeOnAbort(request: FastifyRequest, done: HookHandlerDoneFunction): void {
  const scope = (request as ScopedRequest)[kScope];
  if (scope) {
    if (scope.running) scope.abortedWhileRunning = true;
    else closeScope(scope, request, abortError());
  }
  done();
}

/**
 * Opens a scope for a route mounted without teardown hooks whose plan gained request-scoped
 * teardowns (an override): it closes when the reply's socket side is done, after the response
 * (or with an `AbortError` when the client went away first).
 */
export function closeWhenReplyCloses(request: FastifyRequest, reply: FastifyReply): ReplyScope {
  const scope = openScope(request);
  reply.raw.once("close", () => {
    if (reply.raw.writableFinished) closeScope(scope, request);
    else if (scope.running) scope.abortedWhileRunning = true;
    else closeScope(scope, request, abortError());
  });
  return scope;
}
