import { DeclarationError } from "./errors.js";

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), i.e. printable ASCII without
// space, double quote or backslash.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Whether `scope` is a valid RFC 6749 scope-token.
 *
 * @example
 * ```ts
 * isScopeToken("items:read"); // true
 * isScopeToken("read items"); // false: a space separates two scopes
 * ```
 */
export function isScopeToken(scope: unknown): scope is string {
  return typeof scope === "string" && SCOPE_TOKEN.test(scope);
}

/**
 * Throws a `DEPENDS_INVALID_SCOPE` error for the first invalid scope of `scopes`.
 *
 * @example
 * ```ts
 * assertScopeTokens(["me", "items"]);   // fine
 * assertScopeTokens(["read items"]);    // throws DeclarationError DEPENDS_INVALID_SCOPE
 * ```
 */
export function assertScopeTokens(scopes: readonly unknown[], where: { route?: string; path?: readonly string[] } = {}): void {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      throw new DeclarationError(
        "DEPENDS_INVALID_SCOPE",
        `Scope ${JSON.stringify(scope)} is not an RFC 6749 scope-token (printable ASCII without spaces, '"' or '\\')`,
        where,
      );
    }
  }
}
