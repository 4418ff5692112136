import type { FastifySwaggerUiOptions } from "@fastify/swagger-ui";
import type { FastifyInstance, FastifyReply } from "fastify";
import { isSafeRedirectPath, requestTarget } from "./redirect-target.js";

/**
 * Swagger UI options of `dependsPlugin`. The UI is served from the package's own assets (it works
 * offline) and keeps its authorisation across reloads. No OAuth2 client id is configured: with one,
 * Swagger UI would send client credentials with HTTP Basic, which a FastAPI-style password flow
 * does not expect.
 *
 * @example
 * ```ts
 * await app.register(dependsPlugin, { docs: { path: "/docs", uiConfig: { docExpansion: "none" } } });
 * ```
 */
export interface DocsOptions {
  /** Default `/docs`. */
  readonly path?: string;
  /** Swagger UI configuration, merged over `{ persistAuthorization: true }`. */
  readonly uiConfig?: FastifySwaggerUiOptions["uiConfig"];
  /** Swagger UI's `initOAuth` (e.g. `{ usePkceWithAuthorizationCodeGrant: true }`). */
  readonly initOAuth?: FastifySwaggerUiOptions["initOAuth"];
}

/**
 * Registers Swagger UI (after @fastify/swagger, whose document it reads) with its public plugin,
 * in the plugin's own encapsulated context: its routes, static files and hooks stay there, and what
 * it does not serve reaches the application's not-found and error handlers, which that context
 * inherits. The package is imported here rather than at the top of the module, so that an app with
 * `docs: false` never loads it (with @fastify/static and its glob: about 1 MB of heap).
 */
export async function registerDocs(fastify: FastifyInstance, options: DocsOptions): Promise<void> {
  const { default: swaggerUi } = await import("@fastify/swagger-ui");
  const routePrefix = options.path ?? "/docs";
  // A context of its own, so that the hook below sees Swagger UI's answers only.
  await fastify.register(async (docs) => {
    docs.addHook("onSend", (_request, reply, payload, done) => {
      onSiteLocation(reply, `${routePrefix}/`);
      done(null, payload);
    });
    await docs.register(swaggerUi, { routePrefix, uiConfig: { persistAuthorization: true, ...options.uiConfig }, initOAuth: options.initOAuth ?? {} });
  });
}

/**
 * Swagger UI redirects `/docs/static/index.html` to a `Location` built from the request target,
 * which for an absolute-form target (`GET http://evil.example/docs/static/index.html`) names the
 * client's host: keep the path only, and the docs' root when even that could leave the site.
 */
function onSiteLocation(reply: FastifyReply, fallback: string): void {
  const location = reply.getHeader("location");
  if (typeof location !== "string" || (location.startsWith("/") && isSafeRedirectPath(location))) return;
  const target = requestTarget(location);
  reply.header("location", target !== undefined && isSafeRedirectPath(target.path) ? target.path + target.query : fallback);
}
