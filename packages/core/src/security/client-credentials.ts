import { HTTPException } from "../errors.js";
import type { HttpRequest } from "../request.js";
import { isScheme, readAuthorization } from "./authorization-header.js";
import { decodeBasicCredentials } from "./basic-credentials.js";

/**
 * Where a token request's client credentials came from: the HTTP Basic `Authorization` header
 * (RFC 6749 section 2.3.1's recommended method), the form body, or nowhere.
 *
 * @example
 * ```ts
 * const from: ClientCredentialsSource = "header";
 * ```
 */
export type ClientCredentialsSource = "header" | "body" | undefined;

/**
 * The client of a token request, after header and body were reconciled.
 *
 * @example
 * ```ts
 * const client: ClientCredentials = { clientId: "swagger", clientSecret: undefined, clientCredentialsFrom: "body" };
 * ```
 */
export interface ClientCredentials {
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly clientCredentialsFrom: ClientCredentialsSource;
}

/**
 * The error for unusable client credentials. RFC 6749 section 5.2: a client that authenticated with
 * the `Authorization` header must get 401 with a challenge for the scheme it used.
 *
 * @example
 * ```ts
 * throw invalidClientError();
 * // 401 {"detail": "Invalid client credentials"}, WWW-Authenticate: Basic
 * ```
 */
export function invalidClientError(): HTTPException {
  return new HTTPException(401, "Invalid client credentials", { "WWW-Authenticate": "Basic" });
}

// RFC 6749 section 2.3.1 has clients form-urlencode the client id and secret before Basic-encoding
// them, so that a `:` in the id survives; undo that here.
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

/**
 * Reads client credentials from the body fields and from an `Authorization: Basic` header, and
 * reconciles them: a value present in both must be equal, otherwise (and when the header is
 * malformed) it throws {@link invalidClientError}. Any other `Authorization` scheme is not client
 * authentication and is ignored; so is `Basic` without credentials.
 *
 * @example
 * ```ts
 * // Authorization: Basic base64("my-client:s3cret")
 * clientCredentials(request, undefined, undefined);
 * // { clientId: "my-client", clientSecret: "s3cret", clientCredentialsFrom: "header" }
 * ```
 */
export function clientCredentials(request: HttpRequest, bodyId: string | undefined, bodySecret: string | undefined): ClientCredentials {
  const parts = readAuthorization(request);
  if (!isScheme(parts.scheme, "basic") || parts.param === "") {
    const fromBody = bodyId !== undefined || bodySecret !== undefined;
    return { clientId: bodyId, clientSecret: bodySecret, clientCredentialsFrom: fromBody ? "body" : undefined };
  }
  const basic = decodeBasicCredentials(parts.param);
  const clientId = basic && formDecode(basic.username);
  const clientSecret = basic && formDecode(basic.password);
  if (clientId === undefined || clientSecret === undefined) throw invalidClientError();
  // Swagger UI's password flow always sends `Basic Og==` (an empty id and secret) when no client is
  // configured: that is no client authentication at all.
  if (clientId === "" && clientSecret === "") {
    const fromBody = bodyId !== undefined || bodySecret !== undefined;
    return { clientId: bodyId, clientSecret: bodySecret, clientCredentialsFrom: fromBody ? "body" : undefined };
  }
  // Two different client ids (or secrets) in one request cannot both be right, and picking one
  // would let a client authenticate as one and be recorded as the other.
  if ((bodyId !== undefined && bodyId !== clientId) || (bodySecret !== undefined && bodySecret !== clientSecret)) throw invalidClientError();
  return { clientId, clientSecret, clientCredentialsFrom: "header" };
}
