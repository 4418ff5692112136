/**
 * `@depends/core`: FastAPI-style dependency injection with OAuth2 Security scopes, compiled once per
 * route into a flat plan. Framework-neutral: adapters such as `@depends/fastify` mount the routes.
 * This entry holds what application code uses; adapters and libraries that build their own
 * dependencies use `@depends/core/adapter` too.
 *
 * @packageDocumentation
 */
export { BackgroundTasks } from "./background-tasks.js";
export { AlternativesFailed, allOf, anyOf, type AnyOfOptions, type AnyOfValue, type UseMap } from "./combinators.js";
export { type Dependency, type DependencyOptions, type Provided, type ScopesOfDependency, type ValueOfDependency, dependency, isDependency } from "./dependency.js";
export { DeclarationError, type DeclarationErrorCode, type HeaderMap, HTTPException, type ParamLocation, RequestValidationError, type ValidationErrorItem } from "./errors.js";
export { DependencyOverrides, type OverrideHandle } from "./overrides.js";
export { type DependencyFamily, dependencyFamily } from "./family.js";
export { classDependency, type InjectableClass, methodDependency } from "./class-dependency.js";
export { AppScope, type AppScopeCloseOptions } from "./lifetime/app-scope.js";
export { AppScopeError } from "./lifetime/app-scope-error.js";
export { resolve, type Resolved, type ResolveOptions } from "./lifetime/resolve.js";
export { Body, type BodyOptions, Cookie, Form, Header, type HeaderOptions, type ParamOptions, type ParamSource, type ParamSourceLocation, type ParamValue, Path, Query } from "./params.js";
export { type SecuritySchemeInfo, type CallKind } from "./dependency.js";
export { type AdapterTypes, createRequest, type HttpRequest, type RawReplyType, type RawRequestType, type RawWebSocketType, type RequestInit } from "./request.js";
export { CompiledRoute, type CompileOptions, compileRoute, type PlanOptions } from "./route.js";
export type { RouteDefinition, RouteDependency } from "./route-definition.js";
export {
  type Authentication, authenticationOf, type ReportedScheme, type ReportedScope, type ReportedTeardown, type RouteSecurityReport, type SecurityReport, securityReportMarkdown,
} from "./report.js";
export { assertScopes, bearerChallenge, type ScopeCheckOptions, type ScopeErrorStyle } from "./scope-check.js";
export { SecurityScopes } from "./security-scopes.js";
export {
  CurrentRequest, Depends, type DependsOptions, type DependsSource, RawReply, RawRequest, type RequestSource, Security, type SecurityOptions, type ScopesOf,
  type SecuritySource, type Source, type SourceMap, type TeardownScope, type ValueOf, type ValuesOf, WebSocket,
} from "./sources.js";
export { WebSocketException } from "./websocket-exception.js";
export type { FileField, JsonSchema, ParameterDoc, RequestSchemas } from "./compile/request-schema.js";
export { File, type FileFieldSpec, type FileOptions, Files, type FileSource, type FileValue } from "./uploads/file-sources.js";
export { createUploadFile, isUploadFile, type UploadFile, type UploadFileInit } from "./uploads/upload-file.js";
export type { RouteSecurity, SchemeUse, SecurityRequirement } from "./compile/security.js";
export type { TreeNode } from "./compile/tree.js";
export type { Plan } from "./compile/plan.js";
export type { RouteAnalysis } from "./compile/analyze.js";
export { MAX_VALIDATION_ITEMS, TREE_LIMITS } from "./compile/limits.js";
export { type EventStreamOptions, EventStream, LastEventId, sse } from "./streaming/event-stream.js";
export { ServerSentEvent, type ServerSentEventInit } from "./streaming/server-sent-event.js";
export { StreamError, type StreamErrorCode } from "./streaming/stream-error.js";
export { JsonLines, jsonLines, type StreamChunk, StreamingResponse, type StreamingResponseInit, type StreamSource } from "./streaming/streaming-response.js";
export { type AnySchema, isStandardSchema, type SchemaValue, type StandardJSONSchemaV1, type StandardSchemaV1 } from "./standard-schema.js";
export type { StandardParam } from "./standard-param.js";
export type { StandardField, StandardFields } from "./compile/request-schema.js";
export type { JsonSchemaOption } from "./validation/standard-json-schema.js";
