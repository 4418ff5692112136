import { createRequire } from "node:module";
import type { Compile as CompileFn } from "typebox/compile";
import type { JsonSchema } from "../compile/request-schema.js";
import { type ParamLocation, RequestValidationError, type ValidationErrorItem } from "../errors.js";
import { withDefaults } from "./coerce.js";
import { type SchemaError, validationErrorItems } from "./error-items.js";

// typebox's compiler weighs several megabytes of heap: load it (synchronously, Node >= 20.19
// requires ES modules) only when a route needs the core to validate something.
let compile: typeof CompileFn | undefined;
function compiler(): typeof CompileFn {
  compile ??= (createRequire(import.meta.url)("typebox/compile") as { Compile: typeof CompileFn }).Compile;
  return compile;
}

/** Validates (and coerces, and fills defaults of) one request location. */
export type LocationValidator = (value: unknown, errors: ValidationErrorItem[]) => unknown;

/**
 * Drops form fields whose value is the empty string: FastAPI treats them as missing.
 *
 * @example
 * ```ts
 * dropEmptyFormValues({ username: "", password: "x" }); // { password: "x" }
 * ```
 */
export function dropEmptyFormValues(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (value !== "") out[key] = value;
  return out;
}

/**
 * Compiles a typebox validator for a location's schema. Text is coerced to the schema's types
 * (query, path, header, cookie and form values arrive as text), defaults are filled in; the input
 * itself is never mutated.
 */
export function compileLocationValidator(location: ParamLocation, schema: JsonSchema, form: boolean, required: boolean): LocationValidator {
  const compiled = compiler()(schema as never);
  const fieldOrder = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  const convert = location !== "body" || form;
  const jsonBody = location === "body" && !form;
  return (value, errors) => {
    if (jsonBody && value === undefined) {
      if (required) errors.push({ type: "missing", loc: ["body"], msg: "Field required", input: null });
      return undefined;
    }
    const input = withDefaults(schema, (form ? dropEmptyFormValues(value) : value) ?? {}, convert);
    if (!compiled.Check(input)) {
      errors.push(...inFieldOrder(validationErrorItems(location, [...compiled.Errors(input)] as unknown as SchemaError[], input), fieldOrder));
    }
    return input;
  };
}

/**
 * FastAPI reports a location's problems field by field, in declaration order; typebox reports
 * missing fields first. A stable sort by the field's position restores FastAPI's order.
 */
function inFieldOrder(items: ValidationErrorItem[], fieldOrder: readonly string[]): ValidationErrorItem[] {
  const rank = (item: ValidationErrorItem): number => {
    const index = typeof item.loc[1] === "string" ? fieldOrder.indexOf(item.loc[1]) : -1;
    return index < 0 ? fieldOrder.length : index;
  };
  return items.map((item, i) => [rank(item), i, item] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , item]) => item);
}

/** Throws {@link RequestValidationError} when `errors` is not empty. */
export function assertNoErrors(errors: readonly ValidationErrorItem[]): void {
  if (errors.length > 0) throw new RequestValidationError(errors);
}
