import type { SecuritySchemeInfo } from "../dependency.js";
import { DeclarationError } from "../errors.js";
import type { TreeNode } from "./tree.js";

/**
 * An OpenAPI Security Requirement Object: every scheme named must be satisfied (AND).
 *
 * @example
 * ```ts
 * const security: readonly SecurityRequirement[] = route.security; // [{ OAuth2PasswordBearer: ["items", "me"] }]
 * ```
 */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/**
 * One scheme reached by a route, with the scopes required of it and the node paths that reach it.
 *
 * @example
 * ```ts
 * for (const use of route.schemes) console.log(use.scheme.name, use.scopes, use.scopeSources);
 * ```
 */
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

interface Entry {
  scheme: SecuritySchemeInfo;
  scopes: string[];
  sources: Record<string, readonly string[]>;
  paths: (readonly string[])[];
}

/** Schemes that must all hold, merged per scheme name. */
type Conjunction = Map<string, Entry>;

function mergeInto(target: Conjunction, entry: Entry): void {
  const existing = target.get(entry.scheme.name);
  if (!existing) {
    target.set(entry.scheme.name, { scheme: entry.scheme, scopes: [...entry.scopes], sources: { ...entry.sources }, paths: [...entry.paths] });
    return;
  }
  for (const scope of entry.scopes) {
    if (existing.scopes.includes(scope)) continue;
    existing.scopes.push(scope);
    existing.sources[scope] = entry.sources[scope] ?? [];
  }
  existing.paths.push(...entry.paths);
}

/**
 * Every combination of one conjunction from `a` and one from `b` (AND distributes over OR). `a` is
 * the caller's own result: with one conjunction on each side (no `anyOf` below), `b`'s is merged
 * into it in place.
 */
function product(a: Conjunction[], b: readonly Conjunction[]): Conjunction[] {
  const only = a.length === 1 && b.length === 1 ? a[0] : undefined;
  if (only !== undefined) {
    for (const entry of (b[0] as Conjunction).values()) mergeInto(only, entry);
    return a;
  }
  const out: Conjunction[] = [];
  for (const left of a) {
    for (const right of b) {
      const merged: Conjunction = new Map();
      for (const entry of left.values()) mergeInto(merged, entry);
      for (const entry of right.values()) mergeInto(merged, entry);
      out.push(merged);
    }
  }
  return out;
}

/**
 * A node's requirements in disjunctive normal form: alternatives (`anyOf`) add conjunctions,
 * everything else is required together. Pre-order, declaration order, so scopes merge per scheme in
 * first-seen order (FastAPI 0.123.9+).
 */
function requirementsOfNode(node: TreeNode, chain: TreeNode[]): Conjunction[] {
  // `chain` holds the ancestors, outermost first; this node is on it while its children are visited.
  chain.push(node);
  let result: Conjunction[] = [new Map()];
  const scheme = node.definition.scheme;
  if (scheme) {
    const origins = scopeOrigins(chain);
    const sources: Record<string, readonly string[]> = {};
    for (const scope of node.scopes) sources[scope] = origins.get(scope) ?? node.path;
    result = [new Map([[scheme.name, { scheme, scopes: [...node.scopes], sources, paths: [node.path] }]])];
    // `autoError: false`: a request without credentials gets through too, as if by an alternative.
    if (scheme.optional === true) result.push(new Map());
  }
  const children = node.cachedFrom ? node.cachedFrom.children : node.children;
  if (node.definition.alternatives) result = product(result, children.flatMap((child) => requirementsOfNode(child, chain)));
  else for (const child of children) result = product(result, requirementsOfNode(child, chain));
  chain.pop();
  return result;
}

/** Every scheme a route reaches; two different schemes sharing a name are a declaration error. */
function assertDistinctNames(route: string, roots: readonly TreeNode[]): void {
  const byName = new Map<string, SecuritySchemeInfo>();
  const visit = (node: TreeNode): void => {
    const scheme = node.definition.scheme;
    if (scheme) {
      const known = byName.get(scheme.name);
      if (!known) byName.set(scheme.name, scheme);
      else if (!sameScheme(known, scheme)) {
        throw new DeclarationError("DEPENDS_SCHEME_NAME_CONFLICT", `Two different security schemes are both named "${scheme.name}": give one a distinct schemeName`, {
          route,
          path: node.path,
        });
      }
    }
    for (const child of node.cachedFrom ? node.cachedFrom.children : node.children) visit(child);
  };
  for (const root of roots) visit(root);
}

/**
 * A route's security: its requirement alternatives, and every scheme it reaches (merged).
 *
 * @example
 * ```ts
 * const { schemes, alternatives }: RouteSecurity = collectSecurity(route.route, route.nodes);
 * ```
 */
export interface RouteSecurity {
  readonly schemes: SchemeUse[];
  /** OR of AND: each entry's schemes must all hold; any one entry suffices. */
  readonly alternatives: SchemeUse[][];
}

/** Collects the security schemes and requirement alternatives of a route's tree. */
export function collectSecurity(route: string, roots: readonly TreeNode[]): RouteSecurity {
  assertDistinctNames(route, roots);
  let conjunctions: Conjunction[] = [new Map()];
  for (const root of roots) conjunctions = product(conjunctions, requirementsOfNode(root, []));
  const all: Conjunction = new Map();
  for (const conjunction of conjunctions) for (const entry of conjunction.values()) mergeInto(all, entry);
  const toUses = (c: Conjunction): SchemeUse[] => [...c.values()].map((e) => ({ scheme: e.scheme, scopes: e.scopes, scopeSources: e.sources, paths: e.paths }));
  return { schemes: toUses(all), alternatives: conjunctions.map(toUses) };
}

/**
 * The OpenAPI `security` of an operation: one requirement object per alternative, each naming every
 * scheme that alternative requires (AND). `[]` when the route reaches no scheme; an empty object
 * `{}` among others when one alternative requires nothing.
 */
export function requirementsOf(security: RouteSecurity): SecurityRequirement[] {
  if (security.schemes.length === 0) return [];
  const out: SecurityRequirement[] = [];
  const seen = new Set<string>();
  for (const alternative of security.alternatives) {
    const requirement: Record<string, readonly string[]> = {};
    for (const use of alternative) requirement[use.scheme.name] = use.scopes;
    const key = JSON.stringify(requirement);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(requirement);
  }
  return out;
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
