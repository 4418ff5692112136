import { createRequire } from "node:module";
import swagger, { type FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

// @fastify/swagger (dynamic mode) does three things when registered: it collects the routes
// (`lib/util/add-hook.js`), resolves the function that builds the document
// (`lib/util/resolve-swagger-function.js`) and decorates the instance with it. Resolving that
// function requires its OpenAPI module, which requires `yaml` at the top: 72 modules loaded at
// every boot, after which `process.nextTick` costs the server 0.75 µs instead of 0.45 µs, 2 to
// 4 µs of CPU per request (docs/performance.md). This plugin does the same three things with the
// second deferred to the first call of `swagger()`. It reaches into the package's files, so it is
// used only when they are where version 9 has them; otherwise the public plugin is registered.

type Routes = unknown[];
type AddHook = (fastify: FastifyInstance, options: Record<string, unknown>) => { routes: Routes; Ref: () => unknown };
type ResolveSwaggerFunction = (options: Record<string, unknown>, cache: { object: null; string: null }, routes: Routes, ref: () => unknown) => FastifyInstance["swagger"];

const require = createRequire(import.meta.url);

interface Internals {
  readonly addHook: AddHook;
  /** Loaded on the document's first request. */
  readonly resolverPath: string;
}

function internals(): Internals | undefined {
  try {
    const { addHook } = require("@fastify/swagger/lib/util/add-hook.js") as { addHook?: unknown };
    const resolverPath = require.resolve("@fastify/swagger/lib/util/resolve-swagger-function.js");
    return typeof addHook === "function" ? { addHook: addHook as AddHook, resolverPath } : undefined;
  } catch {
    return undefined;
  }
}

// The defaults of @fastify/swagger 9's dynamic mode (`lib/mode/dynamic.js`).
const DYNAMIC_DEFAULTS = {
  exposeRoute: false,
  hiddenTag: "X-HIDDEN",
  hideUntagged: false,
  stripBasePath: true,
  openapi: null,
  swagger: {},
  transform: null,
  transformObject: null,
  decorator: "swagger",
  refResolver: {
    buildLocalReference(json: { title?: unknown; $id?: unknown }, _baseUri: unknown, _fragment: unknown, i: number): string {
      if (!json.title && json.$id) json.title = json.$id;
      return `def-${i}`;
    },
  },
  convertConstToEnum: true,
};

/**
 * Registers @fastify/swagger in dynamic mode, building the document (and loading what builds it)
 * on the first call of `fastify.swagger()`. The plugin has @fastify/swagger's name, so plugins
 * that depend on it find it.
 */
export async function registerLazySwagger(fastify: FastifyInstance, options: FastifyDynamicSwaggerOptions): Promise<void> {
  const found = internals();
  if (found === undefined) {
    await fastify.register(swagger, options);
    return;
  }
  const plugin = fp(
    (instance: FastifyInstance, pluginOptions: Record<string, unknown>, done: () => void) => {
      const settings = { ...DYNAMIC_DEFAULTS, ...pluginOptions };
      const { routes, Ref } = found.addHook(instance, settings);
      const cache = { object: null, string: null };
      let build: FastifyInstance["swagger"] | undefined;
      const document = ((opts?: Parameters<FastifyInstance["swagger"]>[0]) => {
        build ??= (require(found.resolverPath) as { resolveSwaggerFunction: ResolveSwaggerFunction }).resolveSwaggerFunction(settings, cache, routes, Ref);
        return build(opts as never);
      }) as FastifyInstance["swagger"];
      instance.decorate("swagger", document);
      done();
    },
    { fastify: "5.x", name: "@fastify/swagger" },
  );
  await fastify.register(plugin, options as Record<string, unknown>);
}
