/**
 * `@depends/core`: FastAPI-style dependency injection with OAuth2 Security scopes, compiled once per
 * route into a flat plan. Framework-neutral: adapters such as `@depends/fastify` mount the routes.
 *
 * @packageDocumentation
 */
export { AlternativesFailed, allOf, anyOf, type AnyOfOptions, type AnyOfValue, type UseMap } from "./combinators.js";
export { type AlternativeFailure, type AlternativesSpec, type CallKind, type Dependency, type DependencyDefinition, type DependencyOptions, type Provided, type ScopesOfDependency, type SecuritySchemeInfo, type ValueOfDependency, defineDependency, dependency, isDependency } from "./dependency.js";
export { DeclarationError, type DeclarationErrorCode, type HeaderMap, HTTPException, type ParamLocation, RequestValidationError, type ValidationErrorItem } from "./errors.js";
export { DependencyOverrides, type OverrideHandle } from "./overrides.js";
export { Body, type BodyOptions, Cookie, Form, Header, type HeaderOptions, type ParamOptions, type ParamSource, type ParamSourceLocation, type ParamValue, Path, Query } from "./params.js";
export { type AdapterTypes, createRequest, type HttpRequest, parseCookieHeader, type RawReplyType, type RawRequestType, type RequestInit } from "./request.js";
export { CompiledRoute, type CompileOptions, compileRoute, type RouteDefinition, type RouteDependency } from "./route.js";
export {
  type Authentication, authenticationOf, type ReportedScheme, type ReportedScope, type ReportedTeardown, reportRoute, type RouteSecurityReport, type SecurityReport, securityReport,
  securityReportMarkdown,
} from "./report.js";
export { RequestScope } from "./run/teardown.js";
export { assertScopes, bearerChallenge, type ScopeCheckOptions, type ScopeErrorStyle } from "./scope-check.js";
export { assertScopeTokens, isScopeToken } from "./scope-token.js";
export { SecurityScopes } from "./security-scopes.js";
export {
  Depends, type DependsOptions, type DependsSource, isSource, RawReply, RawRequest, Request, type RequestSource, Security, type SecurityOptions,
  type ScopesOf, type SecuritySource, type Source, type SourceMap, type TeardownScope, type ValueOf, type ValuesOf,
} from "./sources.js";
export { type JsonSchema, type ParameterDoc, pathParamNames, type RequestSchemas } from "./compile/request-schema.js";
export type { RouteSecurity, SchemeUse, SecurityRequirement } from "./compile/security.js";
export type { TreeNode } from "./compile/tree.js";
export type { Plan } from "./compile/plan.js";
export { type SchemaError, validationErrorItems } from "./validation/error-items.js";
export { dropEmptyFormValues } from "./validation/validator.js";
