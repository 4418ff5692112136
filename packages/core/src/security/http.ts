import { DeclarationError } from "../errors.js";
import type { HttpRequest } from "../request.js";
import { asciiLowerCase, authorizationProblem, readAuthorization } from "./authorization-header.js";
import { SecurityScheme, type SecuritySchemeOptions } from "./base.js";
import { optionalText, requireText } from "./declaration-checks.js";
import { withoutUndefined } from "./scheme-object.js";

/**
 * The credentials of `Authorization: <scheme> <credentials>` (FastAPI's `HTTPAuthorizationCredentials`).
 *
 * @example
 * ```ts
 * const sent: HTTPAuthorizationCredentials = { scheme: "Bearer", credentials: "abc" };
 * ```
 */
export interface HTTPAuthorizationCredentials {
  /** The scheme as the client sent it (any case). */
  readonly scheme: string;
  /** The parameter after the scheme, trimmed; never empty. */
  readonly credentials: string;
}

/**
 * Options of {@link HTTPBase}.
 *
 * @example
 * ```ts
 * const options: HTTPBaseOptions = { scheme: "Token", description: "An opaque API token" };
 * ```
 */
export interface HTTPBaseOptions<AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  /** The auth-scheme to accept (compared case-insensitively) and document, e.g. `"Token"`. */
  readonly scheme: string;
  /** OpenAPI hint on the token's format (e.g. `"JWT"`); meaningful for the `bearer` scheme. */
  readonly bearerFormat?: string;
}

/**
 * Options of {@link HTTPBearer}.
 *
 * @example
 * ```ts
 * const options: HTTPBearerOptions = { bearerFormat: "JWT" };
 * ```
 */
export type HTTPBearerOptions<AutoError extends boolean = true> = Omit<HTTPBaseOptions<AutoError>, "scheme">;

/**
 * Options of {@link HTTPDigest}.
 *
 * @example
 * ```ts
 * const options: HTTPDigestOptions<false> = { autoError: false };
 * ```
 */
export type HTTPDigestOptions<AutoError extends boolean = true> = Omit<HTTPBaseOptions<AutoError>, "scheme" | "bearerFormat">;

// RFC 9110 section 5.6.2 token: an auth-scheme outside this set could never be sent.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Title-cases a scheme name the way Python's `str.title()` does (FastAPI builds `HTTPBase`'s
 * challenge with it): a letter is upper case when it follows no letter, lower case otherwise.
 *
 * @example
 * ```ts
 * titleCase("bearer");       // "Bearer"
 * titleCase("my-api-token"); // "My-Api-Token"
 * ```
 */
export function titleCase(value: string): string {
  let out = "";
  let afterLetter = false;
  for (const char of value) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    const isLetter = lower !== upper;
    out += isLetter ? (afterLetter ? lower : upper) : char;
    afterLetter = isLetter;
  }
  return out;
}

/**
 * A generic HTTP authentication scheme (FastAPI's `HTTPBase`): provides `{ scheme, credentials }`
 * from `Authorization: <scheme> <credentials>`.
 *
 * Unlike FastAPI, it checks that the sent scheme is the configured one (ignoring case): a scheme
 * declared as `Token` that accepted `Basic ...` would document one thing and enforce another.
 *
 * Errors: 401 `Not authenticated` with `WWW-Authenticate: <Scheme>` (title-cased, e.g. `Token`) when
 * the header is missing, uses another scheme, or has no credentials.
 *
 * @example
 * ```ts
 * const tokenAuth = new HTTPBase({ scheme: "Token" });
 * api.get("/me", { auth: Depends(tokenAuth) }, ({ auth }) => lookup(auth.credentials));
 * ```
 */
export class HTTPBase<AutoError extends boolean = true> extends SecurityScheme<HTTPAuthorizationCredentials, AutoError> {
  /** The configured scheme in lower case, as compared. */
  readonly #expected: string;

  constructor(options: HTTPBaseOptions<AutoError>) {
    const name = options.schemeName ?? new.target.name;
    const scheme = requireText(options.scheme, "scheme", name);
    if (!TOKEN.test(scheme)) {
      throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${name} scheme ${JSON.stringify(scheme)} is not an HTTP auth-scheme token (RFC 9110 section 11.1)`, { path: [name] });
    }
    const bearerFormat = optionalText(options.bearerFormat, "bearerFormat", name);
    super({ object: withoutUndefined({ type: "http", description: options.description, scheme, bearerFormat }), challenge: titleCase(scheme), options });
    this.#expected = asciiLowerCase(scheme);
  }

  protected authenticate(request: HttpRequest): HTTPAuthorizationCredentials | undefined {
    const parts = readAuthorization(request);
    const problem = authorizationProblem(parts, this.#expected);
    return problem === undefined ? { scheme: parts.scheme, credentials: parts.param } : this.notAuthenticated(problem);
  }
}

/**
 * HTTP Bearer authentication (FastAPI's `HTTPBearer`): provides `{ scheme, credentials }` from
 * `Authorization: Bearer <token>`. Errors: 401 `Not authenticated`, `WWW-Authenticate: Bearer`.
 *
 * @example
 * ```ts
 * const bearer = new HTTPBearer({ bearerFormat: "JWT" });
 * const getUser = dependency({ auth: Depends(bearer) }, ({ auth }) => verify(auth.credentials));
 * ```
 */
export class HTTPBearer<AutoError extends boolean = true> extends HTTPBase<AutoError> {
  constructor(options: HTTPBearerOptions<AutoError> = {}) {
    super({ ...options, scheme: "bearer" });
  }
}

/**
 * HTTP Digest authentication, documentation and header extraction only (FastAPI's `HTTPDigest`):
 * provides `{ scheme, credentials }` from `Authorization: Digest <params>`; checking the digest is
 * the app's job. Errors: 401 `Not authenticated`, `WWW-Authenticate: Digest` (a bare challenge: a
 * real Digest server must answer its own challenge with `realm` and `nonce`, through
 * `makeNotAuthenticatedError`).
 *
 * @example
 * ```ts
 * const digest = new HTTPDigest();
 * api.get("/files", { auth: Depends(digest) }, ({ auth }) => checkDigest(auth.credentials));
 * ```
 */
export class HTTPDigest<AutoError extends boolean = true> extends HTTPBase<AutoError> {
  constructor(options: HTTPDigestOptions<AutoError> = {}) {
    super({ ...options, scheme: "digest" });
  }
}
