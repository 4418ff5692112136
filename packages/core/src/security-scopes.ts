/**
 * The scopes required of a dependency by all its ancestors and itself, in FastAPI's order
 * (ancestors first, outermost first, then its own; no duplicates). Use the class itself as a source
 * to receive the node's value.
 *
 * @example
 * ```ts
 * const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, ({ securityScopes, token }) => {
 *   const challenge = securityScopes.scopes.length ? `Bearer scope="${securityScopes.scopeStr}"` : "Bearer";
 *   // ...
 * });
 * ```
 */
export class SecurityScopes {
  /** The scopes, in accumulation order. */
  readonly scopes: readonly string[];
  /** The scopes joined by single spaces (`""` when there are none), ready for `WWW-Authenticate`. */
  readonly scopeStr: string;

  constructor(scopes: readonly string[] = []) {
    this.scopes = Object.freeze([...scopes]);
    this.scopeStr = this.scopes.join(" ");
    Object.freeze(this);
  }
}
