import type { HttpRequest } from "../request.js";
import { firstHeader } from "./authorization-header.js";
import { SecurityScheme, type SecuritySchemeOptions } from "./base.js";
import { requireText } from "./declaration-checks.js";
import { type ApiKeySecuritySchemeObject, withoutUndefined } from "./scheme-object.js";

/**
 * Options of {@link APIKeyHeader}, {@link APIKeyQuery} and {@link APIKeyCookie}.
 *
 * @example
 * ```ts
 * const options: APIKeyOptions = { name: "X-API-Key", description: "Issued in the dashboard" };
 * ```
 */
export interface APIKeyOptions<AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  /** The header, query parameter or cookie that carries the key. */
  readonly name: string;
}

// No standard challenge exists for API keys; FastAPI sends this token so that the 401 still
// carries the WWW-Authenticate header RFC 9110 requires.
const API_KEY_CHALLENGE = "APIKey";

function apiKeyInit(location: ApiKeySecuritySchemeObject["in"], options: APIKeyOptions<boolean>, className: string) {
  const name = requireText(options.name, "name", options.schemeName ?? className);
  const object: ApiKeySecuritySchemeObject = withoutUndefined({ type: "apiKey", description: options.description, in: location, name });
  return { object, challenge: API_KEY_CHALLENGE, options };
}

/**
 * An API key in a request header (FastAPI's `APIKeyHeader`); the header name is matched
 * case-insensitively and a repeated header counts by its first value. Provides the key.
 *
 * Errors: 401 `Not authenticated`, `WWW-Authenticate: APIKey`, when the header is missing or empty.
 *
 * @example
 * ```ts
 * const apiKey = new APIKeyHeader({ name: "X-API-Key" });
 * api.get("/reports", { key: Depends(apiKey) }, ({ key }) => reportsFor(key));
 * ```
 */
export class APIKeyHeader<AutoError extends boolean = true> extends SecurityScheme<string, AutoError> {
  readonly #header: string;

  constructor(options: APIKeyOptions<AutoError>) {
    const init = apiKeyInit("header", options, new.target.name);
    super(init);
    this.#header = init.object.name.toLowerCase();
  }

  protected authenticate(request: HttpRequest): string | undefined {
    return firstHeader(request, this.#header) || this.notAuthenticated("missing");
  }
}

/**
 * An API key in the query string (FastAPI's `APIKeyQuery`). A repeated parameter counts by its last
 * value, as Starlette's `query_params.get`. Provides the key.
 *
 * Errors: 401 `Not authenticated`, `WWW-Authenticate: APIKey`, when the parameter is missing or empty.
 *
 * @example
 * ```ts
 * const apiKey = new APIKeyQuery({ name: "api_key" });
 * api.get("/feed", { key: Depends(apiKey) }, ({ key }) => feedFor(key));
 * ```
 */
export class APIKeyQuery<AutoError extends boolean = true> extends SecurityScheme<string, AutoError> {
  readonly #parameter: string;

  constructor(options: APIKeyOptions<AutoError>) {
    const init = apiKeyInit("query", options, new.target.name);
    super(init);
    this.#parameter = init.object.name;
  }

  protected authenticate(request: HttpRequest): string | undefined {
    const value = request.query[this.#parameter];
    const key = Array.isArray(value) ? (value as readonly unknown[]).at(-1) : value;
    return (typeof key === "string" && key) || this.notAuthenticated("missing");
  }
}

/**
 * An API key in a cookie (FastAPI's `APIKeyCookie`). Provides the key.
 *
 * Errors: 401 `Not authenticated`, `WWW-Authenticate: APIKey`, when the cookie is missing or empty.
 *
 * @example
 * ```ts
 * const session = new APIKeyCookie({ name: "session" });
 * const getSession = dependency({ id: Depends(session) }, ({ id }) => sessions.get(id));
 * ```
 */
export class APIKeyCookie<AutoError extends boolean = true> extends SecurityScheme<string, AutoError> {
  readonly #cookie: string;

  constructor(options: APIKeyOptions<AutoError>) {
    const init = apiKeyInit("cookie", options, new.target.name);
    super(init);
    this.#cookie = init.object.name;
  }

  protected authenticate(request: HttpRequest): string | undefined {
    const value: unknown = request.cookies[this.#cookie];
    // `typeof` guards against inherited members of a plain-object cookie map (e.g. "constructor").
    return (typeof value === "string" && value) || this.notAuthenticated("missing");
  }
}
