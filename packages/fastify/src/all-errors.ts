/**
 * One 422 listing every problem, as FastAPI's does. fastify validates a route's parts one after
 * the other (params, body, querystring, headers) and stops at the first that fails, and its Ajv
 * stops at the first error of that part. The routes of the plugin get their own validator
 * compiler instead (a route option: the application's other routes keep fastify's): an Ajv with
 * `allErrors`, whose per-part validators set a failure aside and let fastify go on, until the last
 * part answers for all of them.
 */
import AjvCompiler from "@fastify/ajv-compiler";
import type { FastifyInstance, FastifySchemaCompiler } from "fastify";

/**
 * The parts of a request fastify validates, in the order it validates them.
 *
 * @example
 * ```ts
 * const part: FastifyPart = "querystring"; // FastAPI's "query"
 * ```
 */
export type FastifyPart = "params" | "body" | "querystring" | "headers";
const FASTIFY_ORDER: readonly FastifyPart[] = ["params", "body", "querystring", "headers"];

/**
 * A failed part: fastify's name for it and Ajv's errors.
 *
 * @example
 * ```ts
 * const failure: PartFailure = { part: "params", errors: [{ keyword: "type", instancePath: "/itemId" }] };
 * ```
 */
export interface PartFailure {
  readonly part: FastifyPart;
  readonly errors: readonly unknown[];
}

/**
 * The validation error of a request whose fastify-validated parts failed: every failed part with
 * all its errors. Shaped as fastify's own (`code` FST_ERR_VALIDATION, `validation`,
 * `validationContext` of the first failure), so that other error handlers still read it.
 *
 * @example
 * ```ts
 * if (error instanceof PartsValidationError) console.log(error.failures.map((f) => f.part)); // ["params", "querystring"]
 * ```
 */
export class PartsValidationError extends Error {
  override readonly name = "PartsValidationError";
  readonly code = "FST_ERR_VALIDATION";
  readonly statusCode = 400;
  readonly failures: readonly PartFailure[];
  readonly validation: readonly unknown[];
  readonly validationContext: FastifyPart;

  constructor(failures: readonly PartFailure[]) {
    const first = failures[0] as PartFailure;
    super(`${failures.map((failure) => failure.part).join(", ")} failed validation`);
    this.failures = failures;
    this.validation = first.errors;
    this.validationContext = first.part;
  }
}

interface AjvValidate {
  (data: unknown, context?: { parentData?: object; parentDataProperty?: string }): boolean | Promise<unknown>;
  errors?: unknown[] | null;
  schemaEnv?: unknown;
}

/** Failures of earlier parts, per request, until the route's last validated part collects them. */
const pending = new WeakMap<object, PartFailure[]>();

function collecting(validate: AjvValidate, part: FastifyPart, last: boolean): AjvValidate {
  const check: AjvValidate = (data, context) => {
    const valid = validate(data, context);
    // An `$async` schema: no collecting, fastify handles its promise.
    if (typeof valid !== "boolean") return valid;
    const request = context?.parentData;
    if (request === undefined) {
      check.errors = validate.errors;
      return valid;
    }
    let failures = pending.get(request);
    if (!valid) {
      if (failures === undefined) pending.set(request, (failures = []));
      failures.push({ part, errors: validate.errors ?? [] });
    }
    if (!last || failures === undefined) return true;
    pending.delete(request);
    // fastify's answer for `{ error }`: it sets statusCode and code if missing, then calls the error handler.
    return { error: new PartsValidationError(failures) } as unknown as boolean;
  };
  // fastify passes the request as `parentData` only to validators that have a `schemaEnv` (Ajv's).
  check.schemaEnv = validate.schemaEnv ?? true;
  return check;
}

/**
 * The parts a route's fastify schema validates, or none.
 *
 * @example
 * ```ts
 * validatedParts({ params: P, querystring: Q, response: R }); // ["params", "querystring"]
 * ```
 */
export function validatedParts(schema: Record<string, unknown> | undefined): FastifyPart[] {
  return schema === undefined ? [] : FASTIFY_ORDER.filter((part) => schema[part] !== undefined);
}

type AjvOptions = { customOptions?: Record<string, unknown>; plugins?: unknown[]; onCreate?: unknown };

/**
 * The application's `ajv` option (`Fastify({ ajv: { customOptions, plugins } })`). fastify keeps
 * it only in its private options; its symbol is found by description, and when it cannot be, the
 * defaults apply.
 */
function applicationAjvOptions(instance: FastifyInstance): AjvOptions {
  for (let object: object | null = instance; object !== null; object = Object.getPrototypeOf(object)) {
    const symbol = Object.getOwnPropertySymbols(object).find((s) => s.description === "fastify.options");
    if (symbol !== undefined) return (object as Record<symbol, { ajv?: AjvOptions } | undefined>)[symbol]?.ajv ?? NO_OPTIONS;
  }
  return NO_OPTIONS;
}

// @fastify/ajv-compiler keys the Ajv instances of a pool by external schemas and custom options,
// not by plugins: one pool per application's options (as fastify has one per application), so
// that two apps with different plugins never share an Ajv.
const pools = new WeakMap<object, ReturnType<typeof AjvCompiler>>();
const NO_OPTIONS: AjvOptions = {};

function poolFor(options: AjvOptions): ReturnType<typeof AjvCompiler> {
  let pool = pools.get(options);
  if (pool === undefined) pools.set(options, (pool = AjvCompiler()));
  return pool;
}

/**
 * A validator compiler for one depends route whose fastify schema has `parts`: Ajv with fastify's
 * defaults, the application's `ajv` options and `allErrors` (unless the application set it), the
 * context's shared schemas; validators that collect every failed part into one
 * {@link PartsValidationError}.
 *
 * @example
 * ```ts
 * instance.route({ ...options, validatorCompiler: allErrorsCompiler(instance, ["params", "querystring"]) });
 * ```
 */
export function allErrorsCompiler(instance: FastifyInstance, parts: readonly FastifyPart[]): FastifySchemaCompiler<unknown> {
  const last = FASTIFY_ORDER.filter((part) => parts.includes(part)).at(-1);
  return ({ schema, httpPart }) => {
    const options = applicationAjvOptions(instance);
    const build = poolFor(options)(instance.getSchemas() as never, { ...options, customOptions: { allErrors: true, ...options.customOptions } } as never);
    const validate = build({ schema, httpPart } as never) as unknown as AjvValidate;
    const part = httpPart as FastifyPart;
    return collecting(validate, part, part === last) as never;
  };
}
