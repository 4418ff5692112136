import { Readable } from "node:stream";
import type { StreamingResponse } from "@depends/core";
import { toStreamingResponse } from "@depends/core/adapter";
import type { FastifyReply, FastifyRequest } from "fastify";
import { answered, notAnswered } from "./background-tasks.js";
import { abortError, closeScope, type ReplyScope } from "./teardown-hooks.js";

/**
 * A Node `Readable` over a streamed response's encoded chunks, pulling one chunk per `_read` (so a
 * slow client holds the source: back-pressure), and reporting once when the source is done with:
 * ended, failed, or cancelled because the response went away.
 */
class ChunkReadable extends Readable {
  #pulling = false;
  #settled = false;
  #step: Promise<void> = Promise.resolve();
  #streak = 0;

  constructor(
    private readonly chunks: AsyncIterator<Uint8Array>,
    private readonly controller: AbortController,
    first: Uint8Array,
    private readonly onSettled: (error: unknown, cancelled: boolean) => void,
  ) {
    super();
    this.push(first);
  }

  #settle(error: unknown, cancelled: boolean): void {
    if (this.#settled) return;
    this.#settled = true;
    this.onSettled(error, cancelled);
  }

  override _read(): void {
    if (this.#pulling || this.#settled) return;
    this.#pulling = true;
    // A source that never awaits (`for (;;) yield`) would run from microtask to microtask and starve
    // the event loop (the client's abort included): every 64 chunks, let I/O in (FastAPI issue #14680).
    if (++this.#streak >= 64) {
      this.#streak = 0;
      setImmediate(() => this.#pull());
      return;
    }
    this.#pull();
  }

  #pull(): void {
    if (this.destroyed) {
      this.#pulling = false;
      return;
    }
    this.#step = this.chunks.next().then(
      (result) => {
        this.#pulling = false;
        if (this.destroyed) return;
        if (result.done) {
          this.#settle(undefined, false);
          this.push(null);
        } else this.push(result.value);
      },
      (error: unknown) => {
        this.#pulling = false;
        this.#settle(error, false);
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#settled) return callback(error);
    // Cancelled (the response went away): the source finishes the step it is on, then returns (a
    // generator's `finally` runs), and only then are the request's teardowns run, so that they
    // never close what the stream code still uses.
    // Sources that wait for outside events end their wait on the signal.
    this.controller.abort(error ?? abortError());
    const step = this.#pulling ? this.#step : Promise.resolve();
    step
      .then(() => this.chunks.return?.())
      .then(
        () => this.#settle(error, true),
        (failure: unknown) => this.#settle(error ?? failure, true),
      );
    callback(error);
  }
}

const TEXT = /^text\/|^application\/(jsonl|x-ndjson)/i;

function contentType(mediaType: string): string {
  return TEXT.test(mediaType) && !/;\s*charset=/i.test(mediaType) ? `${mediaType}; charset=utf-8` : mediaType;
}

/**
 * Ends the scope of a streamed response once its source is done with: an error (the source
 * failed) or an `AbortError` (the client went away) is thrown into the request-scoped generators;
 * a completed source leaves the scope to the route's `onResponse` hook, after the last chunk is
 * sent, or to the response's `close` when the client goes away during the last writes.
 */
function settleScope(scope: ReplyScope, request: FastifyRequest, reply: FastifyReply, error: unknown, cancelled: boolean): void {
  scope.running = false;
  if (error !== undefined && error !== null) return closeScope(scope, request, error);
  if (cancelled || scope.abortedWhileRunning || reply.raw.destroyed) return closeScope(scope, request, abortError());
  if (reply.raw.writableFinished) return closeScope(scope, request);
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) closeScope(scope, request, abortError());
  });
}

/** Closes a scope before an error answer is sent; resolves to the error to answer. */
async function failBeforeFirstChunk(scope: ReplyScope | undefined, request: FastifyRequest, error: unknown): Promise<never> {
  if (scope === undefined || scope.closed) throw error;
  scope.running = false;
  scope.closed = true;
  // The error path of a run: request-scoped teardowns see the error first and may replace it.
  const replaced = await scope.close(error);
  throw replaced ?? error;
}

/**
 * Answers a handler's streamed value: reads the first chunk before anything is sent (a failure
 * there is answered as a 500 `{"detail"}`, or the `HTTPException`'s status), then hands fastify a
 * `Readable` of the rest. `scope` (routes with request-scoped teardowns) stays open, marked
 * running, until the source is done with.
 */
export async function sendStreaming(reply: FastifyReply, value: object, scope: ReplyScope | undefined): Promise<unknown> {
  const request = reply.request;
  if (scope !== undefined) scope.running = true;
  let chunks: AsyncIterator<Uint8Array>;
  let response: StreamingResponse;
  let first: IteratorResult<Uint8Array>;
  const controller = new AbortController();
  try {
    response = toStreamingResponse(value);
    chunks = response.chunks(controller.signal);
    first = await chunks.next();
  } catch (error) {
    return failBeforeFirstChunk(scope, request, error);
  }
  if (response.status !== undefined) reply.code(response.status);
  if (response.headers !== undefined) for (const [name, header] of Object.entries(response.headers)) reply.header(name, header);
  if (response.mediaType !== undefined) reply.header("content-type", contentType(response.mediaType));
  // The stream is the handler's answer, with the status it set: background tasks run after it.
  answered(request);
  if (first.done) {
    if (scope !== undefined) settleScope(scope, request, reply, undefined, false);
    if (!reply.hasHeader("content-type")) reply.type("application/octet-stream");
    return "";
  }
  if (reply.raw.destroyed) {
    controller.abort(abortError());
    // The client left while the first chunk was being made: nothing is sent.
    await chunks.return?.().catch(() => undefined);
    notAnswered(request);
    if (scope !== undefined) settleScope(scope, request, reply, undefined, true);
    return "";
  }
  // A failure after the first chunk: fastify logs it (warn, "response terminated with an error
  // with headers already sent") and destroys the response, so the chunked body has no last chunk.
  return new ChunkReadable(chunks, controller, first.value, (error, cancelled) => {
    if ((error !== undefined && error !== null) || cancelled) notAnswered(request);
    if (scope !== undefined) settleScope(scope, request, reply, error, cancelled);
  });
}
