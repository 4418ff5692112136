/**
 * The OpenAPI 3.1 Security Scheme Objects the schemes of this folder document themselves with,
 * shaped exactly as FastAPI emits them: optional members are absent (never `null`) when not set,
 * and every OAuth2 flow carries `scopes` (`{}` when none are declared).
 *
 * They are type aliases, not interfaces, so that they stay assignable to the core's
 * `SecuritySchemeInfo.object` (a plain record).
 */

/**
 * OpenAPI `apiKey` scheme: a key sent in a header, the query string or a cookie.
 *
 * @example
 * ```ts
 * const object: ApiKeySecuritySchemeObject = { type: "apiKey", in: "header", name: "X-API-Key" };
 * ```
 */
export type ApiKeySecuritySchemeObject = {
  readonly type: "apiKey";
  readonly description?: string;
  readonly in: "header" | "query" | "cookie";
  readonly name: string;
};

/**
 * OpenAPI `http` scheme: `Authorization: <scheme> <credentials>` (RFC 9110 section 11).
 *
 * @example
 * ```ts
 * const object: HttpSecuritySchemeObject = { type: "http", scheme: "bearer", bearerFormat: "JWT" };
 * ```
 */
export type HttpSecuritySchemeObject = {
  readonly type: "http";
  readonly description?: string;
  readonly scheme: string;
  readonly bearerFormat?: string;
};

/**
 * One OAuth2 flow as documented: `scopes` is always present.
 *
 * @example
 * ```ts
 * const flow: OAuthFlowObject = { scopes: { me: "Read information about the current user." }, tokenUrl: "token" };
 * ```
 */
export type OAuthFlowObject = {
  readonly refreshUrl?: string;
  readonly scopes: Readonly<Record<string, string>>;
  readonly authorizationUrl?: string;
  readonly tokenUrl?: string;
};

/**
 * The OAuth2 flows of an `oauth2` scheme, as documented.
 *
 * @example
 * ```ts
 * const flows: OAuthFlowsObject = { password: { scopes: {}, tokenUrl: "token" } };
 * ```
 */
export type OAuthFlowsObject = {
  readonly implicit?: OAuthFlowObject;
  readonly password?: OAuthFlowObject;
  readonly clientCredentials?: OAuthFlowObject;
  readonly authorizationCode?: OAuthFlowObject;
};

/**
 * OpenAPI `oauth2` scheme.
 *
 * @example
 * ```ts
 * const object: OAuth2SecuritySchemeObject = { type: "oauth2", flows: { password: { scopes: {}, tokenUrl: "token" } } };
 * ```
 */
export type OAuth2SecuritySchemeObject = {
  readonly type: "oauth2";
  readonly description?: string;
  readonly flows: OAuthFlowsObject;
};

/**
 * OpenAPI `openIdConnect` scheme.
 *
 * @example
 * ```ts
 * const object: OpenIdConnectSecuritySchemeObject = {
 *   type: "openIdConnect",
 *   openIdConnectUrl: "https://issuer.example/.well-known/openid-configuration",
 * };
 * ```
 */
export type OpenIdConnectSecuritySchemeObject = {
  readonly type: "openIdConnect";
  readonly description?: string;
  readonly openIdConnectUrl: string;
};

/**
 * Any OpenAPI Security Scheme Object produced by a scheme of `@depends/core/security`.
 *
 * @example
 * ```ts
 * const object: SecuritySchemeObject = new HTTPBearer().openapi; // { type: "http", scheme: "bearer" }
 * ```
 */
export type SecuritySchemeObject =
  | ApiKeySecuritySchemeObject
  | HttpSecuritySchemeObject
  | OAuth2SecuritySchemeObject
  | OpenIdConnectSecuritySchemeObject;

/**
 * Copies `source` without its `undefined` members, so optional fields are absent as in FastAPI's
 * output (pydantic's `exclude_none`).
 *
 * @example
 * ```ts
 * withoutUndefined({ type: "http", scheme: "bearer", bearerFormat: undefined }); // { type: "http", scheme: "bearer" }
 * ```
 */
export function withoutUndefined<T extends object>(source: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) out[key] = value;
  return out as T;
}
