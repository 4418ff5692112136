import { DeclarationError, type RouteAnalysis } from "@depends/core";
import type { SecuritySchemeInfo } from "@depends/core/adapter";

function sameScheme(a: SecuritySchemeInfo, b: SecuritySchemeInfo): boolean {
  return a === b || JSON.stringify(a.object) === JSON.stringify(b.object);
}

/**
 * The security schemes an application's routes use. It fills the `components.securitySchemes`
 * object given to @fastify/swagger with the schemes of documented routes only, and refuses, at
 * registration, two different schemes under one name (FastAPI silently keeps the last one).
 */
export class SchemeRegistry {
  /** Handed to @fastify/swagger as `components.securitySchemes`; filled as routes are mounted. */
  readonly components: Record<string, Readonly<Record<string, unknown>>> = {};
  readonly #byName = new Map<string, { scheme: SecuritySchemeInfo; route: string }>();

  add(route: Pick<RouteAnalysis, "route" | "securitySchemes">, documented: boolean): void {
    for (const scheme of route.securitySchemes) {
      const known = this.#byName.get(scheme.name);
      if (known === undefined) this.#byName.set(scheme.name, { scheme, route: route.route });
      else if (!sameScheme(known.scheme, scheme)) {
        throw new DeclarationError(
          "DEPENDS_SCHEME_NAME_CONFLICT",
          `Two different security schemes are both named "${scheme.name}": one is used by ${known.route}, the other by ${route.route}; give one a distinct scheme name`,
          { route: route.route },
        );
      }
      if (documented) this.components[scheme.name] = scheme.object;
    }
  }
}
