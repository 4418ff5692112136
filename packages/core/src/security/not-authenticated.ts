import { HTTPException } from "../errors.js";

/**
 * Why a scheme found no usable credentials. Stable values, meant for custom error factories and logs:
 * - `"missing"`: nothing was sent (no header, key or cookie, an empty value, or a scheme with no credentials);
 * - `"wrongScheme"`: `Authorization` uses another scheme than this one (e.g. `Basic` sent to a bearer scheme);
 * - `"malformed"`: the credentials were sent but cannot be read (e.g. HTTP Basic that is not valid base64).
 *
 * @example
 * ```ts
 * const reason: NotAuthenticatedReason = "wrongScheme";
 * ```
 */
export type NotAuthenticatedReason = "missing" | "wrongScheme" | "malformed";

/**
 * What an error factory learns about a failed authentication.
 *
 * @example
 * ```ts
 * const context: NotAuthenticatedContext = { schemeName: "HTTPBearer", challenge: "Bearer", reason: "missing" };
 * ```
 */
export interface NotAuthenticatedContext {
  /** The scheme's name in OpenAPI (`components.securitySchemes`). */
  readonly schemeName: string;
  /** The scheme's `WWW-Authenticate` challenge, e.g. `Bearer` or `Basic realm="api"`. */
  readonly challenge: string;
  readonly reason: NotAuthenticatedReason;
}

/**
 * Builds the error a scheme throws when it finds no usable credentials (FastAPI's
 * `make_not_authenticated_error`). Whatever it returns is thrown as is, so it may be an
 * {@link HTTPException} with another status, or an application error that an error handler maps.
 *
 * @example
 * ```ts
 * // Answer 403 as FastAPI did before 0.122.0:
 * const forbidden: NotAuthenticatedErrorFactory = () => new HTTPException(403, "Not authenticated");
 * const scheme = new HTTPBearer({ makeNotAuthenticatedError: forbidden });
 * ```
 */
export type NotAuthenticatedErrorFactory = (context: NotAuthenticatedContext) => Error;

/**
 * The default error: 401 `{"detail": "Not authenticated"}` with the scheme's challenge in
 * `WWW-Authenticate`, as FastAPI 0.122+ answers for every scheme. RFC 9110 section 11.6.1 requires
 * the challenge on a 401, which is why the header is always set.
 *
 * @example
 * ```ts
 * notAuthenticatedError({ schemeName: "HTTPBasic", challenge: "Basic", reason: "missing" });
 * // HTTPException { status: 401, detail: "Not authenticated", headers: { "WWW-Authenticate": "Basic" } }
 * ```
 */
export function notAuthenticatedError(context: NotAuthenticatedContext): HTTPException {
  return new HTTPException(401, "Not authenticated", { "WWW-Authenticate": context.challenge });
}
