/**
 * Reading a thrown value without throwing. JavaScript can throw anything: `Object.create(null)`
 * (no `toString`), an object whose getters throw, a revoked proxy. The error handler reads such
 * values through these helpers, so that its own answer can never fail on them.
 */
import { validateHeaderName, validateHeaderValue } from "node:http";
import type { FastifyBaseLogger } from "fastify";

/**
 * `value[key]`, or `undefined` when `value` is not an object or reading throws.
 *
 * @example
 * ```ts
 * fieldOf(Object.defineProperty({}, "status", { get() { throw new Error("no"); } }), "status"); // undefined
 * ```
 */
export function fieldOf(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * `value instanceof type`, or `false` when the check throws (a proxy's `getPrototypeOf` trap).
 *
 * @example
 * ```ts
 * isInstance(new TypeError("x"), Error); // true
 * ```
 */
export function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/**
 * A one-line description of a thrown value for the log: an error's message, else its string form,
 * else its tag (`[object Object]`), never an exception.
 *
 * @example
 * ```ts
 * describeThrown(Object.create(null)); // "[object Object]"
 * ```
 */
export function describeThrown(value: unknown): string {
  const message = isInstance(value, Error) ? fieldOf(value, "message") : undefined;
  if (typeof message === "string") return message;
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return "an unprintable value was thrown";
    }
  }
}

// The body is the error handler's own: the framing headers of another body cannot be kept.
const FRAMING = new Set(["content-length", "transfer-encoding"]);

/**
 * The headers of an error that Node can send: a name that is an HTTP token and a value without CR,
 * LF or NUL (Node would throw while writing the response, or a client could be sent a forged
 * header), and no framing header. Each dropped header is logged at `warn` by name.
 *
 * @example
 * ```ts
 * sendableHeaders({ "www-authenticate": "Bearer", "x-bad": "a\r\nSet-Cookie: x=y" }, request.log);
 * // [["www-authenticate", "Bearer"]], and a warning naming x-bad
 * ```
 */
export function sendableHeaders(headers: unknown, log: FastifyBaseLogger): [name: string, value: string][] {
  const sendable: [string, string][] = [];
  if (headers === null || typeof headers !== "object") return sendable;
  let names: string[];
  try {
    names = Object.keys(headers);
  } catch {
    log.warn("Error headers dropped: they cannot be read");
    return sendable;
  }
  for (const name of names) {
    const raw = fieldOf(headers, name);
    const value = typeof raw === "number" ? String(raw) : raw;
    try {
      if (typeof value !== "string") throw new TypeError("not a string");
      if (FRAMING.has(name.toLowerCase())) throw new TypeError("a framing header");
      validateHeaderName(name);
      validateHeaderValue(name, value);
      sendable.push([name, value]);
    } catch (problem) {
      log.warn({ header: name }, `Error header ${JSON.stringify(name)} dropped: ${describeThrown(problem)}`);
    }
  }
  return sendable;
}
