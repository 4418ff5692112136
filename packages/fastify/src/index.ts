/**
 * `@depends/fastify`: mounts `@depends/core` routes on fastify 5 with FastAPI's behaviour: routers
 * with prefixes, tags and dependencies, FastAPI-shaped errors, request-scoped teardown after the
 * response, and an OpenAPI document whose security is computed from each route's dependency tree.
 *
 * @packageDocumentation
 */
import "./adapter-types.js";

export { type DocsOptions } from "./docs.js";
export { dependsErrorHandler } from "./errors.js";
export { type OpenApiOptions } from "./openapi.js";
export { named } from "./named-schema.js";
export { type DependsPluginOptions, dependsPlugin } from "./plugin.js";
export { type FastifyRouteExtras, type HandlerValue, type ResponseSchemas, type RouteHandler, type RouteOptions, type RouteSpec } from "./route-options.js";
export { Router, router, type RouterContext, type RouterDeclaration, type RouterOptions, type RouteShorthand } from "./router.js";
export { UnserialisableValueError } from "./unserialisable.js";
export { type WebhookHandler, type WebhookOptions, type WebhookShorthand, type WebhookSpec } from "./webhook-options.js";
export { Webhooks, webhooks } from "./webhooks.js";
export { RunTimeoutError } from "./run-timeout.js";
export { type WebSocketHandler, type WebSocketRouteOptions, type WebSocketShorthand } from "./ws-route-options.js";
export { type CliIo, runSecurityReportCli } from "./cli/security-report.js";
