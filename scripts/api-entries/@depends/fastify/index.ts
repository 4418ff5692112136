/**
 * `@depends/fastify`: mounts `@depends/core` routes on fastify 5 with FastAPI's behaviour: routers
 * with prefixes, tags and dependencies, FastAPI-shaped errors, request-scoped teardown after the
 * response, and an OpenAPI document whose security is computed from each route's dependency tree.
 *
 * @packageDocumentation
 */
// TypeDoc names a module by its entry file's path: this file's path is the package's import name.
export * from "@depends/fastify";
