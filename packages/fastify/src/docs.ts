import { STATUS_CODES } from "node:http";
import type { FastifySwaggerUiOptions } from "@fastify/swagger-ui";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

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

// Hop-by-hop and per-response headers: the application's own reply sets them.
const NOT_FORWARDED = new Set(["connection", "keep-alive", "transfer-encoding", "date", "content-length"]);

function innerError(statusCode: number, body: string): Error {
  let parsed: { message?: unknown; code?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // not fastify's JSON error body: keep the status alone
  }
  const error = new Error(typeof parsed.message === "string" ? parsed.message : (STATUS_CODES[statusCode] ?? "Error")) as Error & { statusCode: number; code?: string };
  error.statusCode = statusCode;
  if (typeof parsed.code === "string") error.code = parsed.code;
  return error;
}

/**
 * Registers Swagger UI (after @fastify/swagger), loaded on its first request.
 *
 * @fastify/swagger-ui loads yaml, @fastify/static and its glob at registration: about 57 ms and
 * 1 MB of heap at every boot, for pages most servers (in production, all but a few) never serve.
 * The application gets two routes (the page and everything under it); the first request builds
 * a private fastify instance with @fastify/swagger-ui mounted at the same path, reading this
 * application's document, and every request under the path is answered by it through `inject`.
 * What it does not serve goes to the application's not-found handler, as before.
 */
export async function registerDocs(fastify: FastifyInstance, options: DocsOptions): Promise<void> {
  const path = options.path ?? "/docs";
  let ui: Promise<FastifyInstance> | undefined;
  const load = async (): Promise<FastifyInstance> => {
    const [{ default: Fastify }, { default: swaggerUi }] = await Promise.all([import("fastify"), import("@fastify/swagger-ui")]);
    const app = Fastify({ logger: false });
    // @fastify/swagger-ui depends on @fastify/swagger by name and reads the document through its decorator.
    const documentSource = fp(
      async (instance: FastifyInstance) => {
        instance.decorate("swagger", ((opts?: { yaml?: boolean }) => fastify.swagger(opts as never)) as FastifyInstance["swagger"]);
      },
      { name: "@fastify/swagger" },
    );
    await app.register(documentSource);
    await app.register(swaggerUi, {
      routePrefix: fastify.prefix + path,
      uiConfig: { persistAuthorization: true, ...options.uiConfig },
      initOAuth: options.initOAuth ?? {},
    });
    await app.ready();
    return app;
  };
  const serve = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    ui ??= load().catch((error: unknown) => {
      ui = undefined; // the next request tries again
      throw error;
    });
    const app = await ui;
    // fastify answers HEAD with this GET route and drops the body, keeping its length.
    const response = await app.inject({ method: "GET", url: request.url, headers: request.headers });
    if (response.statusCode === 404) return reply.callNotFound();
    // Other errors (e.g. @fastify/static's 403 for a path it refuses) go to the application's error
    // handler, as they did when the UI was mounted on it: rebuilt from fastify's error body.
    if (response.statusCode >= 400) throw innerError(response.statusCode, response.body);
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
    reply.code(response.statusCode);
    // No body (a redirect, a 304): send nothing, so that no content type is made up for it.
    return response.rawPayload.length === 0 ? reply.send() : reply.send(response.rawPayload);
  };
  fastify.addHook("onClose", async () => {
    if (ui !== undefined) await (await ui.catch(() => undefined))?.close();
  });
  const hidden = { schema: { hide: true } };
  fastify.get(path, hidden, serve);
  fastify.get(`${path}/*`, hidden, serve);
}
