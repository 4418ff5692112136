/**
 * The stable codes of the errors a streamed response raises while it runs (they are not
 * registration errors): docs/errors.md#streaming.
 *
 * @example
 * ```ts
 * const code: StreamErrorCode = "DEPENDS_STREAM_CHUNK";
 * ```
 */
export type StreamErrorCode =
  /** A raw stream produced a chunk that is neither a string nor a `Uint8Array` (a `Buffer`). */
  | "DEPENDS_STREAM_CHUNK"
  /** A value given as a stream body is not a stream, an iterable, a string or bytes. */
  | "DEPENDS_STREAM_BODY"
  /** A `ServerSentEvent` field breaks the event-stream framing (a newline in `event`, a negative `retry`...). */
  | "DEPENDS_SSE_FIELD"
  /** An item of a JSON stream (JSON Lines, SSE `data`) cannot be serialised as JSON. */
  | "DEPENDS_STREAM_JSON";

/**
 * Raised by a streamed response's body: before the first chunk it is answered as a 500
 * `{"detail": "Internal Server Error"}`, after it the stream ends abnormally and it is logged.
 * `ServerSentEvent`'s constructor throws it directly for an invalid field.
 *
 * @example
 * ```ts
 * try { new ServerSentEvent({ event: "a\nb" }); } catch (error) { if (error instanceof StreamError) console.log(error.code); }
 * ```
 */
export class StreamError extends Error {
  override readonly name = "StreamError";
  readonly code: StreamErrorCode;

  constructor(code: StreamErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
