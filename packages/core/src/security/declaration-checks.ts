import { DeclarationError } from "../errors.js";
import { assertScopeTokens } from "../scope-token.js";

/**
 * Checks that a scheme option holds a non-empty string. Schemes are built at module load, so a
 * mistake here surfaces at startup with a `DEPENDS_INVALID_SCHEME_OPTION` code instead of producing a
 * broken OpenAPI document or a scheme that never matches.
 *
 * @example
 * ```ts
 * requireText("token", "tokenUrl", "OAuth2PasswordBearer"); // "token"
 * requireText("", "tokenUrl", "OAuth2PasswordBearer");      // throws DeclarationError
 * ```
 */
export function requireText(value: unknown, option: string, scheme: string): string {
  if (typeof value !== "string" || value === "") {
    throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${scheme} needs "${option}" to be a non-empty string, got ${describe(value)}`, { path: [scheme] });
  }
  return value;
}

/**
 * Checks an optional scheme option: `undefined`, or a string (empty strings are kept, as FastAPI
 * keeps them, because `description: ""` is a legitimate, if odd, choice).
 *
 * @example
 * ```ts
 * optionalText(undefined, "description", "HTTPBearer"); // undefined
 * ```
 */
export function optionalText(value: unknown, option: string, scheme: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${scheme} needs "${option}" to be a string, got ${describe(value)}`, { path: [scheme] });
}

/**
 * Validates a scope declaration (`{ name: description }`) and returns a frozen copy. Names must be
 * RFC 6749 scope-tokens (`DEPENDS_INVALID_SCOPE`): a name with a space could never be requested,
 * because clients send scopes space-separated.
 *
 * @example
 * ```ts
 * declaredScopes({ me: "Read information about the current user." }, "OAuth2PasswordBearer");
 * declaredScopes({ "read items": "..." }, "OAuth2PasswordBearer"); // throws DEPENDS_INVALID_SCOPE
 * ```
 */
export function declaredScopes(scopes: unknown, scheme: string): Readonly<Record<string, string>> {
  if (scopes === undefined) return Object.freeze({});
  if (scopes === null || typeof scopes !== "object" || Array.isArray(scopes)) {
    throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${scheme} needs "scopes" to be an object of { scope: description }, got ${describe(scopes)}`, { path: [scheme] });
  }
  const entries = Object.entries(scopes);
  assertScopeTokens(
    entries.map(([name]) => name),
    { path: [scheme] },
  );
  for (const [name, description] of entries) {
    if (typeof description !== "string") {
      throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${scheme} scope "${name}" needs a string description, got ${describe(description)}`, { path: [scheme] });
    }
  }
  return Object.freeze(Object.fromEntries(entries) as Record<string, string>);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
