import type { HttpRequest } from "../request.js";
import { authorizationProblem, readAuthorization } from "./authorization-header.js";
import { SecurityScheme, type SecuritySchemeOptions } from "./base.js";
import { optionalText, requireText } from "./declaration-checks.js";
import { documentFlows, type OAuthFlows, type ScopeDescriptions } from "./oauth2-flows.js";
import { withoutUndefined } from "./scheme-object.js";

/**
 * Options of {@link OAuth2}.
 *
 * @example
 * ```ts
 * const options: OAuth2Options<"read"> = { flows: { clientCredentials: { tokenUrl: "/token", scopes: { read: "Read data." } } } };
 * ```
 */
export interface OAuth2Options<Scope extends string = string, AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  /** The flows to document (default: none). */
  readonly flows?: OAuthFlows<Scope>;
}

/**
 * Options of {@link OAuth2PasswordBearer}.
 *
 * @example
 * ```ts
 * const options: OAuth2PasswordBearerOptions<"me"> = { tokenUrl: "token", scopes: { me: "Read your profile." } };
 * ```
 */
export interface OAuth2PasswordBearerOptions<Scope extends string = string, AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  /** Where clients exchange username and password for a token; relative URLs stay relative (behind a proxy prefix, keep it relative). */
  readonly tokenUrl: string;
  readonly refreshUrl?: string;
  /** The scopes the server knows, with descriptions (shown by Swagger UI's Authorize dialog). */
  readonly scopes?: ScopeDescriptions<Scope>;
}

/**
 * Options of {@link OAuth2AuthorizationCodeBearer}.
 *
 * @example
 * ```ts
 * const options: OAuth2AuthorizationCodeBearerOptions = { authorizationUrl: "https://auth.example/authorize", tokenUrl: "https://auth.example/token" };
 * ```
 */
export interface OAuth2AuthorizationCodeBearerOptions<Scope extends string = string, AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly refreshUrl?: string;
  readonly scopes?: ScopeDescriptions<Scope>;
}

/**
 * An OAuth2 scheme with any flows (FastAPI's `OAuth2`). Provides the bearer token of
 * `Authorization: Bearer <token>` (RFC 6750 section 2.1).
 *
 * Unlike FastAPI, which returns the raw header whatever its scheme, it requires `Bearer` like the
 * password and authorization-code schemes do: every OAuth2 flow issues bearer tokens, the 401 already
 * challenges with `Bearer`, and a raw header would leave each app to re-parse it. Override
 * `authenticate` in a subclass to read tokens elsewhere.
 *
 * Errors: 401 `Not authenticated`, `WWW-Authenticate: Bearer`, when the header is missing, uses
 * another scheme or has no token. `Scope` keeps the declared scope names as literal types.
 *
 * @example
 * ```ts
 * const oauth2 = new OAuth2({
 *   flows: {
 *     authorizationCode: { authorizationUrl: "/authorize", tokenUrl: "/token", scopes: { read: "Read data." } },
 *     clientCredentials: { tokenUrl: "/token", scopes: { read: "Read data." } },
 *   },
 * });
 * const getToken = dependency({ token: Security(oauth2, { scopes: ["read"] }) }, ({ token }) => token);
 * ```
 */
export class OAuth2<Scope extends string = string, AutoError extends boolean = true> extends SecurityScheme<string, AutoError, Scope> {
  /** Every scope the flows declare, with its description. */
  readonly scopes: ScopeDescriptions<Scope>;

  constructor(options: OAuth2Options<Scope, AutoError> = {}) {
    const flows = documentFlows(options.flows ?? {}, options.schemeName ?? new.target.name);
    super({ object: withoutUndefined({ type: "oauth2", description: options.description, flows: flows.object }), challenge: "Bearer", options, scopes: flows.scopes });
    this.scopes = flows.scopes as ScopeDescriptions<Scope>;
  }

  protected authenticate(request: HttpRequest): string | undefined {
    const parts = readAuthorization(request);
    const problem = authorizationProblem(parts, "bearer");
    return problem === undefined ? parts.param : this.notAuthenticated(problem);
  }
}

/**
 * OAuth2 with the password flow (FastAPI's `OAuth2PasswordBearer`): provides the token of
 * `Authorization: Bearer <token>` and documents where to get one (`tokenUrl`).
 *
 * Errors: 401 `{"detail": "Not authenticated"}` with `WWW-Authenticate: Bearer` when the header is
 * missing, uses another scheme, or carries no token. With `autoError: false` it provides `undefined`
 * instead.
 *
 * @example
 * ```ts
 * const oauth2Scheme = new OAuth2PasswordBearer({
 *   tokenUrl: "token",
 *   scopes: { me: "Read information about the current user.", items: "Read items." },
 * });
 * const getCurrentUser = dependency(
 *   { securityScopes: SecurityScopes, token: Depends(oauth2Scheme) },
 *   async ({ securityScopes, token }) => verifyToken(token, securityScopes.scopes),
 * );
 * ```
 */
export class OAuth2PasswordBearer<Scope extends string = string, AutoError extends boolean = true> extends OAuth2<Scope, AutoError> {
  constructor(options: OAuth2PasswordBearerOptions<Scope, AutoError>) {
    const name = options.schemeName ?? new.target.name;
    const password = { tokenUrl: requireText(options.tokenUrl, "tokenUrl", name), refreshUrl: optionalText(options.refreshUrl, "refreshUrl", name), scopes: options.scopes };
    super({ ...options, flows: { password: withoutUndefined(password) } });
  }
}

/**
 * OAuth2 with the authorization code flow (FastAPI's `OAuth2AuthorizationCodeBearer`): provides the
 * token of `Authorization: Bearer <token>` and documents the authorization and token endpoints.
 * Errors as {@link OAuth2PasswordBearer}.
 *
 * @example
 * ```ts
 * const scheme = new OAuth2AuthorizationCodeBearer({
 *   authorizationUrl: "https://auth.example/authorize",
 *   tokenUrl: "https://auth.example/token",
 *   scopes: { read: "Read data." },
 * });
 * api.get("/items/", { token: Security(scheme, { scopes: ["read"] }) }, ({ token }) => listItems(token));
 * ```
 */
export class OAuth2AuthorizationCodeBearer<Scope extends string = string, AutoError extends boolean = true> extends OAuth2<Scope, AutoError> {
  constructor(options: OAuth2AuthorizationCodeBearerOptions<Scope, AutoError>) {
    const name = options.schemeName ?? new.target.name;
    const authorizationCode = {
      authorizationUrl: requireText(options.authorizationUrl, "authorizationUrl", name),
      tokenUrl: requireText(options.tokenUrl, "tokenUrl", name),
      refreshUrl: optionalText(options.refreshUrl, "refreshUrl", name),
      scopes: options.scopes,
    };
    super({ ...options, flows: { authorizationCode: withoutUndefined(authorizationCode) } });
  }
}
