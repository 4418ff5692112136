import { STATUS_CODES } from "node:http";
import { type HeaderMap, HTTPException, RequestValidationError } from "@depends/core";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { describeThrown, fieldOf, isInstance, sendableHeaders } from "./error-fields.js";
import { missingBody, validationItems } from "./validation-answer.js";

/** Statuses whose responses carry no body (Starlette sends the headers only). */
function bodyless(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

interface Answer {
  readonly status: number;
  readonly detail: unknown;
  readonly headers: HeaderMap | undefined;
}

function headersOf(error: unknown): HeaderMap | undefined {
  const headers = fieldOf(error, "headers");
  return headers !== null && typeof headers === "object" ? (headers as HeaderMap) : undefined;
}

const SERVER_ERROR: Answer = { status: 500, detail: STATUS_CODES[500], headers: undefined };

/**
 * The status of an `HTTPException`, or `undefined` when `error` is not one or its status cannot be
 * answered. Recognised by name as well as by class: an app may load two copies of @depends/core (a
 * linked workspace and an installed package), whose classes differ. The class itself refuses
 * statuses outside 100-599, but a look-alike is only trusted with an error status (400-599): an
 * object named "HTTPException" with status 200 must not turn a failure into a success.
 */
function httpExceptionStatus(error: unknown): number | undefined {
  const genuine = isInstance(error, HTTPException);
  if (!genuine && !(isInstance(error, Error) && fieldOf(error, "name") === "HTTPException")) return undefined;
  const status = fieldOf(error, "status");
  if (typeof status !== "number" || !Number.isInteger(status)) return undefined;
  return status <= 599 && status >= (genuine ? 100 : 400) ? status : undefined;
}

function isRequestValidationError(error: unknown): error is RequestValidationError {
  return isInstance(error, RequestValidationError) || (isInstance(error, Error) && fieldOf(error, "name") === "RequestValidationError" && Array.isArray(fieldOf(error, "errors")));
}

/**
 * Decides FastAPI's answer to an error: `HTTPException` keeps its status, detail and headers;
 * validation problems (the core's, fastify's Ajv, a malformed body) are 422 with a list of items;
 * other client errors keep their status with their message as detail; anything else is a 500 whose
 * detail says nothing more.
 */
function answerTo(error: unknown, request: FastifyRequest, reply: FastifyReply): Answer {
  const httpStatus = httpExceptionStatus(error);
  if (httpStatus !== undefined) return { status: httpStatus, detail: fieldOf(error, "detail") ?? STATUS_CODES[httpStatus], headers: headersOf(error) };
  if (isRequestValidationError(error)) return { status: 422, detail: fieldOf(error, "errors"), headers: undefined };
  const e = (error ?? {}) as FastifyError & { headers?: unknown };
  const code = fieldOf(e, "code");
  if (code === "FST_ERR_VALIDATION" && Array.isArray(fieldOf(e, "validation"))) return { status: 422, detail: validationItems(e, request), headers: undefined };
  // Only reached when the app kept fastify's own JSON parser (`jsonParser: false`).
  if (code === "FST_ERR_CTP_EMPTY_JSON_BODY") return { status: 422, detail: missingBody(request), headers: undefined };
  if (code === "FST_ERR_CTP_INVALID_JSON_BODY") return { status: 400, detail: "There was an error parsing the body", headers: undefined };
  const statusCode = fieldOf(e, "statusCode");
  const status = typeof statusCode === "number" && Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599 ? statusCode : 500;
  if (status < 500) {
    const message = fieldOf(e, "message");
    return { status, detail: typeof message === "string" && message !== "" ? message : STATUS_CODES[status], headers: headersOf(e) };
  }
  // Server errors never reveal their message: it is in the log, with the stack.
  return { status, detail: STATUS_CODES[status] ?? STATUS_CODES[500], headers: undefined };
}

/** The answer's JSON body, or `undefined` when its detail cannot be serialised (a BigInt, a cycle). */
function bodyOf(answer: Answer): string | undefined {
  try {
    return JSON.stringify({ detail: answer.detail });
  } catch {
    return undefined;
  }
}

/** Logs as fastify's default handler does; a value pino cannot serialise is logged by description. */
function logError(error: unknown, status: number, request: FastifyRequest, reply: FastifyReply): void {
  const message = describeThrown(error);
  try {
    if (status >= 500) reply.log.error({ req: request, res: reply, err: error }, message);
    else reply.log.info({ res: reply, err: error }, message);
  } catch {
    if (status >= 500) reply.log.error({ req: request, res: reply }, message);
    else reply.log.info({ res: reply }, message);
  }
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
  let answer: Answer;
  try {
    answer = answerTo(error, request, reply);
  } catch {
    // Unreachable by design (every read above is guarded); a last line so that the handler itself
    // never throws, which would let fastify answer with the raw message.
    answer = SERVER_ERROR;
  }
  let body = bodyless(answer.status) ? undefined : bodyOf(answer);
  if (!bodyless(answer.status) && body === undefined) {
    answer = SERVER_ERROR;
    body = bodyOf(answer);
  }
  reply.code(answer.status);
  logError(error, answer.status, request, reply);
  for (const [name, value] of sendableHeaders(answer.headers, reply.log)) reply.header(name, value);
  if (body === undefined) return reply.send();
  return reply.type("application/json; charset=utf-8").send(body);
}
