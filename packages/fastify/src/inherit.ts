import { DeclarationError, type Dependency, type RouteDependency, type SourceMap } from "@depends/core";
import { definitionOf } from "@depends/core/adapter";

// What a route inherits from its routers and includes: their dependencies (minus those it
// excludes) and its own router's context, whose values its handler receives.

/**
 * The sources of a route under its router's `context`: the context first, then its own. A key in
 * both is refused (DEPENDS_CONTEXT_CONFLICT): one name, one value.
 */
export function withContext(context: SourceMap, sources: SourceMap, route: string): SourceMap {
  const keys = Object.keys(context);
  if (keys.length === 0) return sources;
  for (const key of Object.keys(sources)) {
    if (keys.includes(key)) {
      throw new DeclarationError("DEPENDS_CONTEXT_CONFLICT", `The source "${key}" is also in the router's context: rename it, or use the context's value`, { route });
    }
  }
  return { ...context, ...sources };
}

/** The context's uses as dependencies, for the routes of included routers (values not received). */
export function contextDependencies(context: SourceMap): RouteDependency[] {
  return Object.values(context) as RouteDependency[];
}

/**
 * `inherited` without the uses of the dependencies in `exclude`; each excluded dependency must be
 * inherited (DEPENDS_EXCLUDED_NOT_INHERITED), so that a typo or a refactor cannot silently keep
 * a dependency the route meant to drop. Returns the names excluded too.
 */
export function excluding(inherited: readonly RouteDependency[], exclude: readonly Dependency[] | undefined, route: string): { dependencies: RouteDependency[]; excluded: string[] } {
  if (exclude === undefined || exclude.length === 0) return { dependencies: [...inherited], excluded: [] };
  for (const dependency of exclude) {
    if (!inherited.some((use) => use.dependency === dependency)) {
      throw new DeclarationError(
        "DEPENDS_EXCLUDED_NOT_INHERITED",
        `excludeDependencies lists "${definitionOf(dependency).name}", which this route does not inherit from its app, includes or routers`,
        { route },
      );
    }
  }
  return { dependencies: inherited.filter((use) => !exclude.includes(use.dependency)), excluded: exclude.map((d) => definitionOf(d).name) };
}
