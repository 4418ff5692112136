import type { ParamLocation, ValidationErrorItem } from "../errors.js";
import type { StandardSchemaV1 } from "../standard-schema.js";

// Standard Schema issues in FastAPI's 422 shape (docs/standard-schema.md#errors). The spec gives
// each issue a message and a path; its kind is vendor-specific (zod's `code`, valibot's `type`),
// mapped here to pydantic's error types where one means the same, so that clients see the same
// `type` for the same problem whichever library validated it. `msg` is the library's message
// (which the schema's author may have written); `input` is the value at the issue's path.

type Issue = StandardSchemaV1.Issue & Readonly<Record<string, unknown>>;
type Segment = string | number;

function segmentsOf(issue: Issue): Segment[] {
  const out: Segment[] = [];
  for (const part of issue.path ?? []) {
    const key = typeof part === "object" && part !== null ? (part as StandardSchemaV1.PathSegment).key : part;
    out.push(typeof key === "number" ? key : typeof key === "symbol" ? (key.description ?? "") : String(key));
  }
  return out;
}

function at(value: unknown, segments: readonly Segment[]): { found: boolean; value: unknown } {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return { found: false, value: undefined };
    current = (current as Record<Segment, unknown>)[segment];
  }
  return { found: current !== undefined, value: current };
}

function typeError(expected: string, input: unknown): string | undefined {
  const text = typeof input === "string";
  switch (expected) {
    case "string":
      return "string_type";
    case "number":
      return text ? "float_parsing" : "float_type";
    case "int":
    case "integer":
      return text ? "int_parsing" : typeof input === "number" ? "int_from_float" : "int_type";
    case "boolean":
      return text ? "bool_parsing" : "bool_type";
    case "object":
      return "model_attributes_type";
    case "array":
      return "list_type";
    case "null":
      return "none_required";
    default:
      return undefined;
  }
}

function bound(origin: unknown, inclusive: unknown, lower: boolean): string {
  if (origin === "string") return lower ? "string_too_short" : "string_too_long";
  if (origin === "array" || origin === "set") return lower ? "too_short" : "too_long";
  if (origin === "number" || origin === "int" || origin === "bigint") {
    return lower ? (inclusive === false ? "greater_than" : "greater_than_equal") : inclusive === false ? "less_than" : "less_than_equal";
  }
  return lower ? "too_small" : "too_big";
}

/** zod 4 issue codes. */
function zodType(issue: Issue, input: unknown): string {
  const code = String(issue.code);
  switch (code) {
    case "invalid_type":
      return typeError(String(issue.expected), input) ?? "type_error";
    case "too_small":
      return bound(issue.origin, issue.inclusive, true);
    case "too_big":
      return bound(issue.origin, issue.inclusive, false);
    case "invalid_format":
      return issue.format === "regex" ? "string_pattern_mismatch" : "string_format";
    case "not_multiple_of":
      return "multiple_of";
    case "invalid_value":
      return Array.isArray(issue.values) && issue.values.length === 1 ? "literal_error" : "enum";
    case "unrecognized_keys":
      return "extra_forbidden";
    case "custom":
      return "value_error";
    default:
      return code;
  }
}

const VALIBOT_FORMATS = new Set([
  "email", "rfc_email", "url", "uuid", "ulid", "cuid2", "nanoid", "ip", "ipv4", "ipv6", "mac", "mac48", "mac64", "iso_date", "iso_date_time", "iso_time", "iso_time_second",
  "iso_timestamp", "iso_week", "hexadecimal", "hex_color", "base64", "bic", "credit_card", "decimal", "digits", "emoji", "imei", "octal", "slug",
]);

/** valibot 1 issue types (the schema or action that failed). */
function valibotType(issue: Issue, input: unknown): string {
  const type = String(issue.type);
  if (issue.kind === "transformation") return "value_error";
  const text = typeof input === "string";
  switch (type) {
    case "string":
    case "number":
    case "boolean":
    case "object":
    case "array":
    case "null":
      return typeError(type, input) as string;
    case "loose_object":
    case "object_with_rest":
      return "model_attributes_type";
    case "strict_object":
      return input === undefined ? "model_attributes_type" : "extra_forbidden";
    case "integer":
      return "int_from_float";
    case "min_length":
      return text ? "string_too_short" : "too_short";
    case "max_length":
      return text ? "string_too_long" : "too_long";
    case "min_value":
      return "greater_than_equal";
    case "max_value":
      return "less_than_equal";
    case "gt_value":
      return "greater_than";
    case "lt_value":
      return "less_than";
    case "multiple_of":
      return "multiple_of";
    case "regex":
      return "string_pattern_mismatch";
    case "picklist":
    case "enum":
      return "enum";
    case "literal":
      return "literal_error";
    case "check":
    case "partial_check":
    case "custom":
      return "value_error";
    default:
      return VALIBOT_FORMATS.has(type) ? "string_format" : type;
  }
}

/** The part of a JSON Schema that describes the value at `segments`, if it can be followed. */
function schemaAt(schema: Readonly<Record<string, unknown>> | undefined, segments: readonly Segment[]): Readonly<Record<string, unknown>> | undefined {
  let current = schema;
  for (const segment of segments) {
    if (current === undefined) return undefined;
    const next = typeof segment === "number" ? current.items : (current.properties as Record<string, unknown> | undefined)?.[segment];
    current = next !== null && typeof next === "object" ? (next as Readonly<Record<string, unknown>>) : undefined;
  }
  return current;
}

function typeOf(vendor: string, issue: Issue, input: unknown, schema: Readonly<Record<string, unknown>> | undefined): string {
  // zod and valibot check "is a number" before "is an integer": text that is no integer where the
  // JSON Schema says `integer` is FastAPI's `int_parsing`, not `float_parsing`.
  const expected = vendor === "zod" && issue.code === "invalid_type" ? issue.expected : vendor === "valibot" && issue.kind === "schema" ? issue.type : undefined;
  if (expected === "number" && schema?.type === "integer") return typeError("int", input) as string;
  if (vendor === "zod") return zodType(issue, input);
  if (vendor === "valibot") return valibotType(issue, input);
  return typeof issue.code === "string" ? issue.code : typeof issue.type === "string" ? issue.type : "value_error";
}

/**
 * Converts a Standard Schema validator's issues for one value into FastAPI's 422 items. `prefix`
 * is where the value sits (`["query", "q"]`, or `["body"]` for a whole body); each issue's path
 * follows it in `loc`. An issue at a place the request left empty reads as FastAPI's
 * `{"type": "missing", "msg": "Field required", "input": null}`. `schema`, the value's JSON Schema,
 * refines the type of some issues (an `integer` the library reports as "not a number").
 *
 * @example
 * ```ts
 * standardIssueItems("zod", ["body"], [{ code: "invalid_type", expected: "string", path: ["name"], message: "Invalid input" }], { name: 1 });
 * // [{ type: "string_type", loc: ["body", "name"], msg: "Invalid input", input: 1 }]
 * ```
 */
export function standardIssueItems(
  vendor: string,
  prefix: readonly [ParamLocation, ...Segment[]],
  issues: readonly StandardSchemaV1.Issue[],
  value: unknown,
  schema?: Readonly<Record<string, unknown>>,
): ValidationErrorItem[] {
  const items: ValidationErrorItem[] = [];
  const seen = new Set<string>();
  const push = (item: ValidationErrorItem): void => {
    const key = `${item.loc.join("\u0000")}\u0001${item.type}`;
    if (seen.has(key)) return;
    seen.add(key);
    items.push(item);
  };
  for (const raw of issues) {
    const issue = raw as Issue;
    const segments = segmentsOf(issue);
    const loc = [...prefix, ...segments];
    // zod reports unknown keys once for their object; FastAPI (pydantic) lists each key.
    if (vendor === "zod" && issue.code === "unrecognized_keys" && Array.isArray(issue.keys)) {
      const parent = at(value, segments).value;
      for (const key of issue.keys as unknown[]) {
        const name = String(key);
        push({ type: "extra_forbidden", loc: [...loc, name], msg: issue.message, input: at(parent, [name]).value ?? null });
      }
      continue;
    }
    const found = at(value, segments);
    if (!found.found) {
      push({ type: "missing", loc, msg: "Field required", input: null });
      continue;
    }
    push({ type: typeOf(vendor, issue, found.value, schemaAt(schema, segments)), loc, msg: issue.message, input: found.value });
  }
  return items;
}
