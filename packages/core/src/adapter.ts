/**
 * `@depends/core/adapter`: what a web-framework adapter (such as `@depends/fastify`) and a library
 * that builds its own dependencies (such as a security scheme) need beyond the application API.
 *
 * An adapter compiles each route in two phases, once, at registration: {@link analyzeRoute}
 * (request schemas, security requirements, the tree: what registration and documentation need)
 * and {@link planRoute} (what a request runs). Per request it calls `route.run(request, scope)`
 * with a {@link RequestScope} when `route.scoped`, and closes that scope after the response.
 *
 * @example
 * ```ts
 * import { analyzeRoute, CompileCache, planRoute, RequestScope } from "@depends/core/adapter";
 * const cache = new CompileCache(); // one per application
 * const analysis = analyzeRoute(definition, { cache });
 * const route = planRoute(analysis, { overrides });
 * const scope = route.scoped ? new RequestScope() : undefined;
 * const value = await route.run(request, scope);
 * await scope?.close();
 * ```
 *
 * @packageDocumentation
 */
export { type AnalyzeOptions, analyzeRoute, RouteAnalysis } from "./compile/analyze.js";
export { CompileCache } from "./compile/cache.js";
export { pathParamNames } from "./compile/request-schema.js";
export { type AlternativeFailure, type AlternativesSpec, type CallKind, type DependencyDefinition, defineDependency, definitionOf, type SecuritySchemeInfo } from "./dependency.js";
export { parseCookieHeader } from "./request.js";
export { planRoute } from "./route.js";
export { reportRoute, securityReport } from "./report.js";
export { RequestScope } from "./run/teardown.js";
export { type AfterResponse, afterResponse } from "./run/after-response.js";
export { type BackgroundTask, BackgroundTaskQueue, type RunTasksOptions } from "./background-tasks.js";
export { assertScopeTokens, isScopeToken } from "./scope-token.js";
export { isSource } from "./sources.js";
export { closeReason } from "./websocket-exception.js";
export { type SchemaError, validationErrorItems } from "./validation/error-items.js";
export { dropEmptyFormValues } from "./validation/validator.js";
export { isStreamBody, toStreamingResponse } from "./streaming/streaming-response.js";
export { type Derived, deriveJsonSchema, type SchemaSide } from "./validation/standard-json-schema.js";
export { accepts, fileTooLarge } from "./validation/file-fields.js";
export { isFileSource } from "./uploads/file-sources.js";
export { kUploadFile, partHeaders } from "./uploads/upload-file.js";
