/**
 * The stable codes of every error the library throws at registration time.
 *
 * @example
 * ```ts
 * if (error instanceof DeclarationError && (error.code satisfies DeclarationErrorCode) === "DEPENDS_CYCLE") report(error.path);
 * ```
 */
export type DeclarationErrorCode =
  // The core (compiling a route's tree): docs/errors.md#core
  | "DEPENDS_CYCLE"
  | "DEPENDS_INVALID_SCOPE"
  | "DEPENDS_SCOPE_MISMATCH"
  | "DEPENDS_INVALID_SOURCE"
  | "DEPENDS_UNKNOWN_PATH_PARAM"
  | "DEPENDS_CONFLICTING_PARAM"
  | "DEPENDS_BODY_AND_FORM"
  | "DEPENDS_INVALID_DEPENDENCY"
  | "DEPENDS_UNDECLARED_SCOPE"
  | "DEPENDS_SCHEME_NAME_CONFLICT"
  | "DEPENDS_TREE_TOO_DEEP"
  | "DEPENDS_TREE_TOO_LARGE"
  | "DEPENDS_INVALID_SCHEMA"
  | "DEPENDS_INVALID_ALTERNATIVES"
  | "DEPENDS_NOT_A_DEPENDENCY"
  | "DEPENDS_INVALID_TEARDOWN_SCOPE"
  | "DEPENDS_INVALID_ROUTE_DEPENDENCY"
  | "DEPENDS_INVALID_HANDLER"
  | "DEPENDS_RESERVED_SOURCE_NAME"
  | "DEPENDS_INVALID_SCHEME_OPTION"
  // Adapters (mounting routes on a framework): docs/errors.md#fastify-adapter
  | "DEPENDS_NOT_PUBLIC"
  | "DEPENDS_NOT_OPTIONAL_AUTH"
  | "DEPENDS_ROUTER_MOUNTED"
  | "DEPENDS_SKIPS_APP_DEPENDENCIES"
  | "DEPENDS_UNKNOWN_ROUTE_OPTION"
  | "DEPENDS_INVALID_PREFIX"
  | "DEPENDS_INVALID_INCLUDE"
  | "DEPENDS_INCLUDE_CYCLE"
  | "DEPENDS_EMPTY_PATH"
  | "DEPENDS_INVALID_ROUTE_ARGUMENTS"
  | "DEPENDS_PLUGIN_TWICE"
  | "DEPENDS_PLUGIN_MISSING"
  | "DEPENDS_INVALID_TIMEOUT"
  | "DEPENDS_WEBSOCKET_SOURCE"
  | "DEPENDS_WEBSOCKET_PLUGIN_MISSING"
  | "DEPENDS_APP_SCOPE_REQUEST_SOURCE"
  | "DEPENDS_APP_SCOPE_SHORTER_LIFETIME"
  | "DEPENDS_REQUEST_OUTSIDE_HTTP"
  | "DEPENDS_CONTEXT_CONFLICT"
  | "DEPENDS_EXCLUDED_NOT_INHERITED"
  | "DEPENDS_WEBSOCKET_BACKGROUND_TASKS"
  | "DEPENDS_NO_JSON_SCHEMA"
  | "DEPENDS_SCHEMA_NAME_CONFLICT"
  | "DEPENDS_INVALID_SCHEMA_NAME"
  | "DEPENDS_WEBHOOK_OPENAPI_VERSION"
  | "DEPENDS_DUPLICATE_WEBHOOK"
  | "DEPENDS_INVALID_FILE_OPTION"
  | "DEPENDS_MULTIPART_DISABLED";

/**
 * A mistake in a developer's declarations, found when a route is compiled (at registration), never
 * per request. `code` is stable; `route` and `path` locate the mistake.
 *
 * @example
 * ```ts
 * try {
 *   compileRoute({ method: "GET", path: "/x", sources: { s: Security(dep, { scopes: ["bad scope"] }) }, handler: () => 1 });
 * } catch (error) {
 *   if (error instanceof DeclarationError && error.code === "DEPENDS_INVALID_SCOPE") console.error(error.message);
 * }
 * ```
 */
export class DeclarationError extends Error {
  override readonly name = "DeclarationError";
  /** Stable, machine-readable code. */
  readonly code: DeclarationErrorCode;
  /** The route, as `METHOD /path`, when known. */
  readonly route: string | undefined;
  /** The dependency path from the route to the offending node, e.g. `["currentUser", "getCurrentUser"]`. */
  readonly path: readonly string[];

  constructor(code: DeclarationErrorCode, message: string, where: { route?: string | undefined; path?: readonly string[] } = {}) {
    const located = [where.route ? `route ${where.route}` : "", where.path && where.path.length > 0 ? `at ${where.path.join(" -> ")}` : ""]
      .filter(Boolean)
      .join(", ");
    super(located ? `${message} (${located})` : message);
    this.code = code;
    this.route = where.route;
    this.path = where.path ?? [];
  }
}

/**
 * A header map as sent with an {@link HTTPException}.
 *
 * @example
 * ```ts
 * const headers: HeaderMap = { "WWW-Authenticate": "Bearer" };
 * ```
 */
export type HeaderMap = Readonly<Record<string, string>>;

/**
 * An error that becomes an HTTP response: `status`, a JSON body `{"detail": detail}` and `headers`.
 * Throw it from any dependency or handler, exactly as FastAPI's `HTTPException`.
 *
 * @example
 * ```ts
 * throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
 * ```
 */
export class HTTPException extends Error {
  override readonly name: string = "HTTPException";
  readonly status: number;
  /** Any JSON value; `undefined` lets the adapter use the status's reason phrase, as Starlette does. */
  readonly detail: unknown;
  readonly headers: HeaderMap | undefined;

  constructor(status: number, detail?: unknown, headers?: HeaderMap) {
    super(typeof detail === "string" ? detail : `HTTP ${status}`);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new RangeError(`HTTPException status must be an integer from 100 to 599, got ${String(status)}`);
    }
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
}

/**
 * Where a request value came from: the first element of a validation error's `loc`.
 *
 * @example
 * ```ts
 * const where: ParamLocation = error.errors[0]?.loc[0] as ParamLocation; // "query"
 * ```
 */
export type ParamLocation = "path" | "query" | "header" | "cookie" | "body";

/**
 * One validation problem, in FastAPI's (pydantic v2) shape.
 *
 * @example
 * ```ts
 * const item: ValidationErrorItem = { type: "missing", loc: ["body", "password"], msg: "Field required", input: null };
 * ```
 */
export interface ValidationErrorItem {
  readonly type: string;
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

/**
 * Invalid request input; adapters answer it with 422 `{"detail": errors}`.
 *
 * @example
 * ```ts
 * throw new RequestValidationError([{ type: "missing", loc: ["query", "q"], msg: "Field required", input: null }]);
 * ```
 */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  readonly errors: readonly ValidationErrorItem[];

  constructor(errors: readonly ValidationErrorItem[]) {
    super(`${errors.length} validation error${errors.length === 1 ? "" : "s"}: ${errors.map((e) => `${e.loc.join(".")}: ${e.msg}`).join("; ")}`);
    this.errors = errors;
  }
}
