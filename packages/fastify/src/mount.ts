import { type CompiledRoute, compileRoute, DeclarationError, type ParamLocation, type RouteDependency, type SourceMap } from "@depends/core";
import type { FastifyInstance, FastifySchema, RouteOptions as FastifyRouteOptions } from "fastify";
import { allErrorsCompiler, validatedParts } from "./all-errors.js";
import { FormReader } from "./form-body.js";
import { operationIdOf, summaryOf, toOpenApiPath } from "./operation-names.js";
import { operationSchema } from "./operation-docs.js";
import { hasRequestTeardown, type MountedRoute, routeHandler } from "./route-handler.js";
import { type ResponseSchemas, type RouteSpec, toFastifyPath } from "./route-options.js";
import type { DependsState } from "./state.js";
import { kMounted } from "./symbols.js";
import { closeAfterResponse, closeOnAbort } from "./teardown-hooks.js";

/** A route of a router tree, with everything inherited from its routers and includes. */
export interface FlatRoute {
  readonly spec: RouteSpec<SourceMap, ResponseSchemas>;
  /** The full path under the fastify instance's prefix, in either syntax. */
  readonly path: string;
  readonly tags: readonly string[];
  /** App, include, router and route dependencies, in FastAPI's order. */
  readonly dependencies: readonly RouteDependency[];
}

// fastify's compiled Ajv validates and coerces these; the core validates the rest (cookies, forms,
// optional bodies), which fastify's schema cannot express with FastAPI's semantics.
const NATIVE: readonly ParamLocation[] = ["path", "query", "header", "body"];
const NATIVE_WITHOUT_BODY: readonly ParamLocation[] = ["path", "query", "header"];

function compile(state: DependsState, flat: FlatRoute, method: string, path: string): CompiledRoute {
  const { spec } = flat;
  const definition = { method, path, sources: spec.sources ?? {}, handler: spec.handler, dependencies: flat.dependencies, name: spec.name };
  const route = compileRoute(definition, { overrides: state.overrides, nativeValidation: NATIVE });
  const { bodyKind, bodyRequired } = route.requestSchemas;
  // The body's kind is known once the tree is walked; forms and optional bodies need the core.
  if (bodyKind === "form" || (bodyKind === "json" && !bodyRequired)) {
    return compileRoute(definition, { overrides: state.overrides, nativeValidation: NATIVE_WITHOUT_BODY });
  }
  return route;
}

/** What fastify validates and serialises: the native request locations and the response schemas. */
function validationSchema(route: CompiledRoute, flat: FlatRoute): Record<string, unknown> | undefined {
  const rs = route.requestSchemas;
  const schema: Record<string, unknown> = {};
  // Only present keys: fastify warns about a schema location set to `undefined`.
  if (rs.path) schema.params = rs.path;
  if (rs.query) schema.querystring = rs.query;
  if (rs.header) schema.headers = rs.header;
  if (rs.body && rs.bodyKind === "json" && rs.bodyRequired) schema.body = rs.body;
  if (flat.spec.response) schema.response = flat.spec.response;
  return Object.keys(schema).length > 0 ? schema : undefined;
}

/** The route's documentation fields: summary, description, tags, operation id, security. */
function documentationFields(route: CompiledRoute, flat: FlatRoute, documented: boolean, withSecurity: boolean): Record<string, unknown> {
  const { spec } = flat;
  const fields: Record<string, unknown> = {};
  const name = spec.name ?? spec.handler.name;
  const summary = spec.summary ?? summaryOf(name);
  if (summary !== undefined) fields.summary = summary;
  if (spec.description !== undefined) fields.description = spec.description;
  if (flat.tags.length > 0) fields.tags = [...new Set(flat.tags)];
  fields.operationId = spec.operationId ?? operationIdOf(name, toOpenApiPath(route.path), route.method);
  if (spec.deprecated) fields.deprecated = true;
  if (withSecurity && route.security.length > 0) fields.security = route.security;
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
  return {
    schema: operationSchema(schema, {
      requestSchemas: mounted.route.requestSchemas,
      response: spec.response,
      status: spec.status ?? 200,
      responseDescription: spec.responseDescription ?? "Successful Response",
      fields: documentationFields(mounted.route, mounted.flat, spec.includeInSchema !== false, true),
    }),
    url,
  };
}

/** `public` must mean what it says, and `secureByDefault` refuses routes that forgot their security. */
function checkPublic(state: DependsState, route: CompiledRoute, declaredPublic: boolean): void {
  const secured = route.securitySchemes.length > 0;
  if (declaredPublic && secured) {
    const names = route.securitySchemes.map((scheme) => scheme.name).join(", ");
    throw new DeclarationError("DEPENDS_NOT_PUBLIC", `The route is declared public but requires ${names}: remove \`public: true\` or the security`, { route: route.route });
  }
  if (state.secureByDefault && !secured && !declaredPublic) {
    throw new DeclarationError(
      "DEPENDS_NOT_PUBLIC",
      "The route has no security and is not declared public (secureByDefault): add a security dependency or `public: true`",
      { route: route.route },
    );
  }
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
  const route = compile(state, flat, method, instance.prefix + url);
  const declaredPublic = spec.public === true;
  checkPublic(state, route, declaredPublic);
  const documented = spec.includeInSchema !== false;
  state.schemes.add(route, documented);
  const rs = route.requestSchemas;
  const mounted: MountedRoute = {
    route,
    status: spec.status !== undefined && spec.status !== 200 ? spec.status : undefined,
    form: rs.bodyKind === "form" ? new FormReader(rs.body) : undefined,
    scoped: hasRequestTeardown(route),
    flat,
    public: declaredPublic,
  };
  // The report entry is built when the report is asked for.
  state.report.push(mounted);
  const extras = spec.fastify ?? {};
  const config: Record<string | symbol, unknown> = extras.config === undefined ? { [kMounted]: mounted } : { ...extras.config, [kMounted]: mounted };
  let schema = validationSchema(route, flat);
  if (state.documented) config.swaggerTransform = transformOperation;
  // Without the plugin's @fastify/swagger, the documentation fields stay in fastify's schema for
  // another one to read (without `security`: it would not know the schemes).
  else schema = { ...schema, ...documentationFields(route, flat, documented, false) };
  const options: FastifyRouteOptions = {
    ...extras,
    method,
    url,
    handler: routeHandler(mounted) as FastifyRouteOptions["handler"],
    config: config as FastifyRouteOptions["config"],
  };
  if (schema !== undefined) options.schema = schema as FastifySchema;
  const parts = validatedParts(schema);
  if (state.allErrors && parts.length > 0) options.validatorCompiler = allErrorsCompiler(instance, parts);
  if (mounted.scoped) {
    options.onResponse = withHook(extras.onResponse, closeAfterResponse) as FastifyRouteOptions["onResponse"];
    options.onRequestAbort = withHook(extras.onRequestAbort, closeOnAbort) as FastifyRouteOptions["onRequestAbort"];
  }
  instance.route(options);
}
