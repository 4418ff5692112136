/** The largest close reason a WebSocket close frame can carry: 123 bytes of UTF-8 (RFC 6455 section 5.5). */
const MAX_REASON_BYTES = 123;

function utf8Length(char: string): number {
  const point = char.codePointAt(0) ?? 0;
  return point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
}

function checkCode(code: number): void {
  // 1000 and 3000-4999 are what an application may send (RFC 6455 section 7.4; 1004-1006 and
  // 1015 are reserved, 1012-1014 are the server's own); the common server-side codes are allowed too.
  const sendable = code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  if (!Number.isInteger(code) || !sendable) {
    throw new RangeError(`WebSocketException code must be 1000-1003, 1007-1014 or 3000-4999, got ${String(code)}`);
  }
}

/**
 * Cuts `reason` to what a close frame can carry (123 bytes of UTF-8), at a character boundary.
 *
 * @example
 * ```ts
 * closeReason("x".repeat(200)).length; // 123
 * ```
 */
export function closeReason(reason: string): string {
  let cut = "";
  let bytes = 0;
  for (const char of reason) {
    const size = utf8Length(char);
    if (bytes + size > MAX_REASON_BYTES) break;
    cut += char;
    bytes += size;
  }
  return cut.length === reason.length ? reason : cut;
}

/**
 * An error that closes a WebSocket connection with `code` (default 1008, policy violation) and
 * `reason`, as FastAPI's `WebSocketException`. Thrown by a dependency, it closes the connection
 * right after the handshake (so that the client sees the code); thrown by the handler, it closes it
 * there. A reason longer than a close frame allows (123 bytes) is cut.
 *
 * @example
 * ```ts
 * const token = dependency({ token: Query(Type.String(), { required: false }) }, ({ token }) => {
 *   if (token === undefined) throw new WebSocketException(1008, "token required");
 *   return token;
 * });
 * ```
 */
export class WebSocketException extends Error {
  override readonly name: string = "WebSocketException";
  readonly code: number;
  readonly reason: string;

  constructor(code = 1008, reason = "") {
    super(reason === "" ? `WebSocket closed with ${String(code)}` : reason);
    checkCode(code);
    if (typeof reason !== "string") throw new TypeError("WebSocketException reason must be a string");
    this.code = code;
    this.reason = closeReason(reason);
  }
}
