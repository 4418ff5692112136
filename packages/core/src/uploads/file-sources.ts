import type { TSchema } from "typebox";
import { DeclarationError } from "../errors.js";
import type { ParamSource } from "../params.js";
import { kSource } from "../symbols.js";
import type { UploadFile } from "./upload-file.js";

/**
 * Options of {@link File} and {@link Files}.
 *
 * @example
 * ```ts
 * File({ description: "A picture of the hero", maxSize: 2 * 1024 * 1024, accept: ["image/png", "image/jpeg"] });
 * ```
 */
export interface FileOptions {
  /** The form field's name when it differs from the source's key. */
  readonly alias?: string;
  /** Shown in the OpenAPI document. */
  readonly description?: string;
  /** `false` makes the field optional: the value is then `undefined` when no file was sent. */
  readonly required?: boolean;
  /** The most bytes one file of this field may have; a larger one is refused with 413 while it streams in. */
  readonly maxSize?: number;
  /**
   * The content types this field accepts (`"image/png"`, or `"image/*"` for any image); another is
   * a 422 (`file_type`). Parameters such as `; charset=utf-8` are ignored, case too.
   */
  readonly accept?: readonly string[];
}

/**
 * What a file field declares, beyond its documented schema.
 *
 * @example
 * ```ts
 * const spec: FileFieldSpec = File({ maxSize: 1024 }).file; // { multiple: false, maxSize: 1024, accept: undefined }
 * ```
 */
export interface FileFieldSpec {
  /** `Files()`: the field holds a list of files. */
  readonly multiple: boolean;
  readonly maxSize: number | undefined;
  readonly accept: readonly string[] | undefined;
}

/**
 * A `multipart/form-data` file field, declared with {@link File} or {@link Files}.
 *
 * @example
 * ```ts
 * const picture: FileSource<UploadFile | undefined> = File({ required: false });
 * ```
 */
export interface FileSource<T> extends ParamSource<T> {
  readonly location: "file";
  readonly file: FileFieldSpec;
}

/**
 * The value a file source injects: `UploadFile` (or a list), `| undefined` with `required: false`.
 *
 * @example
 * ```ts
 * type Picture = FileValue<UploadFile, { required: false }>; // UploadFile | undefined
 * ```
 */
export type FileValue<T, O> = O extends { readonly required: false } ? T | undefined : T;

// FastAPI (pydantic v2, OpenAPI 3.1) documents a file as a binary string this way. The schema is
// written out rather than built with typebox's `Type`, which an app without typebox parameters
// should not load (see password-form.ts); validation never runs it: file fields are checked apart.
const BINARY = { type: "string", contentMediaType: "application/octet-stream" } as const;

function documentedSchema(multiple: boolean, required: boolean): TSchema {
  const one = multiple ? { type: "array", items: { ...BINARY } } : { ...BINARY };
  // An optional file is `UploadFile | None` in FastAPI: documented as "binary or null".
  return (required ? one : { anyOf: [one, { type: "null" }] }) as unknown as TSchema;
}

const MEDIA_RANGE = /^[a-z0-9!#$&^_.+-]+\/(\*|[a-z0-9!#$&^_.+-]+)$/i;

function fileSource<T>(multiple: boolean, options: FileOptions | undefined): FileSource<T> {
  const what = multiple ? "Files()" : "File()";
  const opts = options ?? {};
  if (opts.maxSize !== undefined && (typeof opts.maxSize !== "number" || !Number.isSafeInteger(opts.maxSize) || opts.maxSize < 0)) {
    throw new DeclarationError("DEPENDS_INVALID_FILE_OPTION", `${what} maxSize must be a whole number of bytes, got ${String(opts.maxSize)}`);
  }
  if (opts.accept !== undefined) {
    const bad = Array.isArray(opts.accept) ? opts.accept.find((type) => typeof type !== "string" || !MEDIA_RANGE.test(type)) : opts.accept;
    if (!Array.isArray(opts.accept) || opts.accept.length === 0 || bad !== undefined) {
      throw new DeclarationError("DEPENDS_INVALID_FILE_OPTION", `${what} accept must be a non-empty list of content types such as "image/png" or "image/*", got ${JSON.stringify(bad ?? opts.accept)}`);
    }
  }
  const required = opts.required !== false;
  return Object.freeze({
    [kSource]: "param" as const,
    location: "file" as const,
    schema: documentedSchema(multiple, required),
    alias: opts.alias,
    required,
    hasDefault: false,
    default: undefined,
    description: opts.description,
    embed: false,
    convertUnderscores: false,
    file: Object.freeze({ multiple, maxSize: opts.maxSize, accept: opts.accept === undefined ? undefined : Object.freeze(opts.accept.map((type) => type.toLowerCase())) }),
  });
}

/**
 * A file of a `multipart/form-data` body (FastAPI's `file: UploadFile` / `File()`): the value is an
 * {@link UploadFile}. A missing file is a 422 `missing` at `["body", "<name>"]`, unless
 * `required: false` (then `undefined`). `Form` fields of the same route come from the same body.
 *
 * @example
 * ```ts
 * api.post("/files/", { file: File(), token: Form(Type.String()) }, async ({ file, token }) => ({
 *   fileSize: file.size, token, contentType: file.contentType,
 * }));
 * ```
 */
export function File<const O extends FileOptions = {}>(options?: O): FileSource<NoInfer<FileValue<UploadFile, O>>> {
  // `NoInfer` keeps `| undefined` in the phantom value type, where `ValueOf` reads it (as `Query` does).
  return fileSource(false, options);
}

/**
 * Several files sent under one field name (FastAPI's `files: list[UploadFile]`): the value is an
 * array of {@link UploadFile}, in the order the client sent them. `maxSize` and `accept` apply to
 * each file.
 *
 * @example
 * ```ts
 * api.post("/uploadfiles/", { files: Files() }, ({ files }) => ({ filenames: files.map((file) => file.filename) }));
 * ```
 */
export function Files<const O extends FileOptions = {}>(options?: O): FileSource<NoInfer<FileValue<UploadFile[], O>>> {
  return fileSource(true, options);
}

/**
 * Whether a parameter source is a file field.
 *
 * @example
 * ```ts
 * isFileSource(File()); // true
 * ```
 */
export function isFileSource(source: ParamSource<unknown>): source is FileSource<unknown> {
  return source.location === "file";
}
