import { Type } from "typebox";
import { Header, type ParamSource } from "../params.js";
import { frameItem } from "./server-sent-event.js";
import { type StreamingResponseInit, type StreamSource, StreamingResponse, type StreamChunk } from "./streaming-response.js";

/**
 * Options of {@link sse} / {@link EventStream}.
 *
 * @example
 * ```ts
 * const options: EventStreamOptions = { keepAlive: 10_000, headers: { "x-stream": "prices" } };
 * ```
 */
export interface EventStreamOptions extends Omit<StreamingResponseInit, "mediaType"> {
  /**
   * Milliseconds without an event after which a `: ping` comment is sent, so that proxies keep the
   * connection open (default 15000, FastAPI's interval); `false` sends none. A ping is only sent
   * when the client is reading: a slow client is not sent more.
   */
  readonly keepAlive?: number | false | undefined;
}

/** FastAPI's keep-alive comment. */
const PING = ": ping\n\n";
const encoder = new TextEncoder();
const pingBytes = encoder.encode(PING);

/**
 * A `text/event-stream` response (FastAPI's `EventSourceResponse`): each item of `events` becomes
 * one event (a {@link ServerSentEvent} as it says, any other value as JSON `data`), sent with
 * `Cache-Control: no-cache` and `X-Accel-Buffering: no`, and a `: ping` comment after `keepAlive`
 * idle milliseconds. Teardowns run as for any {@link StreamingResponse}.
 *
 * @example
 * ```ts
 * api.get("/prices", { lastEventId: LastEventId }, ({ lastEventId }) =>
 *   new EventStream(pricesSince(lastEventId), { keepAlive: 10_000 }));
 * ```
 */
export class EventStream extends StreamingResponse {
  /** Milliseconds between keep-alive comments, or `false`. */
  readonly keepAlive: number | false;

  constructor(events: StreamSource<unknown> | ((signal: AbortSignal) => StreamSource<unknown>), options?: EventStreamOptions) {
    super(events as StreamSource<StreamChunk>, {
      mediaType: "text/event-stream",
      status: options?.status,
      headers: { "cache-control": "no-cache", "x-accel-buffering": "no", ...options?.headers },
    });
    const keepAlive = options?.keepAlive ?? 15_000;
    if (keepAlive !== false && (typeof keepAlive !== "number" || !(keepAlive > 0) || !Number.isFinite(keepAlive))) {
      throw new RangeError(`EventStream keepAlive must be a positive number of milliseconds or false, got ${String(keepAlive)}`);
    }
    this.keepAlive = keepAlive;
  }

  protected override encode(item: unknown): Uint8Array {
    return encoder.encode(frameItem(item));
  }

  override chunks(signal: AbortSignal): AsyncIterator<Uint8Array> {
    const events = super.chunks(signal);
    return this.keepAlive === false ? events : new KeepAliveIterator(events, this.keepAlive);
  }
}

/**
 * Interleaves `: ping` comments into an event iterator: a read that waits `interval` ms for the next
 * event is answered with a ping, and the same pending event is awaited by the next read (the source
 * is never asked twice at once, so nothing is buffered).
 */
class KeepAliveIterator implements AsyncIterator<Uint8Array> {
  #pending: Promise<IteratorResult<Uint8Array>> | undefined = undefined;

  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private readonly interval: number,
  ) {}

  next(): Promise<IteratorResult<Uint8Array>> {
    const pending = (this.#pending ??= this.source.next());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ping = new Promise<"ping">((resolve) => {
      timer = setTimeout(resolve, this.interval, "ping");
    });
    return Promise.race([pending, ping]).then((result) => {
      clearTimeout(timer);
      if (result === "ping") return { done: false, value: pingBytes };
      this.#pending = undefined;
      return result;
    }, (error: unknown) => {
      clearTimeout(timer);
      this.#pending = undefined;
      throw error;
    });
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    const pending = this.#pending;
    this.#pending = undefined;
    // A source still making its next event finishes that step first (as for any stream).
    if (pending !== undefined) await pending.catch(() => undefined);
    await this.source.return?.();
    return { done: true, value: undefined };
  }
}

/**
 * Streams `events` as server-sent events: `new EventStream(events, options)`.
 *
 * @example
 * ```ts
 * api.get("/notifications", { user: Depends(currentUser) }, ({ user }) => sse(notificationsOf(user)));
 * ```
 */
export function sse(events: StreamSource<unknown> | ((signal: AbortSignal) => StreamSource<unknown>), options?: EventStreamOptions): EventStream {
  return new EventStream(events, options);
}

/**
 * The `Last-Event-ID` request header a reconnecting `EventSource` sends (the `id` of the last
 * event it received), or `undefined`.
 *
 * @example
 * ```ts
 * api.get("/feed", { lastEventId: LastEventId }, ({ lastEventId }) => sse(feedAfter(lastEventId)));
 * ```
 */
export const LastEventId: ParamSource<string | undefined> = Header(Type.String(), { alias: "last-event-id", required: false, description: "The id of the last event received, sent by a reconnecting EventSource" });
