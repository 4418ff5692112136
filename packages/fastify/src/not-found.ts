import { STATUS_CODES } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import FindMyWay from "find-my-way";
import { isSafeRedirectPath, requestTarget } from "./redirect-target.js";

/**
 * A copy of the app's route table (paths and methods only), fed by an `onRoute` hook, to answer
 * what fastify's router cannot tell a not-found handler: which methods a path has, and whether its
 * trailing-slash twin exists. Only unmatched requests consult it.
 */
class RouteMirror {
  readonly #options: FindMyWay.Config<FindMyWay.HTTPVersion.V1>;
  // Routes are only recorded at registration; the router is built on the first unmatched request
  // (and again after routes were added), so that startup pays neither its time nor its memory.
  readonly #pending: [method: string, url: string][] = [];
  #router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined;
  readonly #methods = new Set<string>();

  constructor(fastify: FastifyInstance) {
    const config = fastify.initialConfig;
    const options: FindMyWay.Config<FindMyWay.HTTPVersion.V1> & { useSemicolonDelimiter: boolean } = {
      caseSensitive: config.caseSensitive ?? true,
      ignoreTrailingSlash: config.ignoreTrailingSlash ?? false,
      ignoreDuplicateSlashes: config.ignoreDuplicateSlashes ?? false,
      maxParamLength: config.maxParamLength ?? 100,
      allowUnsafeRegex: config.allowUnsafeRegex ?? false,
      useSemicolonDelimiter: config.useSemicolonDelimiter ?? false,
    };
    this.#options = options;
  }

  add(route: RouteOptions & { prefix?: string; routePath?: string }): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const urls = [route.url];
    // fastify also routes `<prefix>/` for a "/" route under a prefix without telling onRoute hooks.
    if (route.prefix && route.routePath === "" && route.prefixTrailingSlash !== "no-slash") urls.push(`${route.url}/`);
    for (const method of methods) {
      this.#methods.add(method);
      for (const url of urls) this.#pending.push([method, url]);
    }
  }

  #routes(): FindMyWay.Instance<FindMyWay.HTTPVersion.V1> {
    const router = (this.#router ??= FindMyWay(this.#options));
    for (const [method, url] of this.#pending.splice(0)) {
      try {
        router.on(method as FindMyWay.HTTPMethod, url, () => undefined);
      } catch {
        // Already known (fastify's own HEAD twin, say): one entry is enough.
      }
    }
    return router;
  }

  /** The methods that have a route for `url`, sorted. */
  allowed(url: string): string[] {
    const router = this.#routes();
    const allowed: string[] = [];
    for (const method of this.#methods) if (router.find(method as FindMyWay.HTTPMethod, url) !== null) allowed.push(method);
    return allowed.sort();
  }
}

function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // The same log line as fastify's own not-found handler.
  request.log.info(`Route ${request.method}:${request.url} not found`);
  return reply.code(404).send({ detail: STATUS_CODES[404] });
}

/**
 * Installs FastAPI's answers for unmatched requests: 405 `{"detail": "Method Not Allowed"}` with
 * `Allow` when the path exists with other methods; 307 to the registered twin of a path that
 * differs only by its trailing slash (FastAPI's `redirect_slashes`, query string kept); otherwise
 * 404 `{"detail": "Not Found"}`. Only routes registered after it are known. The redirect's
 * `Location` is the twin's path and the query, never a host: an absolute-form target is answered
 * by its path, and a twin starting with `//` or `/\` (raw or percent-encoded) gets the 404.
 */
export function installNotFound(fastify: FastifyInstance, redirectSlashes: boolean): void {
  const mirror = new RouteMirror(fastify);
  fastify.addHook("onRoute", (route) => mirror.add(route));
  fastify.setNotFoundHandler(function dependsNotFound(request: FastifyRequest, reply: FastifyReply) {
    const target = requestTarget(request.url);
    if (target === undefined) return notFound(request, reply);
    const { path, query } = target;
    const allowed = mirror.allowed(path);
    // A route that exists for this very method declined the request (e.g. a static-files wildcard
    // without that file): the resource is missing, the method is fine.
    if (allowed.includes(request.method)) return notFound(request, reply);
    if (allowed.length > 0) {
      request.log.info(`Route ${request.method}:${request.url} not allowed (allowed: ${allowed.join(", ")})`);
      return reply.code(405).header("allow", allowed.join(", ")).send({ detail: STATUS_CODES[405] });
    }
    if (!redirectSlashes || path === "/") return notFound(request, reply);
    const twin = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
    // Never off-site: the Location is the path alone (an absolute-form target's host is dropped),
    // and a twin a browser would read as `//host` is not redirected to at all.
    if (!isSafeRedirectPath(twin) || mirror.allowed(twin).length === 0) return notFound(request, reply);
    return reply.code(307).header("location", twin + query).send();
  });
}
