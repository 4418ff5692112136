import { DeclarationError } from "@depends/core";
import type { FastifyBaseLogger, RouteOptions } from "fastify";
import type { DependsState } from "./state.js";
import { kMounted } from "./symbols.js";

/**
 * A route registered with plain fastify (`app.get(...)`) after the plugin: the library cannot see its
 * security, so the report lists it as unsecured unless its `config.public` says it is public on
 * purpose, and `secureByDefault` refuses it otherwise. HEAD routes mirror their GET.
 *
 * Such a route does not run the app-level `dependencies` either: like a Starlette route added to a
 * FastAPI app (`app.add_route`, `app.mount`), it is not a path operation. When there are some, the
 * route is flagged: a warning, and under `secureByDefault` a refusal
 * (`DEPENDS_SKIPS_APP_DEPENDENCIES`) unless `config: { skipAppDependencies: true }` says so on purpose.
 */
export function recordForeignRoute(state: DependsState, route: RouteOptions, log: FastifyBaseLogger): void {
  const config = route.config as Record<string | symbol, unknown> | undefined;
  if (config?.[kMounted] !== undefined) return;
  const declaredPublic = config?.public === true;
  const skipsOnPurpose = config?.skipAppDependencies === true;
  for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
    if (method === "HEAD") continue;
    if (state.secureByDefault && !declaredPublic) {
      throw new DeclarationError(
        "DEPENDS_NOT_PUBLIC",
        "A plain fastify route has no security the library can see and is not declared public (secureByDefault): mount it with a router, or set config: { public: true }",
        { route: `${method} ${route.url}` },
      );
    }
    if (state.dependencies.length > 0 && !skipsOnPurpose) skipsAppDependencies(state, `${method} ${route.url}`, log);
    state.report.push({ method, path: route.url, public: declaredPublic, secured: false, optionalAuth: false, optionalAuthDeclared: false, requirements: [], openapi: [], teardown: [] });
  }
}

function skipsAppDependencies(state: DependsState, route: string, log: FastifyBaseLogger): void {
  if (state.secureByDefault) {
    throw new DeclarationError(
      "DEPENDS_SKIPS_APP_DEPENDENCIES",
      "A plain fastify route does not run dependsPlugin's app-level dependencies (secureByDefault): mount it with a router, or set config: { skipAppDependencies: true }",
      { route },
    );
  }
  log.warn({ route }, `${route} is a plain fastify route: dependsPlugin's app-level dependencies do not run for it (mount it with a router, or set config: { skipAppDependencies: true })`);
}
