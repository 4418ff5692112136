import { StreamError } from "./stream-error.js";
import { jsonText } from "./streaming-response.js";

/**
 * The fields of one server-sent event, as FastAPI's `ServerSentEvent`.
 *
 * @example
 * ```ts
 * const init: ServerSentEventInit = { data: { price: 3 }, event: "tick", id: "42" };
 * ```
 */
export interface ServerSentEventInit {
  /** The payload, always sent as JSON (a string is quoted, as in FastAPI). Exclusive with `rawData`. */
  readonly data?: unknown;
  /** Text sent as it is in the `data:` field(s) (HTML, CSV...). Exclusive with `data`. */
  readonly rawData?: string | undefined;
  /** The event type (`addEventListener(event, ...)` in a browser); one line. */
  readonly event?: string | undefined;
  /** The event id, sent back by a reconnecting browser as `Last-Event-ID`; one line, no NUL. */
  readonly id?: string | undefined;
  /** The reconnection delay the client should use, in milliseconds (an integer >= 0). */
  readonly retry?: number | undefined;
  /** Comment line(s) (`: ...`), ignored by `EventSource` clients. */
  readonly comment?: string | undefined;
}

function singleLine(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new StreamError("DEPENDS_SSE_FIELD", `SSE '${field}' must be a string, got ${typeof value}`);
  if (value.includes("\n") || value.includes("\r")) throw new StreamError("DEPENDS_SSE_FIELD", `SSE '${field}' must be a single line`);
  return value;
}

/**
 * One server-sent event of an {@link EventStream}, validated when it is made (FastAPI's
 * `ServerSentEvent`). Items of an event stream that are not `ServerSentEvent`s are sent as the
 * `data` of an event, as JSON.
 *
 * @example
 * ```ts
 * yield new ServerSentEvent({ data: "hello", event: "greeting", id: "1" }); // event: greeting / data: "hello" / id: 1
 * yield new ServerSentEvent({ rawData: "<li>new</li>", event: "html" });   // data: <li>new</li>
 * ```
 */
export class ServerSentEvent {
  readonly data: unknown;
  readonly rawData: string | undefined;
  readonly event: string | undefined;
  readonly id: string | undefined;
  readonly retry: number | undefined;
  readonly comment: string | undefined;

  constructor(init: ServerSentEventInit) {
    if (init.data !== undefined && init.rawData !== undefined) {
      throw new StreamError("DEPENDS_SSE_FIELD", "Cannot set both 'data' and 'rawData' on the same ServerSentEvent: 'data' is sent as JSON, 'rawData' as it is");
    }
    if (init.rawData !== undefined && typeof init.rawData !== "string") throw new StreamError("DEPENDS_SSE_FIELD", `SSE 'rawData' must be a string, got ${typeof init.rawData}`);
    this.data = init.data;
    this.rawData = init.rawData;
    this.event = singleLine(init.event, "event");
    this.id = singleLine(init.id, "id");
    if (this.id?.includes("\0")) throw new StreamError("DEPENDS_SSE_FIELD", "SSE 'id' must not contain null characters");
    if (init.retry !== undefined && (!Number.isInteger(init.retry) || init.retry < 0)) {
      throw new StreamError("DEPENDS_SSE_FIELD", `SSE 'retry' must be an integer >= 0 (milliseconds), got ${String(init.retry)}`);
    }
    this.retry = init.retry;
    if (init.comment !== undefined && typeof init.comment !== "string") throw new StreamError("DEPENDS_SSE_FIELD", `SSE 'comment' must be a string, got ${typeof init.comment}`);
    this.comment = init.comment;
    Object.freeze(this);
  }
}

/** The lines of a field value, split on the event-stream line ends only (`\r\n`, `\r`, `\n`). */
function lines(value: string): string[] {
  return value.split(/\r\n|\r|\n/);
}

/**
 * The wire form of one event (it ends with the blank line that dispatches it): comments, `event`,
 * one `data:` line per line of data, `id`, `retry`, in FastAPI's order.
 */
export function frameEvent(event: ServerSentEvent): string {
  let out = "";
  if (event.comment !== undefined) for (const line of lines(event.comment)) out += `: ${line}\n`;
  if (event.event !== undefined) out += `event: ${event.event}\n`;
  const data = event.rawData ?? (event.data === undefined ? undefined : jsonText(event.data));
  if (data !== undefined) for (const line of lines(data)) out += `data: ${line}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  if (event.retry !== undefined) out += `retry: ${event.retry}\n`;
  return `${out}\n`;
}

/** The wire form of a stream item: a `ServerSentEvent` as it says, anything else as JSON `data`. */
export function frameItem(item: unknown): string {
  if (item instanceof ServerSentEvent) return frameEvent(item);
  return lines(jsonText(item)).map((line) => `data: ${line}\n`).join("") + "\n";
}
