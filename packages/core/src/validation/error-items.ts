import type { ParamLocation, ValidationErrorItem } from "../errors.js";

/**
 * A JSON Schema validation error as Ajv (and therefore fastify) and typebox report it.
 *
 * @example
 * ```ts
 * const error: SchemaError = { keyword: "required", instancePath: "", params: { missingProperty: "q" } };
 * ```
 */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => {
      const s = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      return /^(0|[1-9]\d*)$/.test(s) ? Number(s) : s;
    });
}

function at(input: unknown, segments: readonly (string | number)[]): unknown {
  let value = input;
  for (const segment of segments) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

const TYPE_ERRORS: Record<string, [string, string] | undefined> = {
  string: ["string_type", "Input should be a valid string"],
  integer: ["int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
  number: ["float_parsing", "Input should be a valid number, unable to parse string as a number"],
  boolean: ["bool_parsing", "Input should be a valid boolean, unable to interpret input"],
  object: ["model_attributes_type", "Input should be a valid dictionary or object to extract fields from"],
  array: ["list_type", "Input should be a valid list"],
  null: ["none_required", "Input should be None"],
};

function quoteList(values: readonly unknown[]): string {
  const quoted = values.map((v) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v)));
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

function describe(error: SchemaError, input: unknown): { type: string; msg: string; ctx?: Record<string, unknown> } {
  const p = error.params;
  switch (error.keyword) {
    case "type": {
      const expected = String(Array.isArray(p.type) ? p.type[0] : p.type);
      const known = TYPE_ERRORS[expected];
      if (expected === "integer" && typeof input === "number") return { type: "int_from_float", msg: "Input should be a valid integer, got a number with a fractional part" };
      if (expected === "integer" && typeof input !== "string") return { type: "int_type", msg: "Input should be a valid integer" };
      return known ? { type: known[0], msg: known[1] } : { type: "type_error", msg: `Input should be of type ${expected}` };
    }
    case "pattern":
      return { type: "string_pattern_mismatch", msg: `String should match pattern '${String(p.pattern)}'`, ctx: { pattern: p.pattern } };
    case "minLength":
      return { type: "string_too_short", msg: `String should have at least ${String(p.limit)} character${p.limit === 1 ? "" : "s"}`, ctx: { min_length: p.limit } };
    case "maxLength":
      return { type: "string_too_long", msg: `String should have at most ${String(p.limit)} character${p.limit === 1 ? "" : "s"}`, ctx: { max_length: p.limit } };
    case "minimum":
      return { type: "greater_than_equal", msg: `Input should be greater than or equal to ${String(p.limit)}`, ctx: { ge: p.limit } };
    case "maximum":
      return { type: "less_than_equal", msg: `Input should be less than or equal to ${String(p.limit)}`, ctx: { le: p.limit } };
    case "exclusiveMinimum":
      return { type: "greater_than", msg: `Input should be greater than ${String(p.limit)}`, ctx: { gt: p.limit } };
    case "exclusiveMaximum":
      return { type: "less_than", msg: `Input should be less than ${String(p.limit)}`, ctx: { lt: p.limit } };
    case "multipleOf":
      return { type: "multiple_of", msg: `Input should be a multiple of ${String(p.multipleOf)}`, ctx: { multiple_of: p.multipleOf } };
    case "enum": {
      const allowed = (p.allowedValues as unknown[] | undefined) ?? [];
      return { type: "enum", msg: `Input should be ${quoteList(allowed)}`, ctx: { expected: quoteList(allowed) } };
    }
    case "const":
      return { type: "literal_error", msg: `Input should be ${quoteList([p.allowedValue])}`, ctx: { expected: quoteList([p.allowedValue]) } };
    case "format":
      return { type: "string_format", msg: `String should match format '${String(p.format)}'`, ctx: { format: p.format } };
    case "additionalProperties":
      return { type: "extra_forbidden", msg: "Extra inputs are not permitted" };
    case "minItems":
      return { type: "too_short", msg: `List should have at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"} after validation`, ctx: { min_length: p.limit } };
    case "maxItems":
      return { type: "too_long", msg: `List should have at most ${String(p.limit)} item${p.limit === 1 ? "" : "s"} after validation`, ctx: { max_length: p.limit } };
    default:
      return { type: error.keyword, msg: error.message ?? `Input failed the "${error.keyword}" rule` };
  }
}

/**
 * Converts schema errors of one request location into FastAPI's 422 items: `loc` is the location
 * followed by the path inside it; a missing field reads `{"type": "missing", "msg": "Field required", "input": null}`.
 *
 * @example
 * ```ts
 * validationErrorItems("body", [{ keyword: "required", instancePath: "", params: { missingProperty: "password" } }], {});
 * // [{ type: "missing", loc: ["body", "password"], msg: "Field required", input: null }]
 * ```
 */
export function validationErrorItems(location: ParamLocation, errors: readonly SchemaError[], input: unknown): ValidationErrorItem[] {
  const items: ValidationErrorItem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath);
    let item: ValidationErrorItem;
    if (error.keyword === "required") {
      // Ajv names one property per error, typebox lists them all in one.
      const parent = at(input, segments);
      const names = error.params.requiredProperties !== undefined ? (error.params.requiredProperties as unknown[]) : [error.params.missingProperty];
      for (const name of names) {
        const missing = String(name ?? "").replace(/^\./, "");
        if (parent !== null && typeof parent === "object" && (parent as Record<string, unknown>)[missing] !== undefined) continue;
        const key = `${[location, ...segments, missing].join("\u0000")}\u0001missing`;
        if (seen.has(key)) continue;
        seen.add(key);
        items.push({ type: "missing", loc: [location, ...segments, missing], msg: "Field required", input: null });
      }
      continue;
    } else {
      const loc = error.keyword === "additionalProperties" ? [location, ...segments, String(error.params.additionalProperty)] : [location, ...segments];
      const value = at(input, loc.slice(1));
      const { type, msg, ctx } = describe(error, value);
      item = ctx ? { type, loc, msg, input: value, ctx } : { type, loc, msg, input: value === undefined ? null : value };
    }
    // Union schemas report one error per branch at the same place: keep the first.
    const key = `${item.loc.join("\u0000")}\u0001${item.type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return items;
}
