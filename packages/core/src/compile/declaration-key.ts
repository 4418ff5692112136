import type { ParamLocation } from "../errors.js";
import type { DependencyOverrides } from "../overrides.js";
import { type DependsSource, type SourceMap, sourceKind } from "../sources.js";
import type { RequestSchemas } from "./request-schema.js";
import type { SecurityRequirement } from "./security.js";
import type { Arg, Step } from "./steps.js";
import type { SecuritySchemeInfo } from "../dependency.js";
import type { Plan } from "./plan.js";

// Routes that declare the same uses (same dependencies with the same options, the same parameter
// sources, under the same keys) and the same path parameters compile to the same thing, whatever
// their handler: a whole API behind one `Security(getCurrentUser, { scopes })` walks that tree
// once. The walk's result is kept per overrides registry (one per application), keyed by the
// declaration's shape; a declaration that fails is never kept, so each route reports its own error.

/** What a route's declaration compiles to, apart from its handler. */
export interface DeclaredShape {
  /** The dependencies' steps, shared (see intern.ts). */
  readonly steps: readonly Step[];
  /** How the handler receives its values. */
  readonly handlerArgs: readonly Arg[];
  readonly requestSchemas: RequestSchemas;
  readonly reader: Pick<Plan, "inputs" | "validates">;
  readonly securitySchemes: readonly SecuritySchemeInfo[];
  readonly security: readonly SecurityRequirement[];
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}

/** One source's part of the key, or `undefined` when it is not a source (the walk reports it). */
function sourcePart(source: unknown): string | undefined {
  const kind = sourceKind(source);
  switch (kind) {
    case "depends":
    case "security": {
      const use = source as DependsSource<unknown>;
      return `d${idOf(use.dependency)},${use.useCache ? 1 : 0},${use.scope ?? ""},${JSON.stringify(use.scopes)}`;
    }
    case "param":
      return `p${idOf(source as object)}`;
    case undefined:
      return undefined;
    default:
      return kind;
  }
}

/**
 * The shape of a declaration: route dependencies, then each source under its key, with the path's
 * parameter names and the compile options that change the result. `undefined` when something is
 * not a source.
 */
export function declarationKey(
  dependencies: readonly unknown[] | undefined,
  sources: SourceMap,
  pathParams: readonly string[],
  native: ReadonlySet<ParamLocation>,
  strictScopes: boolean,
): string | undefined {
  let key = `${[...native].join(",")}|${strictScopes ? 1 : 0}|${JSON.stringify(pathParams)}`;
  for (const use of dependencies ?? []) {
    const part = sourcePart(use);
    if (part === undefined) return undefined;
    key += `|${part}`;
  }
  key += "|:";
  for (const name of Object.keys(sources)) {
    const part = sourcePart(sources[name]);
    if (part === undefined) return undefined;
    key += `|${name.length}:${name}=${part}`;
  }
  return key;
}

const shapesByRegistry = new WeakMap<DependencyOverrides, Map<string, DeclaredShape>>();

/** The declared shapes compiled so far for the application that owns `overrides`. */
export function declaredShapes(overrides: DependencyOverrides): Map<string, DeclaredShape> {
  let shapes = shapesByRegistry.get(overrides);
  if (shapes === undefined) shapesByRegistry.set(overrides, (shapes = new Map()));
  return shapes;
}
