import { HTTPException } from "./errors.js";
import type { SecurityScopes } from "./security-scopes.js";

/**
 * How a missing scope is answered: the guide's 401, or RFC 6750's 403 `insufficient_scope`.
 *
 * @example
 * ```ts
 * const style: ScopeErrorStyle = process.env.SCOPE_ERRORS === "rfc6750" ? "rfc6750" : "guide";
 * ```
 */
export type ScopeErrorStyle = "guide" | "rfc6750";

/**
 * Options of {@link assertScopes}.
 *
 * @example
 * ```ts
 * assertScopes(securityScopes, claims.scope, { style: "rfc6750", realm: "api" });
 * ```
 */
export interface ScopeCheckOptions {
  /** `"guide"` (default): 401 `Not enough permissions`, `WWW-Authenticate: Bearer scope="..."`. `"rfc6750"`: 403 with `error="insufficient_scope"`. */
  readonly style?: ScopeErrorStyle;
  /** The `detail` of the error (default `"Not enough permissions"`). */
  readonly detail?: string;
  /** A `realm` for the challenge (RFC 6750 section 3). */
  readonly realm?: string;
}

function quoted(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * The `WWW-Authenticate` value for a bearer-token failure: `Bearer`, plus the realm, an RFC 6750
 * `error` code and the required scopes when there are any.
 *
 * @example
 * ```ts
 * bearerChallenge(new SecurityScopes(["items", "me"])); // 'Bearer scope="items me"'
 * bearerChallenge(new SecurityScopes(["items"]), { error: "insufficient_scope" }); // 'Bearer error="insufficient_scope", scope="items"'
 * ```
 */
export function bearerChallenge(required: SecurityScopes, options: { readonly error?: "invalid_request" | "invalid_token" | "insufficient_scope"; readonly realm?: string } = {}): string {
  const params: string[] = [];
  if (options.realm !== undefined) params.push(`realm=${quoted(options.realm)}`);
  if (options.error !== undefined) params.push(`error=${quoted(options.error)}`);
  if (required.scopes.length > 0) params.push(`scope=${quoted(required.scopeStr)}`);
  return params.length > 0 ? `Bearer ${params.join(", ")}` : "Bearer";
}

/**
 * Checks that `granted` (a token's scopes: a list, or a space-separated `scope` claim) covers every
 * scope in `required` (a node's `SecurityScopes`), and throws otherwise: by default as the FastAPI
 * guide does (401), or, with `style: "rfc6750"`, as RFC 6750 section 3.1 asks (403,
 * `error="insufficient_scope"`, the required scopes in the challenge).
 *
 * @example
 * ```ts
 * const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, async ({ securityScopes, token }) => {
 *   const claims = await verifier.verify(token);
 *   assertScopes(securityScopes, claims.scope, { style: "rfc6750" });
 *   return loadUser(claims.sub);
 * });
 * ```
 */
export function assertScopes(required: SecurityScopes, granted: readonly string[] | string | undefined, options: ScopeCheckOptions = {}): void {
  if (required.scopes.length === 0) return;
  const have = typeof granted === "string" ? granted.split(/\s+/) : (granted ?? []);
  const missing = required.scopes.some((scope) => !have.includes(scope));
  if (!missing) return;
  const detail = options.detail ?? "Not enough permissions";
  if (options.style === "rfc6750") {
    throw new HTTPException(403, detail, { "WWW-Authenticate": bearerChallenge(required, { error: "insufficient_scope", realm: options.realm }) });
  }
  throw new HTTPException(401, detail, { "WWW-Authenticate": bearerChallenge(required, { realm: options.realm }) });
}
