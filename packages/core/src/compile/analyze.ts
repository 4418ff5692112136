import { callKindOf, type SecuritySchemeInfo } from "../dependency.js";
import { DeclarationError } from "../errors.js";
import { sourceKind, type SourceMap } from "../sources.js";
import { CompileCache } from "./cache.js";
import { type DeclaredShape, declarationKey } from "./declaration-key.js";
import { internSteps, sharedRequirements, sharedSchemeList } from "./intern.js";
import { buildRequestSchemas, pathParamNames, type RequestSchemas } from "./request-schema.js";
import { assertDeclaredScopes, collectSecurity, requirementsOf, type SchemeUse, type SecurityRequirement } from "./security.js";
import type { Arg, Step } from "./steps.js";
import { type OverrideLookup, TreeCompiler, type TreeNode } from "./tree.js";
import type { RouteDefinition } from "../route-definition.js";

/** The walk of a declaration: its tree, the dependencies' steps and what the handler receives. */
export interface Walked {
  readonly roots: readonly TreeNode[];
  readonly steps: readonly Step[];
  readonly handlerArgs: readonly Arg[];
  readonly requestSchemas: RequestSchemas;
}

/** The name of the route's root in dependency paths. */
export function rootName(definition: RouteDefinition<SourceMap, unknown>, route: string): string {
  return definition.name ?? (definition.handler.name || route);
}

/** Walks a route's declaration, with `overrides` applied (`undefined`: as declared). */
export function walk(definition: RouteDefinition<SourceMap, unknown>, route: string, overrides: OverrideLookup | undefined, cache: CompileCache): Walked {
  const compiler = new TreeCompiler(route, overrides, cache);
  const rootPath = [rootName(definition, route)];
  const roots: TreeNode[] = [];
  for (const [index, use] of (definition.dependencies ?? []).entries()) {
    const kind = sourceKind(use);
    if (kind !== "depends" && kind !== "security") {
      throw new DeclarationError("DEPENDS_INVALID_ROUTE_DEPENDENCY", `Route dependency #${index} must be Depends(...) or Security(...)`, { route, path: rootPath });
    }
    roots.push(compiler.use(use, undefined, [], rootPath));
  }
  const handlerArgs = compiler.root(definition.sources, rootPath, roots);
  const requestSchemas = buildRequestSchemas(route, compiler.params, pathParamNames(definition.path));
  if (requestSchemas.wholeBody) for (const arg of compiler.bodyArgs) arg.name = undefined;
  // Final now (body argument names included): share them with every route made of the same steps.
  return { roots, steps: internSteps(cache, compiler.steps), handlerArgs: Object.freeze(handlerArgs.map((arg) => Object.freeze({ ...arg }))), requestSchemas };
}

/** The route's steps: its dependencies', then its handler. */
export function routeSteps(definition: RouteDefinition<SourceMap, unknown>, route: string, shape: Pick<Walked, "steps" | "handlerArgs">, cache: CompileCache): readonly Step[] {
  const handler: Step = { name: rootName(definition, route), call: definition.handler as Step["call"], callKind: callKindOf(definition.handler), args: shape.handlerArgs, teardown: "function" };
  return internSteps(cache, [...shape.steps, handler]);
}

function assertHandler(definition: RouteDefinition<SourceMap, unknown>, route: string): void {
  if (typeof definition.handler !== "function") throw new DeclarationError("DEPENDS_INVALID_HANDLER", "A route needs a handler function", { route });
  const kind = callKindOf(definition.handler);
  if (kind === "generator" || kind === "asyncGenerator") {
    throw new DeclarationError("DEPENDS_INVALID_HANDLER", "A route handler cannot be a generator; put setup and teardown in a dependency", { route });
  }
}

/**
 * Options of {@link analyzeRoute}.
 *
 * @example
 * ```ts
 * analyzeRoute(definition, { cache: app.cache, strictScopes: true });
 * ```
 */
export interface AnalyzeOptions {
  /** The application's cache: routes of one application share their walks, steps and validators. */
  readonly cache?: CompileCache | undefined;
  /**
   * Require every scope of a route that reaches security schemes to be declared by one of them
   * (default `true`; `DEPENDS_UNDECLARED_SCOPE` otherwise).
   */
  readonly strictScopes?: boolean | undefined;
}

/**
 * What an adapter needs of a route at registration, as declared (overrides do not change it, as
 * FastAPI's OpenAPI ignores `dependency_overrides`): request schemas, the security schemes and
 * OpenAPI requirements, and the tree with each node's effective scopes. Made by
 * {@link analyzeRoute}; {@link planRoute} turns it into what requests run.
 *
 * @example
 * ```ts
 * const analysis = analyzeRoute({ method: "GET", path: "/users/me/", sources, handler }, { cache });
 * analysis.security;       // [{ OAuth2PasswordBearer: ["me"] }]
 * analysis.requestSchemas; // what to validate and document
 * ```
 */
export class RouteAnalysis {
  /** `METHOD /path`. */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly definition: RouteDefinition<SourceMap, unknown>;
  readonly cache: CompileCache;
  /** The request schemas merged from every source of the declared tree. */
  readonly requestSchemas: RequestSchemas;
  /** Every security scheme the route reaches, each once, in first-reached order (`[]`: unsecured). */
  readonly securitySchemes: readonly SecuritySchemeInfo[];
  /** The OpenAPI `security` of the operation: one requirement object per alternative, or `[]`. */
  readonly security: readonly SecurityRequirement[];
  /** The declared steps (without the handler) and the handler's arguments. */
  readonly shape: DeclaredShape;
  #nodes: readonly TreeNode[] | undefined;

  constructor(definition: RouteDefinition<SourceMap, unknown>, options: AnalyzeOptions = {}) {
    this.method = definition.method.toUpperCase();
    this.path = definition.path;
    this.route = `${this.method} ${this.path}`;
    this.definition = definition;
    this.cache = options.cache ?? new CompileCache();
    assertHandler(definition, this.route);
    this.shape = declaredShape(definition, this.route, options.strictScopes !== false, this.cache);
    this.requestSchemas = this.shape.requestSchemas;
    this.securitySchemes = this.shape.securitySchemes;
    this.security = this.shape.security;
  }

  /**
   * The declared tree: route dependencies, then the handler's sources. Not kept after analysis
   * (requests run the plan); reports and tests get it walked again, identical, on demand.
   */
  get nodes(): readonly TreeNode[] {
    this.#nodes ??= walk(this.definition, this.route, undefined, this.cache).roots;
    return this.#nodes;
  }

  /** The security schemes reached, with scopes merged per scheme and where each scope comes from. */
  get schemes(): readonly SchemeUse[] {
    return this.securitySchemes.length === 0 ? [] : collectSecurity(this.route, this.nodes).schemes;
  }

  /** The requirement alternatives (OR), each a list of schemes required together (AND), with scope origins. */
  get requirements(): readonly (readonly SchemeUse[])[] {
    return collectSecurity(this.route, this.nodes).alternatives;
  }
}

/**
 * The declaration walked without overrides and validated: from the application's shapes when a
 * route with the same shape was analysed before, else walked (and kept).
 */
function declaredShape(definition: RouteDefinition<SourceMap, unknown>, route: string, strict: boolean, cache: CompileCache): DeclaredShape {
  const key = declarationKey(cache, definition.dependencies, definition.sources, pathParamNames(definition.path), strict);
  const known = key === undefined ? undefined : cache.shapes.get(key);
  if (known) return known;
  const walked = walk(definition, route, undefined, cache);
  const security = collectSecurity(route, walked.roots);
  if (strict) assertDeclaredScopes(route, walked.roots, security.schemes);
  const shape: DeclaredShape = {
    steps: walked.steps,
    handlerArgs: walked.handlerArgs,
    requestSchemas: walked.requestSchemas,
    securitySchemes: sharedSchemeList(cache, security.schemes.map((use) => use.scheme)),
    security: sharedRequirements(cache, requirementsOf(security)),
  };
  if (key !== undefined) cache.shapes.set(key, shape);
  return shape;
}

/**
 * Analyses a route (phase one of compiling it): walks its tree once (scopes, cache identities,
 * cycles, lifetimes, parameters, security). Declaration mistakes throw a `DeclarationError` naming
 * the route and the dependency path.
 *
 * @example
 * ```ts
 * import { analyzeRoute, CompileCache, planRoute } from "@depends/core/adapter";
 * const cache = new CompileCache();
 * const analysis = analyzeRoute(definition, { cache });
 * const route = planRoute(analysis, { overrides });
 * ```
 */
export function analyzeRoute(definition: RouteDefinition<SourceMap, unknown>, options?: AnalyzeOptions): RouteAnalysis {
  return new RouteAnalysis(definition, options);
}
