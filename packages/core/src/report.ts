import type { SecurityRequirement } from "./compile/security.js";
import type { TreeNode } from "./compile/tree.js";
import type { CompiledRoute } from "./route.js";
import type { TeardownScope } from "./sources.js";

/**
 * One scope of a requirement, with the dependency path whose `Security` use asked for it first.
 *
 * @example
 * ```ts
 * const origin: ReportedScope = report.routes[0]!.requirements[0]![0]!.scopes[0]!; // { scope: "items", from: [...] }
 * ```
 */
export interface ReportedScope {
  readonly scope: string;
  readonly from: readonly string[];
}

/**
 * One scheme a requirement alternative needs.
 *
 * @example
 * ```ts
 * for (const scheme of report.routes[0]!.requirements[0]!) console.log(scheme.scheme, scheme.scopes.map((s) => s.scope));
 * ```
 */
export interface ReportedScheme {
  readonly scheme: string;
  /** The OpenAPI scheme type (`oauth2`, `http`, `apiKey`, `openIdConnect`). */
  readonly type: string;
  readonly scopes: readonly ReportedScope[];
}

/**
 * A dependency of the route with a lifetime: a generator (or `dispose: true`) torn down after the
 * handler (`"function"`) or after the response (`"request"`), or an app-scoped value (`"app"`),
 * made once per application and torn down when it closes.
 *
 * @example
 * ```ts
 * for (const t of entry.teardown) console.log(t.path.join(" -> "), t.scope);
 * ```
 */
export interface ReportedTeardown {
  readonly path: readonly string[];
  readonly scope: TeardownScope;
}

/**
 * How much authentication a route demands of a request:
 * - `"required"`: every alternative needs at least one security scheme;
 * - `"optional"`: the route reaches a scheme, but one alternative needs none, so anonymous requests
 *   get through (an `autoError: false` scheme, `anyOf(..., Depends(nobody))`);
 * - `"none"`: the route reaches no security scheme.
 *
 * @example
 * ```ts
 * const level: Authentication = authenticationOf(compiled); // "optional" for anyOf({ key: Depends(apiKey), anonymous: Depends(nobody) })
 * ```
 */
export type Authentication = "required" | "optional" | "none";

/**
 * The {@link Authentication} of a compiled route, read from its OpenAPI requirements: an empty
 * requirement object `{}` is an alternative that requires nothing.
 *
 * @example
 * ```ts
 * if (authenticationOf(route) === "optional" && !declaredOptional) throw new Error(`${route.route} lets anonymous requests in`);
 * ```
 */
export function authenticationOf(route: Pick<CompiledRoute, "securitySchemes" | "security">): Authentication {
  if (route.securitySchemes.length === 0) return "none";
  return route.security.some((requirement) => Object.keys(requirement).length === 0) ? "optional" : "required";
}

/**
 * The security of one route.
 *
 * @example
 * ```ts
 * const unsecured = report.routes.filter((r: RouteSecurityReport) => !r.secured && !r.public && !r.optionalAuthDeclared);
 * ```
 */
export interface RouteSecurityReport {
  readonly method: string;
  readonly path: string;
  /** Explicitly declared public (no security on purpose). */
  readonly public: boolean;
  /** Every alternative requires at least one security scheme: anonymous requests are refused. */
  readonly secured: boolean;
  /**
   * Optional authentication: the route reaches a security scheme, but anonymous requests get
   * through (an `autoError: false` scheme, or an `anyOf` alternative that requires nothing).
   */
  readonly optionalAuth: boolean;
  /** Explicitly declared `optionalAuth: true` (anonymous requests accepted on purpose). */
  readonly optionalAuthDeclared: boolean;
  /** Alternatives (OR), each listing the schemes required together (AND). */
  readonly requirements: readonly (readonly ReportedScheme[])[];
  /** The operation's OpenAPI `security`, as documented. */
  readonly openapi: readonly SecurityRequirement[];
  readonly teardown: readonly ReportedTeardown[];
  /** Inherited dependencies the route excludes (`excludeDependencies`), by name; absent when none. */
  readonly excluded?: readonly string[];
}

/**
 * Every route's security, and counts to check in CI.
 *
 * @example
 * ```ts
 * const report: SecurityReport = app.securityReport();
 * if (report.summary.unsecured > 0) process.exitCode = 1;
 * ```
 */
export interface SecurityReport {
  readonly routes: readonly RouteSecurityReport[];
  readonly summary: {
    readonly routes: number;
    readonly secured: number;
    readonly public: number;
    /** Routes with optional authentication (declared or not). */
    readonly optionalAuth: number;
    /**
     * Routes that are not secured and are declared neither public nor optional authentication:
     * what `secureByDefault` refuses.
     */
    readonly unsecured: number;
  };
}

function teardownsOf(nodes: readonly TreeNode[]): ReportedTeardown[] {
  const out: ReportedTeardown[] = [];
  const visit = (node: TreeNode): void => {
    if (node.teardown !== undefined && node.cachedFrom === undefined) out.push({ path: node.path, scope: node.teardown });
    for (const child of node.children) visit(child);
  };
  for (const node of nodes) visit(node);
  return out;
}

/**
 * Describes one compiled route's security: what enforcement and documentation both derive from.
 *
 * @example
 * ```ts
 * const entry = reportRoute(compileRoute({ method: "GET", path: "/status/", sources: { u: Depends(getCurrentUser) }, handler }));
 * entry.requirements; // [[{ scheme: "OAuth2PasswordBearer", type: "oauth2", scopes: [] }]]
 * ```
 */
export function reportRoute(
  route: CompiledRoute,
  options: { readonly public?: boolean; readonly optionalAuth?: boolean; readonly path?: string; readonly excluded?: readonly string[] } = {},
): RouteSecurityReport {
  const authentication = authenticationOf(route);
  return {
    method: route.method,
    path: options.path ?? route.path,
    public: options.public ?? false,
    secured: authentication === "required",
    optionalAuth: authentication === "optional",
    optionalAuthDeclared: options.optionalAuth ?? false,
    requirements: route.securitySchemes.length === 0 ? [] : route.requirements.map((alternative) =>
      alternative.map((use) => ({
        scheme: use.scheme.name,
        type: String(use.scheme.object.type ?? "unknown"),
        scopes: use.scopes.map((scope) => ({ scope, from: use.scopeSources[scope] ?? [] })),
      })),
    ),
    openapi: route.security,
    teardown: teardownsOf(route.nodes),
    ...(options.excluded !== undefined && options.excluded.length > 0 ? { excluded: options.excluded } : {}),
  };
}

/**
 * Builds the report of a set of route reports.
 *
 * @example
 * ```ts
 * const report = securityReport(routes.map((r) => reportRoute(r)));
 * if (report.summary.unsecured > 0) process.exitCode = 1;
 * ```
 */
export function securityReport(routes: readonly RouteSecurityReport[]): SecurityReport {
  return {
    routes,
    summary: {
      routes: routes.length,
      secured: routes.filter((r) => r.secured).length,
      public: routes.filter((r) => r.public).length,
      optionalAuth: routes.filter((r) => r.optionalAuth).length,
      unsecured: routes.filter((r) => !r.secured && !r.public && !r.optionalAuthDeclared).length,
    },
  };
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function describeAlternative(alternative: readonly ReportedScheme[]): string {
  if (alternative.length === 0) return "nothing (anonymous access)";
  return alternative.map((s) => (s.scopes.length > 0 ? `${s.scheme} [${s.scopes.map((x) => x.scope).join(", ")}]` : s.scheme)).join(" AND ");
}

function optionalCell(route: RouteSecurityReport): string {
  const declared = route.public ? " (declared public)" : route.optionalAuthDeclared ? " (declared)" : ": **not declared, unsecured**";
  return `optional authentication${declared}: ${route.requirements.map(describeAlternative).join(" **OR** ")}`;
}

/**
 * Renders a report as Markdown: a summary, one table row per route, then each scope's origin.
 *
 * @example
 * ```ts
 * await writeFile("SECURITY-REPORT.md", securityReportMarkdown(app.securityReport()));
 * ```
 */
export function securityReportMarkdown(report: SecurityReport): string {
  const { summary } = report;
  const lines = [
    "# Security report",
    "",
    `${summary.routes} routes: ${summary.secured} secured, ${summary.optionalAuth} with optional authentication, ${summary.public} public, ${summary.unsecured} unsecured (neither secured nor declared public or optional).`,
    "",
    "| route | requires | lifetimes |",
    "|---|---|---|",
  ];
  for (const r of report.routes) {
    const requires =
      (r.secured ? r.requirements.map(describeAlternative).join(" **OR** ") : r.optionalAuth ? optionalCell(r) : r.public ? "public" : "**nothing: unsecured**") +
      (r.excluded ? ` (excludes ${r.excluded.join(", ")})` : "");
    const teardown = r.teardown.map((d) => `${d.path[d.path.length - 1]} (${d.scope})`).join(", ") || "";
    lines.push(`| \`${cell(`${r.method} ${r.path}`)}\` | ${cell(requires)} | ${cell(teardown)} |`);
  }
  const origins = report.routes.flatMap((r) =>
    r.requirements.flatMap((alt) => alt.flatMap((s) => s.scopes.map((x) => `- \`${r.method} ${r.path}\`: \`${x.scope}\` (${s.scheme}) from ${x.from.join(" -> ")}`))),
  );
  if (origins.length > 0) lines.push("", "## Where each scope comes from", "", ...new Set(origins));
  return `${lines.join("\n")}\n`;
}
