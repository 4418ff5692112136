/**
 * Raised for a handler value JSON has no text for: a `Symbol` or a function. `JSON.stringify`
 * gives `undefined` for both, which fastify would send as an empty 200; FastAPI fails to encode
 * such a value, and so does a BigInt here (a 500). The error handler answers it as any server
 * error: 500 `{"detail": "Internal Server Error"}`, the message only in the log.
 *
 * @example
 * ```ts
 * api.get("/oops", () => Symbol("x")); // 500, and "GET /oops returned a symbol, which has no JSON form" in the log
 * if (error instanceof UnserialisableValueError) console.error(error.code); // "DEPENDS_UNSERIALISABLE_VALUE"
 * ```
 */
export class UnserialisableValueError extends TypeError {
  override readonly name = "UnserialisableValueError";
  /** Stable, machine-readable code. */
  readonly code = "DEPENDS_UNSERIALISABLE_VALUE";

  constructor(route: { readonly method?: string | string[]; readonly url?: string }, kind: string) {
    super(`${String(route.method)} ${String(route.url)} returned a ${kind}, which has no JSON form`);
  }
}
