import { DeclarationError, type Dependency, type RouteDependency, type SourceMap, type ValuesOf } from "@depends/core";
import { isSource } from "@depends/core/adapter";
import type { FastifyReply, HTTPMethods, RouteShorthandOptions } from "fastify";
import type { AnySchema, SchemaValue } from "@depends/core";

/**
 * Response schemas by status code (`200`, `"2xx"`, `"default"`...). fastify serialises a handler's
 * value with the schema of the reply's status and drops the fields it does not declare, as
 * FastAPI's `response_model` does. Declare success statuses only: errors are answered in FastAPI's
 * shape by the plugin's error handler.
 *
 * @example
 * ```ts
 * const response: ResponseSchemas = { 200: Type.Object({ username: Type.String() }) };
 * const alsoZod: ResponseSchemas = { 200: z.object({ username: z.string() }) }; // serialised by its JSON Schema
 * ```
 */
export type ResponseSchemas = { readonly [status: string]: AnySchema };

/**
 * The values a handler may return for `Rs`: a body one of the response schemas describes, or the
 * reply it took over. Anything when no response schema is declared.
 *
 * @example
 * ```ts
 * type Value = HandlerValue<{ 200: typeof User }>; // Static<typeof User> | FastifyReply
 * ```
 */
export type HandlerValue<Rs extends ResponseSchemas> = [keyof Rs] extends [never]
  ? unknown
  : string extends keyof Rs
    ? // Rs is still its constraint (an index signature) while an overload is being tried:
      // `Static<TSchema>` would be evaluated for nothing, at a cost of ~25k instantiations a route.
      unknown
    : { [K in keyof Rs]: SchemaValue<Rs[K]> }[keyof Rs] | FastifyReply;

/**
 * A route handler: receives exactly the values of its declared sources and returns the response
 * body (sent as JSON, serialised by the response schema when one is declared), or takes over the
 * reply through a `RawReply` source and returns it.
 *
 * @example
 * ```ts
 * const handler: RouteHandler<{ user: SecuritySource<User> }> = ({ user }) => ({ username: user.username });
 * ```
 */
export type RouteHandler<S extends SourceMap, Rs extends ResponseSchemas = {}> = (
  values: ValuesOf<S>,
) => HandlerValue<Rs> | PromiseLike<HandlerValue<Rs>>;

/**
 * fastify route options passed through as they are; hooks are combined with the plugin's own
 * (yours run first).
 *
 * @example
 * ```ts
 * const extras: FastifyRouteExtras = { bodyLimit: 4096, logLevel: "warn", onRequest: rateLimit };
 * ```
 */
export type FastifyRouteExtras = Omit<RouteShorthandOptions, "schema" | "attachValidation" | "validatorCompiler" | "serializerCompiler" | "schemaErrorFormatter">;

/**
 * What a route declares besides its method, path and handler: FastAPI's path operation parameters.
 *
 * @example
 * ```ts
 * api.get("/me/items/", {
 *   sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) },
 *   response: { 200: Type.Array(Item) },
 *   summary: "Read own items",
 *   dependencies: [Depends(auditLog)],
 * }, ({ currentUser }) => itemsOf(currentUser));
 * ```
 */
export interface RouteOptions<S extends SourceMap = SourceMap, Rs extends ResponseSchemas = ResponseSchemas> {
  /** The handler's named sources (default: none). */
  readonly sources?: S;
  /** Response schemas by status; they serialise (and filter) the handler's value and document it. */
  readonly response?: Rs;
  /** Status of a successful response (default 200), as FastAPI's `status_code`. */
  readonly status?: number;
  /** Run before the handler's own sources; their values are discarded (FastAPI's `dependencies=[...]`). */
  readonly dependencies?: readonly RouteDependency[];
  /**
   * Inherited dependencies (of the app, includes and routers) this route does not run, by
   * dependency; documented in the report and the OpenAPI operation (`x-excluded-dependencies`).
   */
  readonly excludeDependencies?: readonly Dependency[];
  readonly tags?: readonly string[];
  /** Default: the handler's name in title case (`readOwnItems` -> "Read Own Items"). */
  readonly summary?: string;
  readonly description?: string;
  /** Description of the success response (default "Successful Response"). */
  readonly responseDescription?: string;
  /** Default: FastAPI's `<name>_<path>_<method>` in snake case. */
  readonly operationId?: string;
  readonly deprecated?: boolean;
  /** `false` leaves the route out of the OpenAPI document (FastAPI's `include_in_schema`). */
  readonly includeInSchema?: boolean;
  /** Name of the route in error messages and the default summary (default: the handler's name). */
  readonly name?: string;
  /** Extra fastify route options (`bodyLimit`, `config`, `constraints`, hooks...). */
  readonly fastify?: FastifyRouteExtras;
  /**
   * Declares that the route needs no security, on purpose: the security report lists it as public
   * and `secureByDefault` accepts it. A route marked public that requires a security scheme fails at
   * registration (one whose authentication is optional may be declared public).
   */
  readonly public?: boolean;
  /**
   * Declares that anonymous requests are accepted on purpose although the route reaches a security
   * scheme (an `autoError: false` scheme, or `anyOf(..., Depends(nobody))`): `secureByDefault`
   * refuses such a route otherwise. A route declared so whose authentication is not optional fails
   * at registration (`DEPENDS_NOT_OPTIONAL_AUTH`).
   */
  readonly optionalAuth?: boolean;
  /**
   * The most milliseconds the route's run (its dependencies, then its handler, until the value to
   * send is ready) may take: past it the answer is a 503 `{"detail": ...}`, the run stops before its
   * next step, and request-scoped teardowns run with the response. Default: the plugin's `timeout`
   * (none unless set). Node's `requestTimeout` bounds only the receiving of the request.
   */
  readonly timeout?: number;
}

/**
 * A complete route for {@link Router.route}: method, path, handler and options.
 *
 * @example
 * ```ts
 * api.route({ method: "PUT", path: "/items/{itemId}", sources: { itemId: Path(Type.Integer()) }, handler: ({ itemId }) => ({ itemId }) });
 * ```
 */
export interface RouteSpec<S extends SourceMap = SourceMap, Rs extends ResponseSchemas = ResponseSchemas> extends RouteOptions<S, Rs> {
  readonly method: HTTPMethods;
  /** fastify (`/items/:id`) or FastAPI (`/items/{id}`) syntax. */
  readonly path: string;
  readonly handler: RouteHandler<S, Rs>;
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  "sources", "response", "status", "dependencies", "excludeDependencies", "tags", "summary", "description", "responseDescription", "operationId", "deprecated", "includeInSchema", "name", "fastify", "public", "optionalAuth", "timeout",
] satisfies (keyof RouteOptions)[]);

/**
 * Reads the second argument of a route shorthand: a sources map (`{ user: Depends(getUser) }`,
 * only sources) or route options (`{ sources, response }`). An object that is neither is refused,
 * so that a dependency passed without `Depends(...)` cannot silently become an ignored option.
 */
export function routeOptionsOf(value: object, route: string): RouteOptions {
  const keys = Object.keys(value);
  if (keys.every((key) => isSource((value as Record<string, unknown>)[key]))) return { sources: value as SourceMap };
  const unknown = keys.find((key) => !OPTION_KEYS.has(key));
  if (unknown !== undefined) {
    throw new DeclarationError("DEPENDS_UNKNOWN_ROUTE_OPTION", `"${unknown}" is neither a source nor a route option (a sources map holds only sources: wrap dependencies as Depends(dep))`, { route });
  }
  return value as RouteOptions;
}

/**
 * Converts FastAPI path syntax to fastify's: `/items/{itemId}` -> `/items/:itemId`. fastify syntax
 * passes through unchanged.
 */
export function toFastifyPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
}

/** Checks a router or include prefix as FastAPI does: it starts with "/" and does not end with one. */
export function checkPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === "") return "";
  if (typeof prefix !== "string" || !prefix.startsWith("/") || prefix.endsWith("/")) {
    throw new DeclarationError("DEPENDS_INVALID_PREFIX", `A router prefix must start with "/" and must not end with "/", got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}
