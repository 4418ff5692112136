import type { SecuritySchemeInfo } from "../dependency.js";
import { DeclarationError } from "../errors.js";
import type { TreeNode } from "./tree.js";

/** An OpenAPI Security Requirement Object: every scheme named must be satisfied (AND). */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** One scheme reached by a route, with the scopes required of it and the node paths that reach it. */
export interface SchemeUse {
  readonly scheme: SecuritySchemeInfo;
  readonly scopes: readonly string[];
  /** For each scope, the dependency path whose `Security` use contributed it first. */
  readonly scopeSources: Readonly<Record<string, readonly string[]>>;
  readonly paths: readonly (readonly string[])[];
}

function sameScheme(a: SecuritySchemeInfo, b: SecuritySchemeInfo): boolean {
  return a === b || JSON.stringify(a.object) === JSON.stringify(b.object);
}

/** Where in the path each scope was first declared: the outermost node that owns it. */
function scopeOrigins(chain: readonly TreeNode[]): Map<string, readonly string[]> {
  const origins = new Map<string, readonly string[]>();
  for (const node of chain) for (const scope of node.ownScopes) if (!origins.has(scope)) origins.set(scope, node.path);
  return origins;
}

/**
 * Collects the security schemes a route's tree reaches, pre-order in declaration order, with their
 * scopes merged per scheme in first-seen order (FastAPI 0.123.9+). Two different schemes sharing a
 * name are a declaration error.
 */
export function collectSchemes(route: string, roots: readonly TreeNode[]): SchemeUse[] {
  const byName = new Map<string, { scheme: SecuritySchemeInfo; scopes: string[]; sources: Record<string, readonly string[]>; paths: (readonly string[])[] }>();
  const visit = (node: TreeNode, chain: readonly TreeNode[]): void => {
    const here = [...chain, node];
    const scheme = node.definition.scheme;
    if (scheme) {
      let entry = byName.get(scheme.name);
      if (!entry) byName.set(scheme.name, (entry = { scheme, scopes: [], sources: {}, paths: [] }));
      else if (!sameScheme(entry.scheme, scheme)) {
        throw new DeclarationError(
          "DEPENDS_SCHEME_NAME_CONFLICT",
          `Two different security schemes are both named "${scheme.name}": give one a distinct schemeName`,
          { route, path: node.path },
        );
      }
      const origins = scopeOrigins(here);
      for (const scope of node.scopes) {
        if (!entry.scopes.includes(scope)) {
          entry.scopes.push(scope);
          entry.sources[scope] = origins.get(scope) ?? node.path;
        }
      }
      entry.paths.push(node.path);
    }
    const children = node.cachedFrom ? node.cachedFrom.children : node.children;
    for (const child of children) visit(child, here);
  };
  for (const root of roots) visit(root, []);
  return [...byName.values()].map((e) => ({ scheme: e.scheme, scopes: e.scopes, scopeSources: e.sources, paths: e.paths }));
}

/** The OpenAPI `security` of an operation whose schemes must all hold: one requirement object, or none. */
export function requirementsOf(uses: readonly SchemeUse[]): SecurityRequirement[] {
  if (uses.length === 0) return [];
  const requirement: Record<string, readonly string[]> = {};
  for (const use of uses) requirement[use.scheme.name] = use.scopes;
  return [requirement];
}

/**
 * When a route reaches security schemes that declare their scopes (OAuth2 flows, an OpenID Connect
 * scheme given a list), every scope it requires must be declared by one of them: a typo would
 * otherwise be enforced (no token can ever carry it) and documented. A scheme without a list (API
 * keys and HTTP schemes, whose OpenAPI 3.1 "roles" are free-form; OpenID Connect discovered at run
 * time) leaves the route's scopes open, and so does a route that reaches no scheme (FastAPI's plain
 * scope labels). The same rule holds for the types: such schemes accept any `string`.
 */
export function assertDeclaredScopes(route: string, roots: readonly TreeNode[], uses: readonly SchemeUse[]): void {
  if (uses.length === 0 || uses.some((use) => use.scheme.scopes === undefined)) return;
  const declared = new Set<string>();
  for (const use of uses) for (const scope of Object.keys(use.scheme.scopes ?? {})) declared.add(scope);
  const visit = (node: TreeNode): void => {
    for (const scope of node.ownScopes) {
      if (declared.has(scope)) continue;
      const offer = uses.map((u) => `${u.scheme.name} declares ${Object.keys(u.scheme.scopes ?? {}).join(", ") || "no scopes"}`).join("; ");
      throw new DeclarationError("DEPENDS_UNDECLARED_SCOPE", `Scope "${scope}" is not declared by any security scheme this route uses (${offer})`, { route, path: node.path });
    }
    for (const child of node.children) visit(child);
  };
  for (const root of roots) visit(root);
}
