/**
 * `@depends/core`: FastAPI-style dependency injection with OAuth2 Security scopes, compiled once per
 * route into a flat plan. Framework-neutral: adapters such as `@depends/fastify` mount the routes.
 *
 * @packageDocumentation
 */
// TypeDoc names a module by its entry file's path: this file's path is the package's import name.
export * from "@depends/core";
