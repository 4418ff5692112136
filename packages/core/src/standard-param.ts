import type { JsonSchema } from "./compile/request-schema.js";
import type { StandardSchemaV1 } from "./standard-schema.js";
import { deriveJsonSchema, type JsonSchemaOption } from "./validation/standard-json-schema.js";

/**
 * What a parameter declared with a Standard Schema validator carries besides its JSON Schema.
 *
 * @example
 * ```ts
 * const q = Query(z.string().min(3));
 * q.standard?.vendor; // "zod"
 * ```
 */
export interface StandardParam {
  /** The validator the core runs on the (coerced) value. */
  readonly validator: StandardSchemaV1;
  readonly vendor: string;
  /** The validator accepts an absent value (zod's `.optional()` or `.default()`, valibot's `optional()`): the parameter is optional. */
  readonly acceptsUndefined: boolean;
  /** Why no JSON Schema could be derived (the route's registration then fails), or `undefined`. */
  readonly problem: string | undefined;
}

/**
 * Whether the validator accepts `undefined`, asked once at declaration. An asynchronous validator
 * cannot answer synchronously: it counts as required unless the source says `required: false` or
 * gives a `default`.
 */
function acceptsUndefined(validator: StandardSchemaV1): boolean {
  let result: ReturnType<StandardSchemaV1["~standard"]["validate"]>;
  try {
    result = validator["~standard"].validate(undefined);
  } catch {
    return false;
  }
  if (result instanceof Promise) {
    result.catch(() => undefined);
    return false;
  }
  return result.issues === undefined;
}

/** The JSON Schema (documentation and coercion) and Standard part of a parameter declared with `validator`. */
export function standardParam(validator: StandardSchemaV1, explicit: JsonSchemaOption | undefined): { schema: JsonSchema; standard: StandardParam } {
  const derived = deriveJsonSchema(validator, "input", explicit);
  const standard: StandardParam = Object.freeze({
    validator,
    vendor: validator["~standard"].vendor,
    acceptsUndefined: acceptsUndefined(validator),
    problem: derived.problem,
  });
  return { schema: derived.schema ?? {}, standard };
}
