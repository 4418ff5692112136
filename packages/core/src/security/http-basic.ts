import type { HttpRequest } from "../request.js";
import { authorizationProblem, readAuthorization } from "./authorization-header.js";
import { SecurityScheme, type SecuritySchemeOptions } from "./base.js";
import { decodeBasicCredentials, type HTTPBasicCredentials } from "./basic-credentials.js";
import { optionalText } from "./declaration-checks.js";
import { withoutUndefined } from "./scheme-object.js";

/**
 * Options of {@link HTTPBasic}.
 *
 * @example
 * ```ts
 * const options: HTTPBasicOptions = { realm: "admin area" };
 * ```
 */
export interface HTTPBasicOptions<AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  /** Sent in the challenge, `Basic realm="<realm>"`, so browsers can label their login prompt. */
  readonly realm?: string;
}

/** RFC 9110 section 5.6.4 quoted-string: a `"` or `\` inside must be escaped. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/**
 * HTTP Basic authentication (FastAPI's `HTTPBasic`): provides `{ username, password }` from
 * `Authorization: Basic <base64(user:password)>`. The password may contain `:`; both are decoded
 * as UTF-8 (FastAPI accepts ASCII only).
 *
 * Errors: 401 `Not authenticated` with `WWW-Authenticate: Basic` (or `Basic realm="<realm>"`) when
 * the header is missing, uses another scheme, or is malformed (not strict base64, not UTF-8, no `:`).
 * Unlike FastAPI, `autoError: false` covers malformed credentials too.
 *
 * @example
 * ```ts
 * const basic = new HTTPBasic({ realm: "admin" });
 * api.get("/admin", { credentials: Depends(basic) }, ({ credentials }) => checkPassword(credentials.username, credentials.password));
 * ```
 */
export class HTTPBasic<AutoError extends boolean = true> extends SecurityScheme<HTTPBasicCredentials, AutoError> {
  readonly realm: string | undefined;

  constructor(options: HTTPBasicOptions<AutoError> = {}) {
    const realm = optionalText(options.realm, "realm", options.schemeName ?? new.target.name);
    const challenge = realm === undefined ? "Basic" : `Basic realm=${quoted(realm)}`;
    super({ object: withoutUndefined({ type: "http", description: options.description, scheme: "basic" }), challenge, options });
    this.realm = realm;
  }

  protected authenticate(request: HttpRequest): HTTPBasicCredentials | undefined {
    const parts = readAuthorization(request);
    const problem = authorizationProblem(parts, "basic");
    if (problem !== undefined) return this.notAuthenticated(problem);
    return decodeBasicCredentials(parts.param) ?? this.notAuthenticated("malformed");
  }
}
