import type { JsonSchema, StandardField } from "../compile/request-schema.js";
import { MAX_VALIDATION_ITEMS } from "../compile/limits.js";
import type { ParamLocation, ValidationErrorItem } from "../errors.js";
import type { StandardSchemaV1 } from "../standard-schema.js";
import { coerceValue } from "./coerce.js";
import { standardIssueItems } from "./standard-issues.js";
import { type BodyShape, compileLocationValidator, inFieldOrder, missingBody } from "./validator.js";

/**
 * Validates one request location holding Standard Schema parameters. Returns the location's value,
 * or a promise of it when a validator answered asynchronously (an async refinement); `errors` is
 * filled once the value is known.
 */
export type StandardLocationValidator = (value: unknown, errors: ValidationErrorItem[]) => unknown;

type Result = StandardSchemaV1.Result<unknown>;

/** The location's schema without its Standard Schema properties: what typebox still validates. */
function typeboxPart(schema: JsonSchema, fields: readonly StandardField[]): JsonSchema {
  const standard = new Set(fields.map((field) => field.wire));
  const properties = Object.fromEntries(Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {}).filter(([name]) => !standard.has(name)));
  const required = ((schema.required as readonly string[] | undefined) ?? []).filter((name) => !standard.has(name));
  const { required: _all, ...rest } = schema;
  return required.length > 0 ? { ...rest, properties, required } : { ...rest, properties };
}

/**
 * Compiles the validator of a location where some parameters are Standard Schema validators (zod,
 * valibot...). typebox parameters are checked as on any route; each Standard one is coerced from
 * text by its derived JSON Schema (query, path, header, cookie and form values; docs/standard-schema.md#coercion),
 * then given to its validator, whose output is the injected value. Every problem of the location
 * is reported, in field order, whether the validators answered synchronously or not; a location
 * whose validators are all synchronous never makes a promise.
 */
export function compileStandardLocationValidator(location: ParamLocation, schema: JsonSchema, body: BodyShape, fields: readonly StandardField[]): StandardLocationValidator {
  const form = location === "body" && body.kind === "form";
  const convert = location !== "body" || form;
  const jsonBody = location === "body" && !form;
  const fieldOrder = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  if (jsonBody && body.whole) return wholeBodyValidator(schema, body, fields[0] as StandardField);
  const typebox = compileLocationValidator(location, typeboxPart(schema, fields), body);
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  return (value, errors) => {
    if (jsonBody && value === undefined) {
      if (body.required) errors.push(...missingBody(schema, body));
      return undefined;
    }
    const items: ValidationErrorItem[] = [];
    const input = typebox(value, items) as Record<string, unknown>;
    let pending: Promise<void>[] | undefined;
    for (const field of fields) {
      const { wire, param } = field;
      const property = properties[wire] ?? {};
      let raw = input[wire];
      if (raw === undefined && "default" in property) raw = structuredClone(property.default);
      if (raw === undefined) {
        if (field.required) {
          items.push({ type: "missing", loc: [location, wire], msg: "Field required", input: null });
          continue;
        }
        if (!param.acceptsUndefined) continue;
      } else if (convert) raw = coerceValue(property, raw);
      const apply = (result: Result): void => {
        if (result.issues !== undefined) items.push(...standardIssueItems(param.vendor, [location, wire], result.issues, raw, property));
        else if (result.value !== undefined || Object.hasOwn(input, wire)) input[wire] = result.value;
      };
      const result = param.validator["~standard"].validate(raw);
      if (result instanceof Promise) (pending ??= []).push(result.then(apply));
      else apply(result);
    }
    const finish = (): Record<string, unknown> => {
      errors.push(...inFieldOrder(items, fieldOrder).slice(0, Math.max(0, MAX_VALIDATION_ITEMS - errors.length)));
      return input;
    };
    return pending === undefined ? finish() : Promise.all(pending).then(finish);
  };
}

/** A JSON body that is one Standard Schema source as a whole (`Body(zodSchema)`). */
function wholeBodyValidator(schema: JsonSchema, body: BodyShape, field: StandardField): StandardLocationValidator {
  const { validator, vendor } = field.param;
  const fieldOrder = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  return (value, errors) => {
    if (value === undefined && !field.param.acceptsUndefined) {
      if (body.required) errors.push(...missingBody(schema, body));
      return undefined;
    }
    const apply = (result: Result): unknown => {
      if (result.issues === undefined) return result.value;
      errors.push(...inFieldOrder(standardIssueItems(vendor, ["body"], result.issues, value, schema), fieldOrder).slice(0, Math.max(0, MAX_VALIDATION_ITEMS - errors.length)));
      return value;
    };
    const result = validator["~standard"].validate(value);
    return result instanceof Promise ? result.then(apply) : apply(result);
  };
}
