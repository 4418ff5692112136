import type { CompileCache } from "./cache.js";
import { type DependsSource, type SourceMap, sourceKind } from "../sources.js";
import type { RequestSchemas } from "./request-schema.js";
import type { SecurityRequirement } from "./security.js";
import type { Arg, Step } from "./steps.js";
import type { SecuritySchemeInfo } from "../dependency.js";

// Routes that declare the same uses (same dependencies with the same options, the same parameter
// sources, under the same keys) and the same path parameters compile to the same thing, whatever
// their handler: a whole API behind one `Security(getCurrentUser, { scopes })` walks that tree
// once. The walk's result is kept in the application's CompileCache, keyed by the declaration's
// shape; a declaration that fails is never kept, so each route reports its own error.

/** What a route's declaration compiles to, apart from its handler. */
export interface DeclaredShape {
  /** The dependencies' steps, shared (see intern.ts). */
  readonly steps: readonly Step[];
  /** How the handler receives its values. */
  readonly handlerArgs: readonly Arg[];
  readonly requestSchemas: RequestSchemas;
  readonly securitySchemes: readonly SecuritySchemeInfo[];
  readonly security: readonly SecurityRequirement[];
}

/** One source's part of the key, or `undefined` when it is not a source (the walk reports it). */
function sourcePart(cache: CompileCache, source: unknown): string | undefined {
  const kind = sourceKind(source);
  switch (kind) {
    case "depends":
    case "security": {
      const use = source as DependsSource<unknown>;
      return `d${cache.idOf(use.dependency)},${use.useCache ? 1 : 0},${use.scope ?? ""}${use.lazy === true ? "~" : ""},${JSON.stringify(use.scopes)}`;
    }
    case "param":
      return `p${cache.idOf(source as object)}`;
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
  cache: CompileCache,
  dependencies: readonly unknown[] | undefined,
  sources: SourceMap,
  pathParams: readonly string[],
  strictScopes: boolean,
): string | undefined {
  let key = `${strictScopes ? 1 : 0}|${JSON.stringify(pathParams)}`;
  for (const use of dependencies ?? []) {
    const part = sourcePart(cache, use);
    if (part === undefined) return undefined;
    key += `|${part}`;
  }
  key += "|:";
  for (const name of Object.keys(sources)) {
    const part = sourcePart(cache, sources[name]);
    if (part === undefined) return undefined;
    key += `|${name.length}:${name}=${part}`;
  }
  return key;
}
