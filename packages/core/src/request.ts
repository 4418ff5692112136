import { BackgroundTaskQueue } from "./background-tasks.js";
/**
 * Adapters register the types of their raw request and reply here, by declaration merging, so that
 * `RawRequest` and `RawReply` sources are typed. `@depends/fastify` adds `FastifyRequest`/`FastifyReply`.
 *
 * @example
 * ```ts
 * declare module "@depends/core" {
 *   interface AdapterTypes { request: MyRequest; reply: MyReply }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AdapterTypes {}

/**
 * The adapter's raw request type (`unknown` until an adapter registers it in {@link AdapterTypes}).
 *
 * @example
 * ```ts
 * const ip = dependency({ req: RawRequest }, ({ req }: { req: RawRequestType }) => req.ip);
 * ```
 */
export type RawRequestType = AdapterTypes extends { request: infer R } ? R : unknown;
/**
 * The adapter's raw reply type (`unknown` until an adapter registers it in {@link AdapterTypes}).
 *
 * @example
 * ```ts
 * const noStore = dependency({ reply: RawReply }, ({ reply }: { reply: RawReplyType }) => reply.header("cache-control", "no-store"));
 * ```
 */
export type RawReplyType = AdapterTypes extends { reply: infer R } ? R : unknown;
/**
 * The adapter's WebSocket type (`unknown` until an adapter registers it in {@link AdapterTypes}).
 *
 * @example
 * ```ts
 * const greet = ({ socket }: { socket: RawWebSocketType }) => socket.send("hello");
 * ```
 */
export type RawWebSocketType = AdapterTypes extends { websocket: infer W } ? W : unknown;

/**
 * The framework-neutral view of a request that every adapter provides to a plan. Header names are
 * lower case. `params`, `query`, `headers` and `body` hold what the adapter parsed (and, when it
 * validates natively, what it validated and coerced).
 *
 * @example
 * ```ts
 * const request: HttpRequest = createRequest({ method: "GET", url: "/status/", headers: { authorization: "Bearer abc" } });
 * request.headers.authorization; // "Bearer abc"
 * ```
 */
export interface HttpRequest {
  readonly method: string;
  /** The request target as received: path plus query string. */
  readonly url: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly cookies: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  /** The adapter's own request object (e.g. a `FastifyRequest`). */
  readonly raw: RawRequestType;
  /** The adapter's own reply object (e.g. a `FastifyReply`). */
  readonly reply: RawReplyType;
  /** On a WebSocket route, the accepted socket (what the `WebSocket` source injects); absent otherwise. */
  readonly websocket?: RawWebSocketType | undefined;
  /**
   * The request's background tasks (what the `BackgroundTasks` source injects), which the adapter
   * runs after the response; absent where there is no response to run them after (WebSockets).
   */
  readonly backgroundTasks?: BackgroundTaskQueue | undefined;
}

/**
 * The input of {@link createRequest}: every field optional.
 *
 * @example
 * ```ts
 * const init: RequestInit = { method: "POST", body: { username: "johndoe", password: "secret" } };
 * await route.execute(createRequest(init));
 * ```
 */
export interface RequestInit {
  method?: string;
  url?: string;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, string | readonly string[] | undefined>;
  cookies?: Record<string, string | undefined>;
  body?: unknown;
  raw?: RawRequestType;
  reply?: RawReplyType;
  websocket?: RawWebSocketType;
  /** Default: a new queue, which `route.execute()` and `resolve()` run. */
  backgroundTasks?: BackgroundTaskQueue;
}

/**
 * Builds an {@link HttpRequest} from plain data, for unit tests of dependency trees without a server.
 * Header names are lower-cased; a `cookie` header is parsed when `cookies` is not given.
 *
 * @example
 * ```ts
 * const request = createRequest({ headers: { Authorization: "Bearer abc" }, query: { q: "x" } });
 * await route.execute(request);
 * ```
 */
export function createRequest(init: RequestInit = {}): HttpRequest {
  const headers: Record<string, string | readonly string[] | undefined> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  const cookieHeader = headers.cookie;
  return {
    method: (init.method ?? "GET").toUpperCase(),
    url: init.url ?? "/",
    params: init.params ?? {},
    query: init.query ?? {},
    headers,
    cookies: init.cookies ?? parseCookieHeader(typeof cookieHeader === "string" ? cookieHeader : undefined),
    body: init.body,
    raw: init.raw as RawRequestType,
    reply: init.reply as RawReplyType,
    websocket: init.websocket,
    backgroundTasks: init.backgroundTasks ?? new BackgroundTaskQueue(),
  };
}

/**
 * Parses a `Cookie` header into a name to value map. The first occurrence of a name wins (RFC 6265
 * section 5.4 orders more specific cookies first); values are percent-decoded when valid.
 *
 * @example
 * ```ts
 * parseCookieHeader("session=abc; theme=dark"); // { session: "abc", theme: "dark" }
 * ```
 */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded text: keep it as sent.
    }
    cookies[name] = value;
  }
  return cookies;
}
