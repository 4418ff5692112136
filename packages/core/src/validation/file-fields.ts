import type { FileField, JsonSchema } from "../compile/request-schema.js";
import { HTTPException, type ValidationErrorItem } from "../errors.js";
import { isUploadFile, type UploadFile } from "../uploads/upload-file.js";

/**
 * The schema a form body's text fields are validated against: its documented schema without the
 * file fields, which are checked by {@link checkFileFields} (an upload is an object, not the
 * binary string OpenAPI documents).
 */
export function withoutFileFields(schema: JsonSchema, files: readonly FileField[]): JsonSchema {
  const names = new Set(files.map((file) => file.name));
  const properties: Record<string, unknown> = {};
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) if (!names.has(name)) properties[name] = property;
  const required = ((schema.required ?? []) as readonly string[]).filter((name) => !names.has(name));
  return required.length > 0 ? { ...schema, properties, required } : { type: "object", properties };
}

/** `image/png; charset=x` -> `image/png`. */
function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(";");
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Whether `contentType` is one of `accept` (`type/*` ranges included).
 *
 * @example
 * ```ts
 * accepts(["image/*"], "image/png"); // true
 * ```
 */
export function accepts(accept: readonly string[], contentType: string): boolean {
  const type = mediaType(contentType);
  for (const range of accept) {
    if (range === type || range === "*/*") return true;
    if (range.endsWith("/*") && type.startsWith(range.slice(0, -1))) return true;
  }
  return false;
}

/**
 * The 413 of a file above a size limit: which file, which field, which limit.
 *
 * @example
 * ```ts
 * throw fileTooLarge("file", "big.bin", 1024, "the field's maxSize");
 * ```
 */
export function fileTooLarge(field: string, filename: string, limit: number, which: string): HTTPException {
  return new HTTPException(413, `File too large: ${JSON.stringify(filename)} in field ${JSON.stringify(field)} exceeds ${which} of ${limit} bytes`);
}

function received(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function checkOne(field: FileField, value: unknown, loc: readonly (string | number)[], errors: ValidationErrorItem[]): void {
  if (!isUploadFile(value)) {
    errors.push({ type: "value_error", loc, msg: `Value error, Expected UploadFile, received: ${received(value)}`, input: typeof value === "string" ? value : null, ctx: { error: {} } });
    return;
  }
  // The adapter refuses an oversized file while it streams in; this covers values built otherwise.
  if (field.maxSize !== undefined && value.size > field.maxSize) throw fileTooLarge(field.name, value.filename, field.maxSize, "the field's maxSize");
  if (field.accept !== undefined && !accepts(field.accept, value.contentType)) {
    const expected = field.accept.join(", ");
    errors.push({ type: "file_type", loc, msg: `File type should be ${field.accept.length === 1 ? "" : "one of "}${expected}`, input: value.contentType, ctx: { expected } });
  }
}

/**
 * Checks (and normalises, in `body`, a request's own copy) a form body's file fields: a required
 * one must be present, each value must be an upload (a text field sent under a file field's name
 * is not), of an accepted type and within `maxSize` (413). `Files` fields become lists.
 */
export function checkFileFields(files: readonly FileField[], body: Record<string, unknown>): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  for (const field of files) {
    let value = body[field.name];
    if (field.multiple && value !== undefined && !Array.isArray(value)) body[field.name] = value = [value];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (field.required) errors.push({ type: "missing", loc: ["body", field.name], msg: "Field required", input: null });
      else body[field.name] = undefined;
      continue;
    }
    if (field.multiple) (value as unknown[]).forEach((item, index) => checkOne(field, item, ["body", field.name, index], errors));
    else checkOne(field, Array.isArray(value) ? value[value.length - 1] : value, ["body", field.name], errors);
    if (!field.multiple && Array.isArray(value)) body[field.name] = value[value.length - 1] as UploadFile;
  }
  return errors;
}
