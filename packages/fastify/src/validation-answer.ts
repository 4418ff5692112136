/**
 * The items of a 422 for what fastify's Ajv refused on a plain fastify route (depends routes are
 * validated by the core, which lists every problem itself), in FastAPI's shape.
 */
import { MAX_VALIDATION_ITEMS, type ParamLocation, type ValidationErrorItem } from "@depends/core";
import { type SchemaError, validationErrorItems } from "@depends/core/adapter";
import type { FastifyError, FastifyRequest } from "fastify";
import type { MountedRoute } from "./route-handler.js";
import { kMounted } from "./symbols.js";

/** fastify's validation parts, as FastAPI names them in `loc`. */
const LOCATION: Readonly<Record<string, ParamLocation>> = { params: "path", querystring: "query", headers: "header", body: "body" };

/**
 * The mounted depends route a request was routed to, if any.
 *
 * @example
 * ```ts
 * const schemas = mountedOf(request)?.route.requestSchemas;
 * ```
 */
export function mountedOf(request: FastifyRequest): MountedRoute | undefined {
  return (request.routeOptions?.config as { [kMounted]?: MountedRoute } | undefined)?.[kMounted];
}

/**
 * A missing JSON body, as FastAPI reports it: the body itself when the route reads it whole, else
 * each required field.
 *
 * @example
 * ```ts
 * missingBody(request); // [{ type: "missing", loc: ["body"], msg: "Field required", input: null }]
 * ```
 */
export function missingBody(request: FastifyRequest): ValidationErrorItem[] {
  const schemas = mountedOf(request)?.route.requestSchemas;
  const required = schemas && !schemas.wholeBody ? ((schemas.body?.required as readonly string[] | undefined) ?? []) : [];
  if (required.length === 0) return [{ type: "missing", loc: ["body"], msg: "Field required", input: null }];
  return required.map((name) => ({ type: "missing", loc: ["body", name], msg: "Field required", input: null }));
}

/**
 * The 422 items for a fastify validation error of a plain route: its one failed part (fastify
 * stops at the first), at most {@link MAX_VALIDATION_ITEMS} of them.
 *
 * @example
 * ```ts
 * const detail = validationItems(error, request); // [{ type: "int_parsing", loc: ["path", "itemId"], ... }]
 * ```
 */
export function validationItems(error: FastifyError, request: FastifyRequest): ValidationErrorItem[] {
  const part = error.validationContext ?? "body";
  const location = LOCATION[part] ?? "body";
  const input = part === "params" ? request.params : part === "querystring" ? request.query : part === "headers" ? request.headers : request.body;
  if (location === "body" && (input === undefined || input === null)) return missingBody(request);
  return validationErrorItems(location, ((error.validation ?? []) as readonly SchemaError[]).slice(0, MAX_VALIDATION_ITEMS), input);
}
