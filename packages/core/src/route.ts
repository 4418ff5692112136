import { buildRequestSchemas, pathParamNames, type RequestSchemas } from "./compile/request-schema.js";
import { assertDeclaredScopes, collectSecurity, requirementsOf, type SchemeUse, type SecurityRequirement } from "./compile/security.js";
import { internSteps, locationSet, sharedRequirements, sharedSchemeList } from "./compile/intern.js";
import { inputsReader, type Plan, type PlanOwner, RoutePlan } from "./compile/plan.js";
import type { Arg, Step } from "./compile/steps.js";
import { type DeclaredShape, declarationKey, declaredShapes } from "./compile/declaration-key.js";
import { TreeCompiler, type TreeNode } from "./compile/tree.js";
import { callKindOf, type SecuritySchemeInfo } from "./dependency.js";
import { DeclarationError, type ParamLocation } from "./errors.js";
import type { DependencyOverrides } from "./overrides.js";
import type { HttpRequest } from "./request.js";
import { runPlan } from "./run/execute.js";
import { RequestScope } from "./run/teardown.js";
import { type DependsSource, type SecuritySource, type SourceMap, type ValuesOf, sourceKind } from "./sources.js";

/**
 * A dependency used at app, router or route level: it runs before the handler's own sources; its value is discarded.
 *
 * @example
 * ```ts
 * const dependencies: RouteDependency[] = [Depends(verifyKey), Security(getCurrentUser, { scopes: ["admin"] })];
 * ```
 */
export type RouteDependency = DependsSource<unknown> | SecuritySource<unknown>;

/**
 * Everything a route declares. `dependencies` come in FastAPI's order: app, then router(s), then
 * the route's own.
 *
 * @example
 * ```ts
 * const def: RouteDefinition<{ user: SecuritySource<User> }, Item[]> = {
 *   method: "GET", path: "/users/me/items/",
 *   sources: { user: Security(getCurrentActiveUser, { scopes: ["items"] }) },
 *   handler: ({ user }) => [{ item_id: "Foo", owner: user.username }],
 * };
 * ```
 */
export interface RouteDefinition<S extends SourceMap, R> {
  readonly method: string;
  readonly path: string;
  readonly sources: S;
  readonly handler: (values: ValuesOf<S>) => R;
  readonly dependencies?: readonly RouteDependency[];
  /** Name of the handler in dependency paths (default: the handler function's name, else `METHOD path`). */
  readonly name?: string;
}

/**
 * Options of {@link compileRoute}.
 *
 * @example
 * ```ts
 * compileRoute(definition, { overrides, nativeValidation: ["path", "query"], strictScopes: true });
 * ```
 */
export interface CompileOptions {
  /** Overrides to apply; the route re-plans when they change. */
  readonly overrides?: DependencyOverrides | undefined;
  /** Request locations the adapter validates and coerces itself; the core validates the others. */
  readonly nativeValidation?: readonly ParamLocation[];
  /**
   * Require every scope of a route that reaches security schemes to be declared by one of them
   * (default `true`; `DEPENDS_UNDECLARED_SCOPE` otherwise).
   */
  readonly strictScopes?: boolean;
}

type Entry<R> = (request: HttpRequest, scope?: RequestScope) => R | Promise<R>;

/** The plan's owner and the overrides it was compiled against, for its stale guard. */
interface Versioned {
  readonly owner: PlanOwner;
  readonly overrides: DependencyOverrides;
}

/** The walk of a declaration: its tree, the dependencies' steps and what the handler receives. */
interface Walked {
  readonly roots: readonly TreeNode[];
  readonly steps: readonly Step[];
  readonly handlerArgs: readonly Arg[];
  readonly requestSchemas: RequestSchemas;
}

function assertHandler(definition: RouteDefinition<SourceMap, unknown>, route: string): void {
  if (typeof definition.handler !== "function") throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "A route needs a handler function", { route });
  const kind = callKindOf(definition.handler);
  if (kind === "generator" || kind === "asyncGenerator") {
    throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "A route handler cannot be a generator; put setup and teardown in a dependency", { route });
  }
}

function walk(definition: RouteDefinition<SourceMap, unknown>, route: string, overrides: DependencyOverrides | undefined): Walked {
  const compiler = new TreeCompiler(route, overrides);
  const rootPath = [rootName(definition, route)];
  const roots: TreeNode[] = [];
  for (const [index, use] of (definition.dependencies ?? []).entries()) {
    const kind = sourceKind(use);
    if (kind !== "depends" && kind !== "security") {
      throw new DeclarationError("DEPENDS_INVALID_SOURCE", `Route dependency #${index} must be Depends(...) or Security(...)`, { route, path: rootPath });
    }
    roots.push(compiler.use(use, undefined, [], rootPath));
  }
  const handlerArgs = compiler.root(definition.sources, rootPath, roots);
  const requestSchemas = buildRequestSchemas(route, compiler.params, pathParamNames(definition.path));
  if (requestSchemas.wholeBody) for (const arg of compiler.bodyArgs) arg.name = undefined;
  // Final now (body argument names included): share them with every route made of the same steps.
  return { roots, steps: internSteps(compiler.steps), handlerArgs: Object.freeze(handlerArgs.map((arg) => Object.freeze({ ...arg }))), requestSchemas };
}

function rootName(definition: RouteDefinition<SourceMap, unknown>, route: string): string {
  return definition.name ?? (definition.handler.name || route);
}

/** The route's plan: its dependencies' steps, then its handler. */
function planOf(
  definition: RouteDefinition<SourceMap, unknown>,
  route: string,
  shape: { readonly steps: readonly Step[]; readonly handlerArgs: readonly Arg[] },
  reader: Pick<Plan, "inputs" | "validates">,
  versioned: Versioned | undefined,
): RoutePlan {
  const handler: Step = { name: rootName(definition, route), call: definition.handler as Step["call"], callKind: callKindOf(definition.handler), args: shape.handlerArgs, teardown: "function" };
  const steps = internSteps([...shape.steps, handler]);
  return new RoutePlan(steps, reader, route, versioned?.owner, versioned?.overrides, versioned?.overrides.version);
}

/** The plan for these overrides (`undefined`: as declared), walked again. */
function replan(
  definition: RouteDefinition<SourceMap, unknown>,
  route: string,
  overrides: DependencyOverrides | undefined,
  native: ReadonlySet<ParamLocation>,
  versioned: Versioned | undefined,
): RoutePlan {
  const walked = walk(definition, route, overrides);
  return planOf(definition, route, walked, inputsReader(walked.requestSchemas, native), versioned);
}

/**
 * The declaration compiled without overrides (as documented), validated: from the application's
 * shapes when a route with the same shape was compiled before, else walked (and kept).
 */
function declaredShape(definition: RouteDefinition<SourceMap, unknown>, route: string, options: CompileOptions, native: ReadonlySet<ParamLocation>): DeclaredShape {
  const strict = options.strictScopes !== false;
  const shapes = options.overrides && declaredShapes(options.overrides);
  const key = shapes && declarationKey(definition.dependencies, definition.sources, pathParamNames(definition.path), native, strict);
  const known = key === undefined ? undefined : shapes?.get(key);
  if (known) return known;
  const walked = walk(definition, route, undefined);
  const security = collectSecurity(route, walked.roots);
  if (strict) assertDeclaredScopes(route, walked.roots, security.schemes);
  const shape: DeclaredShape = {
    steps: walked.steps,
    handlerArgs: walked.handlerArgs,
    requestSchemas: walked.requestSchemas,
    reader: inputsReader(walked.requestSchemas, native),
    securitySchemes: sharedSchemeList(security.schemes.map((use) => use.scheme)),
    security: sharedRequirements(requirementsOf(security)),
  };
  if (key !== undefined) shapes?.set(key, shape);
  return shape;
}

/**
 * A route compiled once: its flat plan, request schemas and security requirements. Run it per
 * request with {@link CompiledRoute.run} (adapters) or {@link CompiledRoute.execute} (tests).
 *
 * @example
 * ```ts
 * const route = compileRoute({ method: "GET", path: "/status/", sources: { user: Depends(getCurrentUser) }, handler: () => ({ status: "ok" }) });
 * route.security; // [{ OAuth2PasswordBearer: [] }]
 * await route.execute(createRequest({ headers: { authorization: `Bearer ${token}` } }));
 * ```
 */
export class CompiledRoute<R = unknown> {
  /** `METHOD /path`. */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  #nodes: readonly TreeNode[] | undefined;
  /** The request schemas merged from every source, for adapters and OpenAPI. */
  readonly requestSchemas: RequestSchemas;
  /** Every security scheme the route reaches, each once, in first-reached order (`[]`: the route is unsecured). */
  readonly securitySchemes: readonly SecuritySchemeInfo[];
  /** The OpenAPI `security` of the operation: one requirement object (all schemes together), or `[]`. */
  readonly security: readonly SecurityRequirement[];
  readonly #definition: RouteDefinition<SourceMap, unknown>;
  readonly #overrides: DependencyOverrides | undefined;
  readonly #native: ReadonlySet<ParamLocation>;
  #plan: Plan;
  /** The overrides version the current plan was compiled for. */
  #version = 0;

  constructor(definition: RouteDefinition<SourceMap, R>, options: CompileOptions = {}) {
    this.method = definition.method.toUpperCase();
    this.path = definition.path;
    this.route = `${this.method} ${this.path}`;
    this.#definition = definition;
    this.#overrides = options.overrides;
    this.#native = locationSet(options.nativeValidation ?? []);
    this.#version = this.#overrides?.version ?? 0;
    assertHandler(definition, this.route);
    // The declared tree is not kept: requests run the plan, and the few readers of `nodes`,
    // `schemes` and `requirements` (reports, tests) get it compiled again, identical, on demand.
    const declared = declaredShape(definition, this.route, options, this.#native);
    this.requestSchemas = declared.requestSchemas;
    this.securitySchemes = declared.securitySchemes;
    this.security = declared.security;
    this.#plan = planOf(definition, this.route, declared, declared.reader, this.#versioned());
    if (this.#overrides && this.#overrides.size > 0) this.#refresh();
  }

  /** The tree as declared (overrides ignored, as in FastAPI's OpenAPI): route dependencies, then the handler's sources. */
  get nodes(): readonly TreeNode[] {
    this.#nodes ??= walk(this.#definition, this.route, undefined).roots;
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

  /** The plan in force, re-planned first when the overrides changed since the last request. */
  get plan(): Plan {
    if (this.#isStale()) this.#refresh();
    return this.#plan;
  }

  /**
   * Runs the route for one request (adapter API). The first call installs the route's own entry
   * as an own property: the plan's generated function when the plan has no generator dependencies
   * (a caller then pays one call, as for a hand-written handler), else the interpreter. Returns the
   * handler's value, or a promise once a step is asynchronous; throws (or rejects) with the error
   * to answer. Request-scoped teardowns wait in `scope` until the adapter closes it after the
   * response (without a scope, they run before this call settles); on error they run before it
   * settles.
   *
   * @example
   * ```ts
   * const value = await route.run(createRequest({ headers: { authorization: `Bearer ${token}` } }));
   * ```
   */
  run(request: HttpRequest, scope?: RequestScope): R | Promise<R> {
    const plan = this.plan;
    const entry = (plan.runner as Entry<R> | undefined) ?? this.#interpreted(plan);
    this.run = entry;
    return entry(request, scope);
  }

  #isStale(): boolean {
    return this.#overrides !== undefined && this.#overrides.version !== this.#version;
  }

  #versioned(): Versioned | undefined {
    return this.#overrides === undefined ? undefined : { owner: this, overrides: this.#overrides };
  }

  #refresh(): void {
    const overrides = this.#overrides as DependencyOverrides;
    this.#version = overrides.version;
    this.#plan = replan(this.#definition, this.route, overrides.size > 0 ? overrides : undefined, this.#native, this.#versioned());
    // The next request installs the new plan's entry.
    this.run = CompiledRoute.prototype.run as Entry<R>;
  }

  #interpreted(plan: Plan): Entry<R> {
    return (request, scope) => (this.#isStale() ? (this.#refresh(), this.run(request, scope)) : (runPlan(plan, request, scope) as R | Promise<R>));
  }

  /** Runs the route and every teardown, for tests: resolves to the handler's value or rejects with the error to answer. */
  async execute(request: HttpRequest): Promise<R> {
    const scope = new RequestScope();
    const value = await this.run(request, scope);
    const teardownError = await scope.close();
    if (teardownError !== undefined) throw teardownError;
    return value;
  }
}

/**
 * Compiles a route: walks its tree once (scopes, cache identities, cycles, lifetimes, parameters,
 * security) and returns a {@link CompiledRoute}. Declaration mistakes throw a `DeclarationError`.
 *
 * @example
 * ```ts
 * const route = compileRoute({
 *   method: "GET", path: "/users/me/items/",
 *   sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) },
 *   handler: ({ currentUser }) => [{ item_id: "Foo", owner: currentUser.username }],
 * });
 * ```
 */
export function compileRoute<const S extends SourceMap, R>(definition: RouteDefinition<S, R>, options?: CompileOptions): CompiledRoute<Awaited<R>> {
  return new CompiledRoute(definition as unknown as RouteDefinition<SourceMap, Awaited<R>>, options);
}
