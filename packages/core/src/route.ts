import { type AnalyzeOptions, RouteAnalysis, routeSteps, walk } from "./compile/analyze.js";
import type { Entry } from "./compile/codegen.js";
import { type Plan, RoutePlan } from "./compile/plan.js";
import type { RequestSchemas } from "./compile/request-schema.js";
import type { SchemeUse, SecurityRequirement } from "./compile/security.js";
import type { TreeNode } from "./compile/tree.js";
import type { SecuritySchemeInfo } from "./dependency.js";
import { DependencyOverrides } from "./overrides.js";
import type { HttpRequest } from "./request.js";
import type { RouteDefinition } from "./route-definition.js";
import { afterResponse } from "./run/after-response.js";
import { RequestScope } from "./run/teardown.js";
import type { SourceMap } from "./sources.js";

/**
 * Options of {@link planRoute}.
 *
 * @example
 * ```ts
 * planRoute(analysis, { overrides: app.dependencyOverrides });
 * ```
 */
export interface PlanOptions {
  /** Overrides to apply; the route re-plans on its next request after they change. */
  readonly overrides?: DependencyOverrides | undefined;
  /**
   * Generate each plan as straight-line code (default `true`). `false` runs the interpreter, as
   * happens anyway where the runtime forbids code generation; both give the same results.
   */
  readonly codegen?: boolean | undefined;
}

/**
 * Options of {@link compileRoute}: those of both phases.
 *
 * @example
 * ```ts
 * compileRoute(definition, { overrides, cache, strictScopes: true });
 * ```
 */
export interface CompileOptions extends AnalyzeOptions, PlanOptions {}

const noop = (): void => {};

function sameSchemas(a: RequestSchemas, b: RequestSchemas): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The plan of `analysis` under `overrides` as they are now: a pure function of the declaration,
 * the overrides and the application's cache. Without active overrides it is the declared tree's;
 * with them, the tree is walked again as overridden, so that the replacements' own parameters
 * are validated (and the originals' no longer required), as FastAPI does.
 */
export function planFor(analysis: RouteAnalysis, overrides: DependencyOverrides, codegen: boolean): RoutePlan {
  const { definition, route, cache } = analysis;
  const version = overrides.version;
  if (overrides.size === 0) {
    return new RoutePlan({ steps: routeSteps(definition, route, analysis.shape, cache), requestSchemas: analysis.requestSchemas, route, version, cache, codegen });
  }
  const walked = walk(definition, route, overrides, cache);
  // The declared schemas object when nothing changed: its validators are compiled already.
  const requestSchemas = sameSchemas(walked.requestSchemas, analysis.requestSchemas) ? analysis.requestSchemas : walked.requestSchemas;
  return new RoutePlan({ steps: routeSteps(definition, route, walked, cache), requestSchemas, route, version, cache, codegen });
}

/**
 * A route compiled once: its analysis (what it declares) and the plan in force (what a request
 * runs). Run it per request with {@link CompiledRoute.run} (adapters) or
 * {@link CompiledRoute.execute} (tests).
 *
 * @example
 * ```ts
 * const route = compileRoute({ method: "GET", path: "/status/", sources: { user: Depends(getCurrentUser) }, handler: () => ({ status: "ok" }) });
 * route.security; // [{ OAuth2PasswordBearer: [] }]
 * await route.execute(createRequest({ headers: { authorization: `Bearer ${token}` } }));
 * ```
 */
export class CompiledRoute<R = unknown> {
  /** What the route declares, as analysed at registration. */
  readonly analysis: RouteAnalysis;
  readonly #overrides: DependencyOverrides;
  readonly #clock: { readonly version: number };
  readonly #codegen: boolean;
  #plan: RoutePlan;
  /** The version of the plan in force (a copy of `#plan.version`, for the per-request compare). */
  #version: number;
  /** The plan's entry, made on the first request it serves. */
  #entry: Entry | undefined = undefined;

  constructor(analysis: RouteAnalysis, options: PlanOptions = {}) {
    this.analysis = analysis;
    // A registry of its own when none is given: never changed, so the version compare always holds.
    this.#overrides = options.overrides ?? new DependencyOverrides();
    this.#clock = this.#overrides.clock;
    this.#codegen = options.codegen !== false;
    this.#plan = planFor(analysis, this.#overrides, this.#codegen);
    this.#version = this.#plan.version;
  }

  /** `METHOD /path`. */
  get route(): string {
    return this.analysis.route;
  }

  get method(): string {
    return this.analysis.method;
  }

  get path(): string {
    return this.analysis.path;
  }

  /** The request schemas of the declared tree, for adapters and OpenAPI. */
  get requestSchemas(): RequestSchemas {
    return this.analysis.requestSchemas;
  }

  /** Every security scheme the route reaches, each once, in first-reached order (`[]`: unsecured). */
  get securitySchemes(): readonly SecuritySchemeInfo[] {
    return this.analysis.securitySchemes;
  }

  /** The OpenAPI `security` of the operation. */
  get security(): readonly SecurityRequirement[] {
    return this.analysis.security;
  }

  /** The tree as declared (overrides ignored, as in FastAPI's OpenAPI). */
  get nodes(): readonly TreeNode[] {
    return this.analysis.nodes;
  }

  /** The security schemes reached, with scopes merged per scheme and where each scope comes from. */
  get schemes(): readonly SchemeUse[] {
    return this.analysis.schemes;
  }

  /** The requirement alternatives (OR), each a list of schemes required together (AND). */
  get requirements(): readonly (readonly SchemeUse[])[] {
    return this.analysis.requirements;
  }

  /** The plan in force (re-planned first when the overrides changed since it was made). */
  get plan(): Plan {
    if (this.#version !== this.#clock.version) this.#replan();
    return this.#plan;
  }

  /** Whether a request needs a {@link RequestScope} for request-scoped teardowns, under the plan in force. */
  get scoped(): boolean {
    return this.plan.scoped;
  }

  /**
   * The source generated for the plan in force (its `sourceURL` names the route), or `undefined`
   * when the plan runs in the interpreter (generator dependencies, `anyOf`, `codegen: false`, or a
   * runtime that forbids code generation). For debugging.
   */
  source(): string | undefined {
    return (this.plan as RoutePlan).source();
  }

  /**
   * Runs the route for one request (adapter API). Returns the handler's value, or a promise once
   * a step is asynchronous; throws (or rejects) with the error to answer. Request-scoped
   * teardowns wait in `scope` until the adapter closes it after the response (without a scope,
   * they run before this call settles); on error they run before it settles.
   *
   * @example
   * ```ts
   * const value = await route.run(createRequest({ headers: { authorization: `Bearer ${token}` } }));
   * ```
   */
  run(request: HttpRequest, scope?: RequestScope): R | Promise<R> {
    const entry = this.#entry;
    if (entry !== undefined && this.#version === this.#clock.version) return entry(request, scope) as R | Promise<R>;
    if (this.#version !== this.#clock.version) this.#replan();
    return (this.#entry = this.#plan.entry())(request, scope) as R | Promise<R>;
  }

  /**
   * Runs the route, then, as an adapter does after the response, its background tasks and its
   * request-scoped teardowns, for tests: resolves to the handler's value, or rejects with the
   * error to answer, else the first background task's error, else a teardown's (as FastAPI's
   * `TestClient` raises what the server would log).
   */
  async execute(request: HttpRequest): Promise<R> {
    const scope = new RequestScope();
    const value = await this.run(request, scope);
    const { taskError, teardownError } = await afterResponse(request.backgroundTasks, scope, noop);
    if (taskError !== undefined) throw taskError;
    if (teardownError !== undefined) throw teardownError;
    return value;
  }

  #replan(): void {
    this.#plan = planFor(this.analysis, this.#overrides, this.#codegen);
    this.#version = this.#plan.version;
    this.#entry = undefined;
  }
}

/**
 * Plans an analysed route (phase two): what its requests run, under `overrides`.
 *
 * @example
 * ```ts
 * import { analyzeRoute, planRoute } from "@depends/core/adapter";
 * const route = planRoute(analyzeRoute(definition, { cache }), { overrides });
 * await route.run(request, scope);
 * ```
 */
export function planRoute<R = unknown>(analysis: RouteAnalysis, options?: PlanOptions): CompiledRoute<R> {
  return new CompiledRoute<R>(analysis, options);
}

/**
 * Compiles a route: walks its tree once (scopes, cache identities, cycles, lifetimes, parameters,
 * security) and returns a {@link CompiledRoute}. Declaration mistakes throw a `DeclarationError`.
 * Routes of one application share their work when given one `cache`.
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
export function compileRoute<const S extends SourceMap, R>(definition: RouteDefinition<S, R>, options: CompileOptions = {}): CompiledRoute<Awaited<R>> {
  return planRoute(new RouteAnalysis(definition as unknown as RouteDefinition<SourceMap, unknown>, options), options);
}
