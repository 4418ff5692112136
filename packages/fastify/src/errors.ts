import { STATUS_CODES } from "node:http";
import { type HeaderMap, HTTPException, type ParamLocation, RequestValidationError, type ValidationErrorItem } from "@depends/core";
import { type SchemaError, validationErrorItems } from "@depends/core/adapter";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { kMounted } from "./symbols.js";
import type { MountedRoute } from "./route-handler.js";

/** fastify's validation parts, as FastAPI names them in `loc`. */
const LOCATION: Readonly<Record<string, ParamLocation>> = { params: "path", querystring: "query", headers: "header", body: "body" };

/** Statuses whose responses carry no body (Starlette sends the headers only). */
function bodyless(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

interface Answer {
  readonly status: number;
  readonly detail: unknown;
  readonly headers: HeaderMap | undefined;
}

function mountedOf(request: FastifyRequest): MountedRoute | undefined {
  return (request.routeOptions?.config as { [kMounted]?: MountedRoute } | undefined)?.[kMounted];
}

/**
 * A missing JSON body, as FastAPI reports it: the body itself when the route reads it whole, else
 * each required field.
 */
function missingBody(request: FastifyRequest): ValidationErrorItem[] {
  const schemas = mountedOf(request)?.route.requestSchemas;
  const required = schemas && !schemas.wholeBody ? ((schemas.body?.required as readonly string[] | undefined) ?? []) : [];
  if (required.length === 0) return [{ type: "missing", loc: ["body"], msg: "Field required", input: null }];
  return required.map((name) => ({ type: "missing", loc: ["body", name], msg: "Field required", input: null }));
}

function fastifyValidationItems(error: FastifyError, request: FastifyRequest): ValidationErrorItem[] {
  const part = error.validationContext ?? "body";
  const location = LOCATION[part] ?? "body";
  const input = part === "params" ? request.params : part === "querystring" ? request.query : part === "headers" ? request.headers : request.body;
  if (location === "body" && (input === undefined || input === null)) return missingBody(request);
  return validationErrorItems(location, (error.validation ?? []) as readonly SchemaError[], input);
}

function headersOf(error: { headers?: unknown }): HeaderMap | undefined {
  const headers = error.headers;
  return headers !== null && typeof headers === "object" ? (headers as HeaderMap) : undefined;
}

// By name as well as by class: an app may load two copies of @depends/core (a linked workspace and
// an installed package), whose classes differ.
function isHTTPException(error: unknown): error is HTTPException {
  return error instanceof HTTPException || (error instanceof Error && error.name === "HTTPException" && typeof (error as HTTPException).status === "number");
}

function isRequestValidationError(error: unknown): error is RequestValidationError {
  return error instanceof RequestValidationError || (error instanceof Error && error.name === "RequestValidationError" && Array.isArray((error as RequestValidationError).errors));
}

/**
 * Decides FastAPI's answer to an error: `HTTPException` keeps its status, detail and headers;
 * validation problems (the core's, fastify's Ajv, a malformed body) are 422 with a list of items;
 * other client errors keep their status with their message as detail; anything else is a 500 whose
 * detail says nothing more.
 */
function answerTo(error: unknown, request: FastifyRequest): Answer {
  if (isHTTPException(error)) return { status: error.status, detail: error.detail ?? STATUS_CODES[error.status], headers: error.headers };
  if (isRequestValidationError(error)) return { status: 422, detail: error.errors, headers: undefined };
  const e = (error ?? {}) as FastifyError & { headers?: unknown };
  if (Array.isArray(e.validation) && e.code === "FST_ERR_VALIDATION") return { status: 422, detail: fastifyValidationItems(e, request), headers: undefined };
  // Only reached when the app kept fastify's own JSON parser (`jsonParser: false`).
  if (e.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return { status: 422, detail: missingBody(request), headers: undefined };
  if (e.code === "FST_ERR_CTP_INVALID_JSON_BODY") return { status: 400, detail: "There was an error parsing the body", headers: undefined };
  const status = typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode <= 599 ? e.statusCode : 500;
  if (status < 500) return { status, detail: e.message || STATUS_CODES[status], headers: headersOf(e) };
  // Server errors never reveal their message: it is in the log, with the stack.
  return { status, detail: STATUS_CODES[status] ?? "Internal Server Error", headers: undefined };
}

/**
 * The plugin's error handler, answering every error in FastAPI's shape (`{"detail": ...}`) and
 * logging it through fastify's logger (server errors at `error` with the stack, client errors at
 * `info`, as fastify's default handler does). Exported for apps that install their own handler in
 * a child context and want to fall back on it.
 *
 * @example
 * ```ts
 * app.setErrorHandler((error, request, reply) => {
 *   if (error instanceof PaymentRequired) return reply.code(402).send({ detail: "Pay first" });
 *   return dependsErrorHandler(error, request, reply);
 * });
 * ```
 */
export function dependsErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = answerTo(error, request);
  reply.code(answer.status);
  const message = error instanceof Error ? error.message : String(error);
  if (answer.status >= 500) reply.log.error({ req: request, res: reply, err: error }, message);
  else reply.log.info({ res: reply, err: error }, message);
  if (answer.headers) reply.headers(answer.headers);
  return bodyless(answer.status) ? reply.send() : reply.send({ detail: answer.detail });
}
