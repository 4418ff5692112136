import type { Dependency, SecuritySchemeInfo } from "../dependency.js";
import { AppScope } from "../lifetime/app-scope.js";
import type { SecurityScopes } from "../security-scopes.js";
import type { DeclaredShape } from "./declaration-key.js";
import type { InputsReader, StandardInputsReader } from "./inputs.js";
import type { RequestSchemas } from "./request-schema.js";
import type { SecurityRequirement } from "./security.js";
import type { Step } from "./steps.js";

/**
 * Everything the routes of one application share when they compile: identities of dependencies,
 * interned steps and plans, `SecurityScopes` constants, declaration shapes already walked, and the
 * request validators already built. The engine keeps no table of its own in the module: an
 * application owns its cache (the fastify plugin makes one per application), so two applications
 * in one process never see each other's declarations, and dropping the application drops its cache.
 *
 * Weak tables are keyed by what the application's code owns (dependencies, calls, steps, schemas),
 * so a dependency that is garbage collected takes its entries with it; the strong tables are keyed
 * by declarations (scope lists, requirement JSON, declaration shapes), bounded by the code.
 *
 * @example
 * ```ts
 * import { analyzeRoute, CompileCache } from "@depends/core/adapter";
 * const cache = new CompileCache();
 * for (const definition of definitions) analyzeRoute(definition, { cache });
 * ```
 */
export class CompileCache {
  /** @internal Small integers naming objects in keys (dependencies, sources, schemes). */
  readonly ids = new WeakMap<object, number>();
  /** @internal */
  nextId = 1;
  /** @internal Whether a dependency, as declared, reads scopes somewhere below it. */
  readonly declaredUsesScopes = new WeakMap<Dependency, boolean>();
  /** @internal Distinct steps, per call then per key. */
  readonly stepsByCall = new WeakMap<Step["call"], Map<string, Step>>();
  /** @internal Distinct lists of steps, per last step then per ids. */
  readonly stepListsByLast = new WeakMap<Step, Map<string, readonly Step[]>>();
  /** @internal */
  readonly stepIds = new WeakMap<Step, number>();
  /** @internal `SecurityScopes` constants, one per distinct list. */
  readonly securityScopes = new Map<string, SecurityScopes>();
  /** @internal */
  readonly schemeListsByFirst = new WeakMap<SecuritySchemeInfo, Map<string, readonly SecuritySchemeInfo[]>>();
  /** @internal */
  readonly requirementLists = new Map<string, readonly SecurityRequirement[]>();
  /** @internal Declarations already analysed, by shape (see declaration-key.ts). */
  readonly shapes = new Map<string, DeclaredShape>();
  /** @internal Request readers (validators compiled on first use), one per request-schemas object. */
  readonly readers = new WeakMap<RequestSchemas, InputsReader | StandardInputsReader | undefined>();
  /**
   * @internal Whether this runtime lets the engine generate code (`undefined`: not tried yet).
   * `false` after the first `EvalError` (e.g. `--disallow-code-generation-from-strings`): plans run
   * in the interpreter.
   */
  codegen: boolean | undefined = undefined;
  /** The application's app-scoped values (`Depends(dep, { scope: "app" })`). */
  readonly appScope: AppScope = new AppScope(this);

  /** @internal The small integer that names `value` in this cache's keys. */
  idOf(value: object): number {
    let id = this.ids.get(value);
    if (id === undefined) this.ids.set(value, (id = this.nextId++));
    return id;
  }
}
