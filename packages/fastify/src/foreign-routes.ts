import { DeclarationError } from "@depends/core";
import type { RouteOptions } from "fastify";
import type { DependsState } from "./state.js";
import { kMounted } from "./symbols.js";

/**
 * A route registered with plain fastify (`app.get(...)`) after the plugin: the library cannot see its
 * security, so the report lists it as unsecured unless its `config.public` says it is public on
 * purpose, and `secureByDefault` refuses it otherwise. HEAD routes mirror their GET.
 */
export function recordForeignRoute(state: DependsState, route: RouteOptions): void {
  const config = route.config as Record<string | symbol, unknown> | undefined;
  if (config?.[kMounted] !== undefined) return;
  const declaredPublic = config?.public === true;
  for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
    if (method === "HEAD") continue;
    if (state.secureByDefault && !declaredPublic) {
      throw new DeclarationError(
        "DEPENDS_NOT_PUBLIC",
        "A plain fastify route has no security the library can see and is not declared public (secureByDefault): mount it with a router, or set config: { public: true }",
        { route: `${method} ${route.url}` },
      );
    }
    state.report.push({ method, path: route.url, public: declaredPublic, secured: false, optionalAuth: false, optionalAuthDeclared: false, requirements: [], openapi: [], teardown: [] });
  }
}
