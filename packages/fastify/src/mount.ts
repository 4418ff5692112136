import { authenticationOf, DeclarationError, type RequestSchemas, type RouteAnalysis, type RouteDependency, type SourceMap } from "@depends/core";
import { analyzeRoute, planRoute } from "@depends/core/adapter";
import type { FastifyInstance, FastifySchema, RouteOptions as FastifyRouteOptions } from "fastify";
import { FormReader } from "./form-body.js";
import { multipartBodyHook } from "./multipart-body.js";
import { settlingUploads } from "./upload-route.js";
import { operationIdOf, summaryOf, toOpenApiPath } from "./operation-names.js";
import { operationSchema } from "./operation-docs.js";
import { jsonResponseSchemas } from "./response-schemas.js";
import { type MountedRoute, routeHandler } from "./route-handler.js";
import { type ResponseSchemas, type RouteSpec, toFastifyPath } from "./route-options.js";
import type { SchemaComponents } from "./schema-components.js";
import { serializationSchema } from "./serialization-schema.js";
import type { DependsState } from "./state.js";
import { kMounted } from "./symbols.js";
import { closeAfterResponse, closeOnAbort } from "./teardown-hooks.js";
import { refuseSocketSource } from "./ws-sources.js";

/** A route of a router tree, with everything inherited from its routers and includes. */
export interface FlatRoute {
  readonly spec: RouteSpec<SourceMap, ResponseSchemas>;
  /** The full path under the fastify instance's prefix, in either syntax. */
  readonly path: string;
  readonly tags: readonly string[];
  /** App, include, router and route dependencies, in FastAPI's order. */
  readonly dependencies: readonly RouteDependency[];
  /** Names of inherited dependencies excluded (`excludeDependencies`), for the report and OpenAPI. */
  readonly excluded: readonly string[];
}

/**
 * What fastify itself validates and serialises: the response schemas only. The core validates
 * every request location (path, query, headers, cookies, body) against the tree that runs, so
 * that an override's own parameters are validated as FastAPI does, and one 422 lists every
 * problem in FastAPI's order.
 */
function validationSchema(declared: ResponseSchemas | undefined): Record<string, unknown> | undefined {
  if (declared === undefined) return undefined;
  const response: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(declared)) response[status] = serializationSchema(schema);
  return { response };
}

/**
 * The request schemas in fastify's schema keys, for an OpenAPI generator other than the plugin's
 * (without `openapi`) to document; fastify does not validate them (see {@link noValidation}).
 */
function documentedRequestSchemas(route: RouteAnalysis): Record<string, unknown> {
  const rs = route.requestSchemas;
  const schema: Record<string, unknown> = {};
  if (rs.path) schema.params = rs.path;
  if (rs.query) schema.querystring = rs.query;
  if (rs.header) schema.headers = rs.header;
  if (rs.body && rs.bodyKind === "json") schema.body = rs.body;
  return schema;
}

/** The validator compiler of depends routes: fastify validates nothing, the core does. */
function noValidation(): () => true {
  return alwaysValid;
}
const alwaysValid = (): true => true;

/** FastAPI's operation id of the route, unless it declares its own. */
function operationIdFor(route: RouteAnalysis, flat: FlatRoute): string {
  return flat.spec.operationId ?? operationIdOf(flat.spec.name ?? flat.spec.handler.name, toOpenApiPath(route.path), route.method);
}

/**
 * FastAPI's name for a body that is not one whole `Body` source (several fields, an embedded one,
 * a form): `Body_<operationId>`. `undefined` when the body is one schema, or schemas are inlined.
 */
export function bodyNameOf(schemas: RequestSchemas, operationId: string, components: SchemaComponents): string | undefined {
  return schemas.body !== undefined && !schemas.wholeBody && !components.inline ? `Body_${operationId}` : undefined;
}

/** The body's component name when registration named it (else the body is written inline). */
function registeredBodyName(schemas: RequestSchemas, operationId: string, components: SchemaComponents): string | undefined {
  const name = bodyNameOf(schemas, operationId, components);
  return name !== undefined && components.has(name) ? name : undefined;
}

/** Registers the named schemas of a documented route (refusing a name two schemas claim). */
function nameSchemas(components: SchemaComponents, route: RouteAnalysis, flat: FlatRoute): void {
  const schemas = route.requestSchemas;
  const bodyName = bodyNameOf(schemas, operationIdFor(route, flat), components);
  for (const location of ["path", "query", "header", "cookie"] as const) components.collect(schemas[location], route.route);
  if (bodyName !== undefined && schemas.body !== undefined) components.name(bodyName, schemas.body, route.route);
  else components.collect(schemas.body, route.route);
  for (const schema of Object.values(flat.spec.response ?? {})) components.collect(schema, route.route);
}

/** The route's documentation fields: summary, description, tags, operation id, security. */
function documentationFields(route: RouteAnalysis, flat: FlatRoute, documented: boolean, withSecurity: boolean): Record<string, unknown> {
  const { spec } = flat;
  const fields: Record<string, unknown> = {};
  const name = spec.name ?? spec.handler.name;
  const summary = spec.summary ?? summaryOf(name);
  if (summary !== undefined) fields.summary = summary;
  if (spec.description !== undefined) fields.description = spec.description;
  if (flat.tags.length > 0) fields.tags = [...new Set(flat.tags)];
  fields.operationId = operationIdFor(route, flat);
  if (spec.deprecated) fields.deprecated = true;
  if (withSecurity && route.security.length > 0) fields.security = route.security;
  if (flat.excluded.length > 0) fields["x-excluded-dependencies"] = flat.excluded;
  if (!documented) fields.hide = true;
  return fields;
}

/**
 * The @fastify/swagger transform of every depends route (one function, shared): the operation is
 * built from the mounted route when the document is first asked for, so that registration keeps
 * no documentation object per route.
 */
function transformOperation({ schema, url, route }: { schema: FastifySchema; url: string; route: FastifyRouteOptions }): { schema: FastifySchema; url: string } {
  const mounted = (route.config as { [kMounted]?: MountedRoute } | undefined)?.[kMounted];
  if (mounted === undefined) return { schema, url };
  const { spec } = mounted.flat;
  const fields = documentationFields(mounted.route.analysis, mounted.flat, spec.includeInSchema !== false, true);
  const { requestSchemas } = mounted.route;
  return {
    schema: operationSchema(schema, {
      requestSchemas,
      response: mounted.response,
      status: spec.status ?? 200,
      responseDescription: spec.responseDescription ?? "Successful Response",
      fields,
      components: mounted.components,
      bodyName: registeredBodyName(requestSchemas, fields.operationId as string, mounted.components),
    }),
    url,
  };
}

/**
 * `public` and `optionalAuth` must mean what they say, and `secureByDefault` refuses routes that
 * forgot their security or let anonymous requests through without saying so.
 */
export function checkPublic(state: DependsState, route: RouteAnalysis, declaredPublic: boolean, declaredOptional: boolean): void {
  const authentication = authenticationOf(route);
  if (declaredPublic && authentication === "required") {
    const names = route.securitySchemes.map((scheme) => scheme.name).join(", ");
    throw new DeclarationError("DEPENDS_NOT_PUBLIC", `The route is declared public but requires ${names}: remove \`public: true\` or the security`, { route: route.route });
  }
  if (declaredOptional && authentication !== "optional") {
    throw new DeclarationError(
      "DEPENDS_NOT_OPTIONAL_AUTH",
      `The route is declared \`optionalAuth: true\` but its authentication is ${authentication === "none" ? "absent (no security scheme)" : "required"}: remove \`optionalAuth\``,
      { route: route.route },
    );
  }
  if (!state.secureByDefault || declaredPublic || declaredOptional) return;
  if (authentication === "none") {
    throw new DeclarationError(
      "DEPENDS_NOT_PUBLIC",
      "The route has no security and is not declared public (secureByDefault): add a security dependency or `public: true`",
      { route: route.route },
    );
  }
  if (authentication === "optional") {
    throw new DeclarationError(
      "DEPENDS_NOT_PUBLIC",
      "The route lets anonymous requests through (an `autoError: false` scheme or an `anyOf` alternative requiring nothing) and is not declared so (secureByDefault): add `optionalAuth: true` (or `public: true`), or require the security",
      { route: route.route },
    );
  }
}

/** A route's run timeout, checked at registration: a positive number of milliseconds, or none. */
function runTimeout(timeout: number | undefined, route: string): number | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0 || timeout > 2_147_483_647) {
    throw new DeclarationError("DEPENDS_INVALID_TIMEOUT", `timeout must be a positive number of milliseconds (at most 2147483647), got ${String(timeout)}`, { route });
  }
  return timeout;
}

function withHook<T>(theirs: T | T[] | undefined, ours: T): T[] {
  return theirs === undefined ? [ours] : [...(Array.isArray(theirs) ? theirs : [theirs]), ours];
}

/**
 * Compiles a route (declaration errors surface here, at registration) and registers it on the
 * fastify instance: fastify's schemas for validation, serialisation and docs, the handler, and the
 * teardown hooks only when the plan has request-scoped generators.
 */
export function mountRoute(instance: FastifyInstance, state: DependsState, flat: FlatRoute): void {
  const { spec } = flat;
  const url = toFastifyPath(flat.path);
  const method = spec.method.toUpperCase();
  const definition = { method, path: instance.prefix + url, sources: spec.sources ?? {}, handler: spec.handler, dependencies: flat.dependencies, name: spec.name };
  const analysis = analyzeRoute(definition, { cache: state.cache });
  refuseSocketSource(analysis, definition.sources, true);
  const declaredPublic = spec.public === true;
  checkPublic(state, analysis, declaredPublic, spec.optionalAuth === true);
  const documented = spec.includeInSchema !== false;
  state.schemes.add(analysis, documented);
  if (state.documented && documented) nameSchemas(state.schemas, analysis, flat);
  const route = planRoute(analysis, { overrides: state.overrides });
  const rs = analysis.requestSchemas;
  const response = jsonResponseSchemas(spec.response, analysis.route);
  const mounted: MountedRoute = {
    route,
    status: spec.status !== undefined && spec.status !== 200 ? spec.status : undefined,
    form: rs.bodyKind === "form" ? new FormReader(rs.body) : undefined,
    scoped: route.scoped,
    flat,
    public: declaredPublic,
    timeout: runTimeout(spec.timeout ?? state.timeout, analysis.route),
    response,
    components: state.schemas,
  };
  // The report entry is built when the report is asked for.
  state.report.push(mounted);
  const extras = spec.fastify ?? {};
  const config: Record<string | symbol, unknown> = extras.config === undefined ? { [kMounted]: mounted } : { ...extras.config, [kMounted]: mounted };
  let schema = validationSchema(response);
  if (state.documented) config.swaggerTransform = transformOperation;
  // Without the plugin's @fastify/swagger, the documentation fields and request schemas stay in
  // fastify's schema for another one to read (without `security`: it would not know the schemes).
  else schema = { ...schema, ...documentedRequestSchemas(analysis), ...documentationFields(analysis, flat, documented, false) };
  if (rs.files.length > 0 && state.multipart === undefined) {
    throw new DeclarationError(
      "DEPENDS_MULTIPART_DISABLED",
      `File source "${rs.files[0]?.name}" needs multipart/form-data bodies, which this app does not read with @fastify/multipart (dependsPlugin's \`multipart: false\`, or another multipart parser)`,
      { route: analysis.route },
    );
  }
  const handler = rs.files.length > 0 ? settlingUploads(routeHandler(mounted)) : routeHandler(mounted);
  const options: FastifyRouteOptions = {
    ...extras,
    method,
    url,
    handler: handler as FastifyRouteOptions["handler"],
    config: config as FastifyRouteOptions["config"],
    validatorCompiler: noValidation,
  };
  if (schema !== undefined) options.schema = schema as FastifySchema;
  if (rs.bodyKind === "form" && state.multipart !== undefined) {
    options.preValidation = withHook(extras.preValidation, multipartBodyHook(rs, state.multipart)) as FastifyRouteOptions["preValidation"];
  }
  if (mounted.scoped) {
    options.onResponse = withHook(extras.onResponse, closeAfterResponse) as FastifyRouteOptions["onResponse"];
    options.onRequestAbort = withHook(extras.onRequestAbort, closeOnAbort) as FastifyRouteOptions["onRequestAbort"];
  }
  instance.route(options);
}
