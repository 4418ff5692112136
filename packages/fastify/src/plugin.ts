import { DeclarationError, DependencyOverrides, type RouteDependency, type RouteSecurityReport } from "@depends/core";
import { reportRoute, securityReport } from "@depends/core/adapter";
import formbody from "@fastify/formbody";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { recordForeignRoute } from "./foreign-routes.js";
import { boundedFormParser, DEFAULT_MAX_FORM_FIELDS } from "./form-parser.js";
import { type DocsOptions, registerDocs } from "./docs.js";
import { dependsErrorHandler } from "./errors.js";
import { installJsonParser } from "./json-parser.js";
import { installNotFound } from "./not-found.js";
import { type OpenApiOptions, registerOpenApi } from "./openapi.js";
import { toOpenApiPath } from "./operation-names.js";
import { SchemaComponents } from "./schema-components.js";
import type { MountedRoute } from "./route-handler.js";
import { installAppScope } from "./app-scope-hooks.js";
import { DependsState, PLUGIN_NAME } from "./state.js";
import { type MultipartOptions, multipartLimits } from "./multipart-options.js";
import { installMultipart } from "./multipart-plugin.js";
import { kScope, kState, kTasks, kUploads } from "./symbols.js";
import { closeTimeoutOf } from "./after-response-work.js";
import { installReplyGuard } from "./reply-thenable.js";

/**
 * Options of {@link dependsPlugin}. Everything FastAPI does by default is on; each part can be
 * turned off for apps that bring their own.
 *
 * @example
 * ```ts
 * await app.register(dependsPlugin, {
 *   dependencies: [Depends(verifyKey)],
 *   openapi: { info: { title: "Items", version: "1.0.0" } },
 *   docs: "/docs",
 *   redirectSlashes: true,
 * });
 * ```
 */
export interface DependsPluginOptions {
  /**
   * App-level dependencies, run first on every route mounted with a router after the plugin. Plain
   * fastify routes (`app.get(...)`) do not run them: they are flagged at registration (a warning;
   * refused under `secureByDefault` unless `config: { skipAppDependencies: true }`).
   */
  readonly dependencies?: readonly RouteDependency[];
  /** Share an overrides registry (default: a new one, exposed as `app.dependencyOverrides`). */
  readonly overrides?: DependencyOverrides;
  /** Answer a path that differs only by its trailing slash with a 307 to the registered one (default `true`). */
  readonly redirectSlashes?: boolean;
  /** The OpenAPI document (default: served at `/openapi.json`); `false` registers no @fastify/swagger. */
  readonly openapi?: OpenApiOptions | false;
  /** Swagger UI (default `/docs`); a path, options, or `false`. Needs `openapi`. */
  readonly docs?: DocsOptions | string | false;
  /** FastAPI's JSON body parsing: empty = no body, malformed = 422 `json_invalid` (default `true`). */
  readonly jsonParser?: boolean;
  /** Answer errors in FastAPI's shape (default `true`). */
  readonly errorHandler?: boolean;
  /** FastAPI's 404, 405 and trailing-slash redirect for unmatched requests (default `true`). */
  readonly notFound?: boolean;
  /**
   * Refuse to start when a route reaches no security scheme and is not declared public
   * (`public: true` on a depends route, `config: { public: true }` on a plain fastify route).
   * The documentation routes are public. Default `false`.
   */
  readonly secureByDefault?: boolean;
  /**
   * The most milliseconds a route's run (its dependencies, then its handler) may take before the
   * answer is a 503 and its request-scoped teardowns run (default: none); a route's own `timeout`
   * wins. Node's `requestTimeout` only bounds receiving the request: a dependency that never
   * settles would otherwise hold the request forever.
   */
  readonly timeout?: number;
  /** The most fields an `application/x-www-form-urlencoded` body may have (default 1,000; more is a 400). */
  readonly maxFormFields?: number;
  /**
   * `BackgroundTasks`: `closeTimeout` is how many milliseconds `app.close()` waits for the tasks
   * still running or queued (default 10,000; `0`: do not wait) before it abandons those not
   * started, logs them, and tears down the app-scoped values.
   */
  readonly backgroundTasks?: { readonly closeTimeout?: number };
  /**
   * `multipart/form-data` bodies (read with @fastify/multipart, whose parser the plugin installs
   * unless the app registered it): limits, the spool threshold and directory of uploads. `false` registers nothing:
   * routes with `File` sources are then refused at registration.
   */
  readonly multipart?: MultipartOptions | false;
}

function reportEntry(entry: RouteSecurityReport | MountedRoute): RouteSecurityReport {
  return "route" in entry ? reportRoute(entry.route, { public: entry.public, optionalAuth: entry.flat.spec.optionalAuth === true, path: toOpenApiPath(entry.route.path), excluded: entry.flat.excluded }) : entry;
}

async function depends(fastify: FastifyInstance, options: DependsPluginOptions): Promise<void> {
  if (fastify.hasDecorator(kState as unknown as string)) throw new DeclarationError("DEPENDS_PLUGIN_TWICE", `${PLUGIN_NAME}: dependsPlugin is registered twice in one application`);
  const state = new DependsState(options.dependencies ?? [], options.overrides ?? new DependencyOverrides(), options.openapi !== false, options.secureByDefault === true);
  state.timeout = options.timeout;
  state.closeTimeout = closeTimeoutOf(options.backgroundTasks);
  fastify.decorate(kState as unknown as string, state);
  fastify.decorate("dependencyOverrides", state.overrides);
  fastify.decorate("securityReport", () => securityReport(state.report.map(reportEntry)));
  installAppScope(fastify, state);
  // Declared up front so that every request object keeps one shape (fastify's advice).
  fastify.decorateRequest(kScope as unknown as string, null);
  fastify.decorateRequest(kTasks as unknown as string, null);
  installReplyGuard(fastify);
  fastify.decorateRequest(kUploads as unknown as string, null);
  if (!fastify.hasContentTypeParser("application/x-www-form-urlencoded")) {
    await fastify.register(formbody, { parser: boundedFormParser(options.maxFormFields ?? DEFAULT_MAX_FORM_FIELDS) });
  }
  if (options.multipart !== false) {
    const limits = multipartLimits(options.multipart);
    if (!fastify.hasContentTypeParser("multipart/form-data")) await installMultipart(fastify);
    // Another multipart parser than @fastify/multipart's leaves form routes to it and refuses File sources.
    if (fastify.hasRequestDecorator("parts")) state.multipart = limits;
  }
  if (options.jsonParser !== false) installJsonParser(fastify);
  if (options.errorHandler !== false) fastify.setErrorHandler(dependsErrorHandler);
  // Before the documentation routes, so that the not-found handler knows them too.
  if (options.notFound !== false) installNotFound(fastify, options.redirectSlashes !== false);
  if (options.openapi !== false) {
    const openapi = options.openapi ?? {};
    if (openapi.inlineSchemas === true) state.schemas = new SchemaComponents(true);
    state.openapiVersion = openapi.openapi ?? "3.1.0";
    await registerOpenApi(fastify, openapi, state);
    const docs = options.docs ?? "/docs";
    if (docs !== false) await registerDocs(fastify, typeof docs === "string" ? { path: docs } : docs);
  }
  // Added last: the documentation routes above are public by nature and stay out of the report.
  fastify.addHook("onRoute", function onRoute(route) {
    recordForeignRoute(state, route, this.log);
  });
}

/**
 * The fastify plugin of `@depends/fastify`: FastAPI's error shapes, 404/405/307 answers, form and
 * JSON body parsing, the OpenAPI document with the security the routes require, Swagger UI, and the
 * app-level dependencies and overrides that routers mounted after it use. Register it before them.
 *
 * @example
 * ```ts
 * const app = Fastify({ logger: true });
 * await app.register(dependsPlugin, { openapi: { info: { title: "Example", version: "0.1.0" } } });
 * await app.register(api.plugin());
 * ```
 */
export const dependsPlugin: FastifyPluginAsync<DependsPluginOptions> = fp(depends, { name: PLUGIN_NAME, fastify: "5.x" });
