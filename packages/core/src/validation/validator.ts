import { createRequire } from "node:module";
import type { Compile as CompileFn } from "typebox/compile";
import type { FileField, JsonSchema } from "../compile/request-schema.js";
import { type ParamLocation, RequestValidationError, type ValidationErrorItem } from "../errors.js";
import { MAX_VALIDATION_ITEMS } from "../compile/limits.js";
import { withDefaults } from "./coerce.js";
import { type SchemaError, validationErrorItems } from "./error-items.js";
import { checkFileFields, withoutFileFields } from "./file-fields.js";

// typebox's compiler weighs several megabytes of heap: load it (synchronously, Node >= 20.19
// requires ES modules) only when a route needs the core to validate something.
let compile: typeof CompileFn | undefined;
function compiler(): typeof CompileFn {
  compile ??= (createRequire(import.meta.url)("typebox/compile") as { Compile: typeof CompileFn }).Compile;
  return compile;
}

interface TypeboxSettings {
  Get(): { readonly maxErrors: number };
  Set(settings: { maxErrors: number }): void;
}
let settings: TypeboxSettings | undefined;

/**
 * typebox stops collecting errors at its process-wide `maxErrors` (8 by default); FastAPI lists
 * every problem. The setting is raised for this one synchronous call and put back before it
 * returns, so the application's own use of typebox never sees it changed.
 */
function allErrors<T>(collect: () => T): T {
  settings ??= (createRequire(import.meta.url)("typebox/system") as { Settings: TypeboxSettings }).Settings;
  const previous = settings.Get().maxErrors;
  settings.Set({ maxErrors: MAX_VALIDATION_ITEMS });
  try {
    return collect();
  } finally {
    settings.Set({ maxErrors: previous });
  }
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

/** What a location's validator needs to know of the route's body. */
export interface BodyShape {
  /** `"form"` bodies arrive as text fields and are coerced; JSON bodies are not. */
  readonly kind: "json" | "form" | undefined;
  readonly required: boolean;
  /** The body is one non-embedded source: the value is the whole body. */
  readonly whole: boolean;
  /** The form body's file fields, checked apart from its schema (an upload is not JSON). */
  readonly files: readonly FileField[];
}

/** FastAPI's answer to a JSON body that is absent: the body, or each required field of it. */
export function missingBody(schema: JsonSchema, body: BodyShape): ValidationErrorItem[] {
  const required = body.whole ? [] : ((schema.required as readonly string[] | undefined) ?? []);
  if (required.length === 0) return [{ type: "missing", loc: ["body"], msg: "Field required", input: null }];
  return required.map((name) => ({ type: "missing", loc: ["body", name], msg: "Field required", input: null }));
}

/**
 * Compiles a typebox validator for a location's schema. Text is coerced to the schema's types
 * (query, path, header, cookie and form values arrive as text), defaults are filled in; the input
 * itself is never mutated. A location's value comes out as a null-prototype copy (see `withDefaults`).
 */
export function compileLocationValidator(location: ParamLocation, documented: JsonSchema, body: BodyShape): LocationValidator {
  const form = location === "body" && body.kind === "form";
  const files = form ? body.files : [];
  const schema = files.length > 0 ? withoutFileFields(documented, files) : documented;
  const compiled = compiler()(schema as never);
  const fieldOrder = Object.keys((documented.properties as Record<string, unknown> | undefined) ?? {});
  const convert = location !== "body" || form;
  const jsonBody = location === "body" && !form;
  const container = !(jsonBody && body.whole);
  return (value, errors) => {
    if (jsonBody && value === undefined) {
      if (body.required) errors.push(...missingBody(schema, body));
      return undefined;
    }
    const input = withDefaults(schema, (form ? dropEmptyFormValues(value) : value) ?? {}, convert, container);
    // Built only when there is something to report: the valid path allocates nothing more.
    let found = files.length > 0 ? checkFileFields(files, input as Record<string, unknown>) : undefined;
    if (!compiled.Check(input) && errors.length < MAX_VALIDATION_ITEMS) {
      (found ??= []).push(...validationErrorItems(location, allErrors(() => compiled.Errors(input)) as unknown as SchemaError[], input));
    }
    if (found !== undefined && found.length > 0) errors.push(...inFieldOrder(found, fieldOrder).slice(0, Math.max(0, MAX_VALIDATION_ITEMS - errors.length)));
    return input;
  };
}

/**
 * FastAPI reports a location's problems field by field, in declaration order; typebox reports
 * missing fields first. A stable sort by the field's position restores FastAPI's order.
 */
export function inFieldOrder(items: ValidationErrorItem[], fieldOrder: readonly string[]): ValidationErrorItem[] {
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
