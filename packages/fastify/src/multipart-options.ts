import { tmpdir } from "node:os";
import { DeclarationError } from "@depends/core";

/**
 * Limits and spooling of `multipart/form-data` bodies (the `multipart` option of `dependsPlugin`).
 * Sizes are in bytes. A body beyond a size or count limit is refused with 413 and a `detail`
 * naming the limit; the body is read no further and what was spooled is deleted.
 *
 * @example
 * ```ts
 * await app.register(dependsPlugin, {
 *   multipart: { fileSize: 20 * 1024 * 1024, files: 10, totalSize: 50 * 1024 * 1024, spoolThreshold: 256 * 1024, tmpDir: "/var/tmp" },
 * });
 * ```
 */
export interface MultipartOptions {
  /** The most bytes one file may have (default 100 MiB); a `File({ maxSize })` may lower it per field. */
  readonly fileSize?: number;
  /** The most files one body may carry (default 1,000, Starlette's `max_files`). */
  readonly files?: number;
  /** The most text fields one body may carry (default 1,000, Starlette's `max_fields`). */
  readonly fields?: number;
  /** The most bytes one text field may have (default 1 MiB, Starlette's `max_part_size`). */
  readonly fieldSize?: number;
  /** The most bytes of files and field values one body may carry in all (default 1 GiB). */
  readonly totalSize?: number;
  /** A file larger than this many bytes is written to a temporary file instead of memory (default 1 MiB, Starlette's). */
  readonly spoolThreshold?: number;
  /** Where spooled files go (default the OS temporary directory); each is deleted at the request's teardown. */
  readonly tmpDir?: string;
}

/** The plugin's multipart settings, every limit filled in. */
export interface MultipartLimits {
  readonly fileSize: number;
  readonly files: number;
  readonly fields: number;
  readonly fieldSize: number;
  readonly totalSize: number;
  readonly spoolThreshold: number;
  readonly tmpDir: string;
}

const MiB = 1024 * 1024;
const DEFAULTS = { fileSize: 100 * MiB, files: 1000, fields: 1000, fieldSize: MiB, totalSize: 1024 * MiB, spoolThreshold: MiB } as const;

function limit(options: MultipartOptions, name: keyof typeof DEFAULTS): number {
  const value = options[name];
  if (value === undefined) return DEFAULTS[name];
  if (typeof value !== "number" || !(Number.isSafeInteger(value) || value === Infinity) || value < 0) {
    throw new DeclarationError("DEPENDS_INVALID_FILE_OPTION", `dependsPlugin multipart.${name} must be a whole number (or Infinity), got ${String(value)}`);
  }
  return value;
}

/** Checks the plugin's `multipart` option and fills in the defaults. */
export function multipartLimits(options: MultipartOptions = {}): MultipartLimits {
  if (options.tmpDir !== undefined && (typeof options.tmpDir !== "string" || options.tmpDir === "")) {
    throw new DeclarationError("DEPENDS_INVALID_FILE_OPTION", `dependsPlugin multipart.tmpDir must be a directory path, got ${JSON.stringify(options.tmpDir)}`);
  }
  return Object.freeze({
    fileSize: limit(options, "fileSize"),
    files: limit(options, "files"),
    fields: limit(options, "fields"),
    fieldSize: limit(options, "fieldSize"),
    totalSize: limit(options, "totalSize"),
    spoolThreshold: limit(options, "spoolThreshold"),
    tmpDir: options.tmpDir ?? tmpdir(),
  });
}
