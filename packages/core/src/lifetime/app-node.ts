import { type Dependency, type DependencyDefinition, definitionOf } from "../dependency.js";
import { DeclarationError } from "../errors.js";
import type { CompileCache } from "../compile/cache.js";
import { TREE_LIMITS } from "../compile/limits.js";
import { type DependsSource, type SourceMap, sourceKind } from "../sources.js";

/**
 * An app-scoped dependency as compiled: what runs (the declared dependency or its override) and
 * the app-scoped dependencies it uses. One value per application and per `key`; `signature`
 * changes when an override anywhere below changes what runs, so that the value is made again.
 */
export interface AppNode {
  /** The dependency as declared: the value's identity in the application. */
  readonly key: Dependency;
  /** What runs. */
  readonly definition: DependencyDefinition;
  readonly overridden: boolean;
  /** Dependency names from where it was first reached. */
  readonly path: readonly string[];
  /** Created on first use rather than at startup. */
  readonly lazy: boolean;
  readonly children: readonly { readonly key: string; readonly node: AppNode }[];
  /** Identifies what runs, overrides below included. */
  readonly signature: string;
}

/** The overrides applied by a compilation (a registry read at one version). */
export interface AppOverrideLookup {
  get(original: Dependency): Dependency | undefined;
}

interface Where {
  readonly route: string | undefined;
  readonly path: readonly string[];
}

function requestSourceError(key: string, kind: string, where: Where, name: string): DeclarationError {
  return new DeclarationError(
    "DEPENDS_APP_SCOPE_REQUEST_SOURCE",
    `The app-scoped dependency "${name}" cannot use the request source "${key}" (${kind}): it is created once per application, outside any request`,
    where,
  );
}

function childrenOf(sources: SourceMap, cache: CompileCache, overrides: AppOverrideLookup | undefined, where: Where, onPath: Dependency[], lazy: boolean): AppNode["children"] {
  const name = where.path[where.path.length - 1] ?? "";
  const children: { key: string; node: AppNode }[] = [];
  for (const key of Object.keys(sources)) {
    const source = sources[key];
    const kind = sourceKind(source);
    if (kind !== "depends" && kind !== "security") throw requestSourceError(key, kind ?? "not a source", where, name);
    const use = source as DependsSource<unknown>;
    if (use.scopes.length > 0) throw requestSourceError(key, "Security scopes", where, name);
    if (use.scope === "function" || use.scope === "request") {
      throw new DeclarationError(
        "DEPENDS_APP_SCOPE_SHORTER_LIFETIME",
        `The app-scoped dependency "${name}" cannot use "${definitionOf(use.dependency).name}", whose scope is "${use.scope}" (it would outlive it)`,
        where,
      );
    }
    // An unscoped use inside an app-scoped dependency is app-scoped too: it can be nothing else.
    children.push({ key, node: compileAppNode(use.dependency, { lazy: lazy && use.lazy !== false, route: where.route, path: where.path, key }, cache, overrides, onPath) });
  }
  return children;
}

/**
 * Compiles the app-scoped use of `dependency` (and, below it, the dependencies it uses) with
 * `overrides` applied, checking the lifetime rules: no request source and no shorter-lived
 * dependency anywhere below (DEPENDS_APP_SCOPE_REQUEST_SOURCE, DEPENDS_APP_SCOPE_SHORTER_LIFETIME).
 */
export function compileAppNode(
  dependency: Dependency,
  at: { readonly lazy: boolean; readonly route: string | undefined; readonly path: readonly string[]; readonly key?: string | undefined },
  cache: CompileCache,
  overrides: AppOverrideLookup | undefined,
  onPath: Dependency[] = [],
): AppNode {
  const replacement = overrides?.get(dependency);
  const runs = replacement ?? dependency;
  const definition = definitionOf(runs);
  const declared = definitionOf(dependency).name;
  const name = (declared === "anonymous" && at.key !== undefined ? at.key : declared) + (replacement ? " (overridden)" : "");
  const path = [...at.path, name];
  const where = { route: at.route, path };
  if (onPath.includes(runs)) throw new DeclarationError("DEPENDS_CYCLE", `Dependency cycle: ${path.join(" -> ")}`, where);
  if (path.length > TREE_LIMITS.depth) throw new DeclarationError("DEPENDS_TREE_TOO_DEEP", `The dependency tree is more than ${TREE_LIMITS.depth} levels deep`, where);
  if (definition.alternatives !== undefined) throw requestSourceError(name, "anyOf", where, name);
  onPath.push(runs);
  const children = childrenOf(definition.sources, cache, overrides, where, onPath, at.lazy);
  onPath.pop();
  const signature = `${cache.idOf(runs)}(${children.map((c) => c.node.signature).join(",")})`;
  return Object.freeze({ key: dependency, definition, overridden: replacement !== undefined, path, lazy: at.lazy, children: Object.freeze(children), signature });
}
