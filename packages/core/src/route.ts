import { buildRequestSchemas, pathParamNames, type RequestSchemas } from "./compile/request-schema.js";
import { assertDeclaredScopes, collectSecurity, requirementsOf, type SchemeUse, type SecurityRequirement } from "./compile/security.js";
import { inputsReader, type Plan } from "./compile/plan.js";
import { TreeCompiler, type TreeNode } from "./compile/tree.js";
import { callKindOf } from "./dependency.js";
import { DeclarationError, type ParamLocation } from "./errors.js";
import type { DependencyOverrides } from "./overrides.js";
import type { HttpRequest } from "./request.js";
import { type GeneratedRunner, generateRunner, type StaleGuard } from "./compile/codegen.js";
import { resumeIn, runPlan } from "./run/execute.js";
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

interface Compiled {
  readonly plan: Plan;
  readonly roots: readonly TreeNode[];
  readonly requestSchemas: RequestSchemas;
}

function compile(
  definition: RouteDefinition<SourceMap, unknown>,
  route: string,
  overrides: DependencyOverrides | undefined,
  native: ReadonlySet<ParamLocation>,
  guard: StaleGuard | undefined,
): Compiled {
  if (typeof definition.handler !== "function") throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "A route needs a handler function", { route });
  const compiler = new TreeCompiler(route, overrides);
  const rootPath = [definition.name ?? (definition.handler.name || route)];
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
  const steps = [
    ...compiler.steps,
    { path: rootPath, call: definition.handler as (values: Record<string, unknown>) => unknown, callKind: callKindOf(definition.handler), args: handlerArgs, teardown: "function" as const },
  ];
  if (steps[steps.length - 1]?.callKind === "generator" || steps[steps.length - 1]?.callKind === "asyncGenerator") {
    throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "A route handler cannot be a generator; put setup and teardown in a dependency", { route });
  }
  const reader = inputsReader(requestSchemas, native);
  // The runner is generated when it is first asked for (a route's first request): V8 compiles each
  // generated function, and a thousand routes that are registered but not yet called should not
  // pay for that at startup.
  let runner: GeneratedRunner | undefined | null = null;
  const plan: Plan = {
    steps,
    ...reader,
    get runner(): GeneratedRunner | undefined {
      if (runner === null) runner = generateRunner(steps, reader.validates ? reader.inputs : undefined, resumeIn(() => plan), route, guard);
      return runner;
    },
  };
  return { plan, roots, requestSchemas };
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
  /** The security schemes reached, with scopes merged per scheme. */
  readonly schemes: readonly SchemeUse[];
  /** The requirement alternatives (OR), each a list of schemes required together (AND), with scope origins. */
  readonly requirements: readonly (readonly SchemeUse[])[];
  /** The OpenAPI `security` of the operation: one requirement object (all schemes together), or `[]`. */
  readonly security: readonly SecurityRequirement[];
  /**
   * Runs the route for one request (adapter API); a function of its own per route, generated when
   * the plan has no generator dependencies, so that a caller pays one call, as for a hand-written
   * handler. Returns the handler's value, or a promise once a step is asynchronous; throws (or
   * rejects) with the error to answer. Request-scoped teardowns wait in `scope` until the adapter
   * closes it after the response (without a scope, they run before this call settles); on error
   * they run before it settles.
   */
  run: (request: HttpRequest, scope?: RequestScope) => R | Promise<R>;
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
    this.#native = new Set(options.nativeValidation ?? []);
    const declared = compile(definition, this.route, undefined, this.#native, this.#guard());
    // The declared tree is not kept: requests run the plan, and the few readers of `nodes`
    // (reports, tests) get it compiled again, identical, on demand.
    this.requestSchemas = declared.requestSchemas;
    const security = collectSecurity(this.route, declared.roots);
    this.schemes = security.schemes;
    this.requirements = security.alternatives;
    if (options.strictScopes !== false) assertDeclaredScopes(this.route, declared.roots, this.schemes);
    this.security = requirementsOf(security);
    this.#plan = declared.plan;
    this.run = this.#entry(declared.plan);
    if (this.#overrides && this.#overrides.size > 0) this.#refresh();
  }

  /** The tree as declared (overrides ignored, as in FastAPI's OpenAPI): route dependencies, then the handler's sources. */
  get nodes(): readonly TreeNode[] {
    this.#nodes ??= compile(this.#definition, this.route, undefined, this.#native, undefined).roots;
    return this.#nodes;
  }

  /** The plan in force, re-planned first when the overrides changed since the last request. */
  get plan(): Plan {
    if (this.#overrides !== undefined && this.#isStale()) this.#refresh();
    return this.#plan;
  }

  #isStale(): boolean {
    return this.#overrides !== undefined && this.#overrides.version !== this.#version;
  }

  #guard(): StaleGuard | undefined {
    const overrides = this.#overrides;
    if (overrides === undefined) return undefined;
    this.#version = overrides.version;
    return { overrides, version: this.#version, stale: (request, scope) => (this.#refresh(), this.run(request, scope)) };
  }

  #refresh(): void {
    const guard = this.#guard();
    const overrides = this.#overrides;
    const plan = compile(this.#definition, this.route, overrides && overrides.size > 0 ? overrides : undefined, this.#native, guard).plan;
    this.#plan = plan;
    this.run = this.#entry(plan);
  }

  #entry(plan: Plan): (request: HttpRequest, scope?: RequestScope) => R | Promise<R> {
    type Entry = (request: HttpRequest, scope?: RequestScope) => R | Promise<R>;
    const interpreted: Entry = (request, scope) => (this.#isStale() ? (this.#refresh(), this.run(request, scope)) : (runPlan(plan, request, scope) as R | Promise<R>));
    // The first request generates the runner (when the plan can have one) and installs it as the
    // entry, so that later requests make one call, as to a hand-written handler.
    const first: Entry = (request, scope) => {
      if (this.run === first) this.run = (plan.runner as Entry | undefined) ?? interpreted;
      return this.run(request, scope);
    };
    return first;
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
