/**
 * The items of a 422 for what fastify's Ajv refused, in FastAPI's shape and order: every failed
 * location (path, query, header, cookie, body, as FastAPI's `solve_dependencies` reports them),
 * each location's problems in the order its fields are declared. The locations the core validates
 * (cookies, forms, optional bodies) are checked too, so that one answer lists every problem.
 */
import { type ParamLocation, RequestValidationError, type SchemaError, type ValidationErrorItem, validationErrorItems } from "@depends/core";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPart, PartFailure } from "./all-errors.js";
import { fieldOf, isInstance } from "./error-fields.js";
import { RequestView } from "./request-view.js";
import type { MountedRoute } from "./route-handler.js";
import { kMounted } from "./symbols.js";

/** fastify's validation parts, as FastAPI names them in `loc`. */
const LOCATION: Readonly<Record<string, ParamLocation>> = { params: "path", querystring: "query", headers: "header", body: "body" };
const RANK: Readonly<Record<string, number>> = { path: 0, query: 1, header: 2, cookie: 3, body: 4 };

/**
 * The most problems one 422 lists. With every error collected, a 1 MiB JSON array of 500,000 wrong
 * items would otherwise be mapped into a 60 MB answer (seconds of CPU, hundreds of MB of heap);
 * FastAPI lists them all. Past this many, the list stops.
 *
 * @example
 * ```ts
 * response.json().detail.length <= MAX_VALIDATION_ITEMS; // always
 * ```
 */
export const MAX_VALIDATION_ITEMS = 100;

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

function partItems(part: FastifyPart | string, errors: readonly unknown[], request: FastifyRequest): ValidationErrorItem[] {
  const location = LOCATION[part] ?? "body";
  const input = part === "params" ? request.params : part === "querystring" ? request.query : part === "headers" ? request.headers : request.body;
  if (location === "body" && (input === undefined || input === null)) return missingBody(request);
  return validationErrorItems(location, errors.slice(0, MAX_VALIDATION_ITEMS) as readonly SchemaError[], input);
}

/** The problems of the locations the core validates, or none when they pass (or the route is not ours). */
function coreItems(mounted: MountedRoute | undefined, request: FastifyRequest, reply: FastifyReply): readonly ValidationErrorItem[] {
  if (mounted === undefined) return [];
  const plan = mounted.route.plan;
  if (!plan.validates) return [];
  try {
    plan.inputs(new RequestView(request, reply, mounted.form));
    return [];
  } catch (error) {
    return isInstance(error, RequestValidationError) ? (error as RequestValidationError).errors : [];
  }
}

/** FastAPI's order: by location, then by the field's position in its location's schema. */
function inFastApiOrder(items: readonly ValidationErrorItem[], mounted: MountedRoute | undefined): ValidationErrorItem[] {
  const schemas = mounted?.route.requestSchemas as Partial<Record<ParamLocation, { properties?: Record<string, unknown> }>> | undefined;
  const fieldRank = (item: ValidationErrorItem): number => {
    const fields = Object.keys(schemas?.[item.loc[0] as ParamLocation]?.properties ?? {});
    const index = typeof item.loc[1] === "string" ? fields.indexOf(item.loc[1]) : -1;
    return index < 0 ? fields.length : index;
  };
  return items
    .map((item, i) => ({ item, i, location: RANK[String(item.loc[0])] ?? 5, field: fieldRank(item) }))
    .sort((a, b) => a.location - b.location || a.field - b.field || a.i - b.i)
    .map(({ item }) => item);
}

/**
 * The 422 items for a fastify validation error: every part the plugin's compiler collected (or the
 * one part fastify's own compiler reported), the core's locations, in FastAPI's order.
 *
 * @example
 * ```ts
 * const detail = validationItems(error, request, reply); // [{ type: "int_parsing", loc: ["path", "itemId"], ... }, ...]
 * ```
 */
export function validationItems(error: FastifyError, request: FastifyRequest, reply: FastifyReply): ValidationErrorItem[] {
  const failures = fieldOf(error, "failures");
  const mounted = mountedOf(request);
  // fastify's own compiler (a plain route, or `allErrors: false`): its one failed part, as before.
  if (!Array.isArray(failures)) {
    const part = (error.validationContext ?? "body") as FastifyPart;
    return inFastApiOrder(partItems(part, (error.validation ?? []) as readonly unknown[], request), mounted).slice(0, MAX_VALIDATION_ITEMS);
  }
  const items = (failures as PartFailure[]).flatMap((failure) => partItems(failure.part, failure.errors, request));
  return inFastApiOrder([...items, ...coreItems(mounted, request, reply)], mounted).slice(0, MAX_VALIDATION_ITEMS);
}
