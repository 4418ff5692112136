import type { HeaderMap } from "../errors.js";
import { StreamError } from "./stream-error.js";

/**
 * One chunk of a raw stream: text (sent as UTF-8) or bytes (a `Buffer` is a `Uint8Array`).
 *
 * @example
 * ```ts
 * const chunk: StreamChunk = "id,name\n";
 * ```
 */
export type StreamChunk = string | Uint8Array;

/**
 * What can be streamed: an async iterable (an async generator, a Node `Readable`, a web
 * `ReadableStream`) or a sync iterable (a generator) of `T`.
 *
 * @example
 * ```ts
 * const rows: StreamSource<string> = (async function* () { yield "a\n"; yield "b\n"; })();
 * ```
 */
export type StreamSource<T> = AsyncIterable<T> | Iterable<T>;

/**
 * How a streamed response is answered, besides its body.
 *
 * @example
 * ```ts
 * const init: StreamingResponseInit = { mediaType: "text/csv", status: 200, headers: { "content-disposition": "attachment" } };
 * ```
 */
export interface StreamingResponseInit {
  /** The `content-type`; `text/*` types get `; charset=utf-8` when they name no charset. */
  readonly mediaType?: string | undefined;
  /** The status; default: the route's (`status` option, or what a dependency set on the reply). */
  readonly status?: number | undefined;
  /** Extra response headers. */
  readonly headers?: HeaderMap | undefined;
}

const encoder = new TextEncoder();

/** Encodes a raw chunk; anything but text and bytes is refused (no silent `[object Object]`). */
export function rawChunk(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  const what = chunk === null ? "null" : Array.isArray(chunk) ? "an array" : typeof chunk;
  throw new StreamError("DEPENDS_STREAM_CHUNK", `A raw stream chunk must be a string or a Uint8Array (Buffer), got ${what}; stream objects with jsonLines() or sse()`);
}

/** A JSON text for a stream item; `undefined`, functions and symbols are refused rather than dropped. */
export function jsonText(item: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(item);
  } catch (error) {
    throw new StreamError("DEPENDS_STREAM_JSON", `A stream item cannot be serialised as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new StreamError("DEPENDS_STREAM_JSON", `A stream item cannot be serialised as JSON: got ${typeof item}`);
  return text;
}

function iteratorOf<T>(body: StreamSource<T>): AsyncIterator<T> | Iterator<T> {
  const source = body as unknown as Record<symbol, unknown>;
  if (typeof source[Symbol.asyncIterator] === "function") return (body as AsyncIterable<T>)[Symbol.asyncIterator]();
  return (body as Iterable<T>)[Symbol.iterator]();
}

function checkBody(body: unknown): void {
  if (typeof body === "string" || body instanceof Uint8Array) return;
  const source = body as Record<symbol, unknown> | null;
  if (source !== null && (typeof source === "object" || typeof source === "function") && (typeof source[Symbol.asyncIterator] === "function" || typeof source[Symbol.iterator] === "function")) return;
  throw new StreamError("DEPENDS_STREAM_BODY", `A stream body must be an async iterable (async generator, Readable, ReadableStream), an iterable, a string or bytes; got ${body === null ? "null" : typeof body}`);
}

/**
 * A streamed response, as FastAPI's (Starlette's) `StreamingResponse`: its body is sent chunk by
 * chunk, as the consumer reads it (back-pressure), with the chosen media type, status and headers.
 * Request-scoped teardowns run after the last chunk is sent, or when the client goes away (the
 * body is then cancelled: a generator's `finally` runs). A handler may also return the body alone
 * (an async generator, a `Readable`, a `ReadableStream`): it is streamed as raw chunks.
 *
 * Iterating it yields the encoded chunks (what an adapter writes).
 *
 * @example
 * ```ts
 * api.get("/report.csv", { db: Depends(getDb) }, ({ db }) =>
 *   new StreamingResponse(db.rowsAsCsvLines(), { mediaType: "text/csv" }));
 * ```
 */
export class StreamingResponse implements AsyncIterable<Uint8Array> {
  readonly body: StreamSource<unknown> | string | Uint8Array | ((signal: AbortSignal) => StreamSource<unknown>);
  readonly mediaType: string | undefined;
  readonly status: number | undefined;
  readonly headers: HeaderMap | undefined;

  /**
   * `body` may be a function of an `AbortSignal` that aborts when the client goes away: a source
   * that waits for outside events (a queue, a pub/sub) passes it on so that its wait ends then.
   */
  constructor(body: StreamSource<StreamChunk> | string | Uint8Array | ((signal: AbortSignal) => StreamSource<StreamChunk>), init?: StreamingResponseInit) {
    if (typeof body !== "function") checkBody(body);
    const status = init?.status;
    if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) throw new RangeError(`A StreamingResponse status must be an integer from 100 to 599, got ${String(status)}`);
    this.body = body;
    this.mediaType = init?.mediaType;
    this.status = status;
    this.headers = init?.headers;
  }

  /** Encodes one item of the body (raw chunks here; JSON Lines and SSE override it). */
  protected encode(item: unknown): Uint8Array {
    return rawChunk(item);
  }

  /** The encoded chunks, pulled one at a time; `return()` cancels the body. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.chunks(new AbortController().signal);
  }

  /** The encoded chunks for an adapter; `signal` aborts when the client goes away. */
  chunks(signal: AbortSignal): AsyncIterator<Uint8Array> {
    let body = this.body;
    if (typeof body === "function") {
      body = body(signal);
      checkBody(body);
    }
    return new EncodingIterator(iteratorOf(typeof body === "string" || body instanceof Uint8Array ? [body] : body), (item) => this.encode(item));
  }
}

/** Maps a (sync or async) iterator through `encode`; `return()` reaches the source. */
class EncodingIterator implements AsyncIterator<Uint8Array> {
  constructor(
    private readonly source: AsyncIterator<unknown> | Iterator<unknown>,
    private readonly encode: (item: unknown) => Uint8Array,
  ) {}

  async next(): Promise<IteratorResult<Uint8Array>> {
    const result = await this.source.next();
    if (result.done) return { done: true, value: undefined };
    try {
      return { done: false, value: this.encode(result.value) };
    } catch (error) {
      // The body cannot go on: let a generator's `finally` run before the error is answered.
      await this.source.return?.();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.source.return?.();
    return { done: true, value: undefined };
  }
}

/**
 * A JSON Lines (`application/jsonl`) response: each item is sent as one JSON text and a newline, as
 * FastAPI streams a path operation that yields objects. `undefined`, functions and symbols are
 * refused (`DEPENDS_STREAM_JSON`).
 *
 * @example
 * ```ts
 * api.get("/items/stream", {}, () => new JsonLines((async function* () { yield { name: "foo" }; })()));
 * ```
 */
export class JsonLines extends StreamingResponse {
  constructor(items: StreamSource<unknown> | ((signal: AbortSignal) => StreamSource<unknown>), init?: StreamingResponseInit) {
    super(items as StreamSource<StreamChunk>, { ...init, mediaType: init?.mediaType ?? "application/jsonl" });
    if (typeof items === "string" || items instanceof Uint8Array) throw new StreamError("DEPENDS_STREAM_BODY", "JsonLines takes an iterable of items, not a string or bytes");
  }

  protected override encode(item: unknown): Uint8Array {
    return encoder.encode(`${jsonText(item)}\n`);
  }
}

/**
 * Streams `items` as JSON Lines: `new JsonLines(items, init)`.
 *
 * @example
 * ```ts
 * api.get("/events", {}, () => jsonLines(feed()));
 * ```
 */
export function jsonLines(items: StreamSource<unknown> | ((signal: AbortSignal) => StreamSource<unknown>), init?: StreamingResponseInit): JsonLines {
  return new JsonLines(items, init);
}

/**
 * Whether a handler's value is streamed: a {@link StreamingResponse}, or anything async-iterable
 * (an async generator, a Node `Readable`, a web `ReadableStream`), or a sync generator. Cheap
 * enough for every response: one property test on a plain object (two when it is not one).
 *
 * @example
 * ```ts
 * isStreamBody((async function* () {})()); // true
 * isStreamBody({ items: [] });             // false
 * ```
 */
export function isStreamBody(value: object): boolean {
  return Symbol.asyncIterator in value || (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "Generator";
}

/**
 * The {@link StreamingResponse} for a handler's streamed value (itself when it is one).
 *
 * @example
 * ```ts
 * const response = toStreamingResponse(readable); // raw chunks, no media type
 * ```
 */
export function toStreamingResponse(value: object): StreamingResponse {
  return value instanceof StreamingResponse ? value : new StreamingResponse(value as StreamSource<StreamChunk>);
}
