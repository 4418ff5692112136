import type { Multipart, MultipartFile } from "@fastify/multipart";
import { type FileField, HTTPException, type RequestSchemas } from "@depends/core";
import { fileTooLarge } from "@depends/core/adapter";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { MultipartLimits } from "./multipart-options.js";
import { drain, spoolFile } from "./spooled-upload.js";
import { RequestUploads } from "./upload-cleanup.js";

function append(body: Record<string, unknown>, name: string, value: unknown): void {
  const earlier = body[name];
  if (earlier === undefined) body[name] = value;
  else if (Array.isArray(earlier)) earlier.push(value);
  else body[name] = [earlier, value];
}

const sizeOf = (bytes: number): string => `${bytes} bytes`;

/**
 * What a parse failure answers: a limit is a 413 naming it, a malformed body a 400; what the disk
 * refused (a full or unwritable `tmpDir`) stays a server error.
 */
function answerOf(error: unknown, limits: MultipartLimits): unknown {
  if (error instanceof HTTPException) return error;
  const e = error as { code?: unknown; syscall?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof e.syscall === "string") return error;
  switch (e.code) {
    case "FST_FILES_LIMIT":
      return new HTTPException(413, `Too many files: a multipart body may carry at most ${limits.files} (multipart.files)`);
    case "FST_FIELDS_LIMIT":
      return new HTTPException(413, `Too many fields: a multipart body may carry at most ${limits.fields} (multipart.fields)`);
    case "FST_PARTS_LIMIT":
      return new HTTPException(413, `Too many parts: a multipart body may carry at most ${limits.files} files and ${limits.fields} fields`);
    case "FST_MP_PREMATURE_CLOSE":
      return new HTTPException(400, "The request was closed before its multipart/form-data body was complete");
  }
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) return error;
  return new HTTPException(400, `Invalid multipart/form-data body: ${typeof e.message === "string" ? e.message : String(error)}`);
}

/**
 * Reads a `multipart/form-data` body into the fields object a form route validates: text fields
 * as strings, declared file fields as spooled uploads, a repeated name as a list. Parts no source
 * declares are read to their end and dropped (they still count against the limits). A browser's
 * empty file input (no filename, no content) counts as absent.
 */
async function readParts(request: FastifyRequest, files: ReadonlyMap<string, FileField>, limits: MultipartLimits, uploads: RequestUploads | undefined): Promise<Record<string, unknown>> {
  const body = Object.create(null) as Record<string, unknown>;
  let total = 0;
  const count = (bytes: number): void => {
    total += bytes;
    if (total > limits.totalSize) throw new HTTPException(413, `Request body too large: the files and fields of a multipart body may total at most ${sizeOf(limits.totalSize)} (multipart.totalSize)`);
  };
  // The file size is enforced while spooling (per field); busboy's own bound is a backstop just
  // above it, which @fastify/multipart must not turn into its own error (`throwFileSizeLimit`,
  // read at run time but missing from its types).
  const options = {
    limits: { fileSize: limits.fileSize + 1, files: limits.files, fields: limits.fields, fieldSize: limits.fieldSize, parts: Infinity },
    throwFileSizeLimit: false,
  };
  const parts = request.parts(options as Parameters<FastifyRequest["parts"]>[0]);
  for await (const part of parts as AsyncIterable<Multipart>) {
    if (part.type === "file") {
      const field = files.get(part.fieldname);
      if (field === undefined || uploads === undefined) {
        await drain(part.file, count);
        continue;
      }
      const { filename, mimetype, encoding } = part as MultipartFile;
      const own = field.maxSize !== undefined && field.maxSize < limits.fileSize;
      const maxSize = own ? (field.maxSize as number) : limits.fileSize;
      const upload = await spoolFile(part.file, {
        field: part.fieldname,
        filename,
        contentType: mimetype,
        encoding,
        maxSize,
        tooLarge: () => fileTooLarge(part.fieldname, filename, maxSize, own ? "the field's maxSize" : "the maximum file size (multipart.fileSize)"),
        count,
        threshold: limits.spoolThreshold,
        tmpDir: limits.tmpDir,
      }, uploads);
      if (upload.filename !== "" || upload.size > 0) append(body, part.fieldname, upload);
      continue;
    }
    if (part.valueTruncated) throw new HTTPException(413, `Field too large: field ${JSON.stringify(part.fieldname)} exceeds the maximum field size of ${sizeOf(limits.fieldSize)} (multipart.fieldSize)`);
    // @fastify/multipart parses a part sent as application/json; a form field is text, as in FastAPI.
    const value = typeof part.value === "string" ? part.value : JSON.stringify(part.value);
    count(Buffer.byteLength(value));
    append(body, part.fieldname, value);
  }
  return body;
}

/**
 * The `preValidation` hook of a form route (Form and File sources): a `multipart/form-data` body
 * is read here, streaming, before the core validates it. Other bodies pass untouched (the
 * urlencoded parser already read them). Uploads are tracked for deletion at the request's end;
 * a body refused half-way deletes what it spooled before answering.
 */
export function multipartBodyHook(schemas: RequestSchemas, limits: MultipartLimits): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const files = new Map(schemas.files.map((field) => [field.name, field]));
  return async function readMultipartBody(request, reply) {
    if (!request.isMultipart()) return;
    const uploads = files.size > 0 ? new RequestUploads(request, reply) : undefined;
    try {
      request.body = await readParts(request, files, limits, uploads);
    } catch (error) {
      await uploads?.deleteNow();
      throw answerOf(error, limits);
    }
  };
}
