import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { UploadFile } from "@depends/core";
import { kUploadFile, partHeaders } from "@depends/core/adapter";
import type { RequestUploads } from "./upload-cleanup.js";

/**
 * An upload as the multipart reader received it: in memory up to the spool threshold, then in a
 * temporary file (which the request's {@link RequestUploads} deletes at teardown).
 */
class SpooledUpload implements UploadFile {
  readonly [kUploadFile] = true;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly #chunks: readonly Buffer[];
  readonly #path: string | undefined;

  constructor(field: string, filename: string, contentType: string, encoding: string, size: number, chunks: readonly Buffer[], path: string | undefined) {
    this.filename = filename;
    this.contentType = contentType;
    this.size = size;
    const transfer = encoding !== "" && encoding !== "7bit" ? { "content-transfer-encoding": encoding } : undefined;
    this.headers = Object.freeze(partHeaders(transfer, field, filename, contentType));
    this.#chunks = chunks;
    this.#path = path;
    Object.freeze(this);
  }

  stream(): Readable {
    return this.#path === undefined ? Readable.from(this.#chunks, { objectMode: false }) : createReadStream(this.#path);
  }

  async buffer(): Promise<Buffer> {
    return this.#path === undefined ? Buffer.concat(this.#chunks as Buffer[]) : readFile(this.#path);
  }

  async text(): Promise<string> {
    return (await this.buffer()).toString("utf8");
  }

  /** Not an enumerable field: a handler that returns the upload sends its description, not its bytes. */
  toJSON(): Record<string, unknown> {
    return { filename: this.filename, contentType: this.contentType, size: this.size };
  }
}

/** What {@link spoolFile} needs to know of the part and of its limits. */
export interface SpoolTarget {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly encoding: string;
  /** The most bytes this file may have; above it, `tooLarge` is thrown while the file streams in. */
  readonly maxSize: number;
  readonly tooLarge: () => Error;
  /** Counts bytes against the body's total (throws above it). */
  readonly count: (bytes: number) => void;
  readonly threshold: number;
  readonly tmpDir: string;
}

async function spill(target: SpoolTarget, uploads: RequestUploads, chunks: readonly Buffer[]): Promise<{ handle: FileHandle; path: string }> {
  const path = join(target.tmpDir, `depends-upload-${randomUUID()}`);
  // Recorded before it exists: whatever happens next, teardown deletes it.
  uploads.add(path);
  const handle = await open(path, "wx", 0o600);
  try {
    if (chunks.length > 0) await handle.writev(chunks as Buffer[]);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { handle, path };
}

/**
 * Reads one file part to its end, chunk by chunk: below the threshold in memory, past it into a new
 * temporary file (written as it arrives, so a large file never sits in memory whole; the part's
 * stream waits for each write). Throws when the file or the body grows past a limit.
 */
export async function spoolFile(stream: AsyncIterable<Buffer>, target: SpoolTarget, uploads: RequestUploads): Promise<UploadFile> {
  let chunks: Buffer[] = [];
  let size = 0;
  let file: { handle: FileHandle; path: string } | undefined;
  try {
    for await (const chunk of stream) {
      size += chunk.length;
      target.count(chunk.length);
      if (size > target.maxSize) throw target.tooLarge();
      if (file === undefined && size <= target.threshold) {
        chunks.push(chunk);
        continue;
      }
      if (file === undefined) {
        file = await spill(target, uploads, chunks);
        chunks = [];
      }
      await file.handle.write(chunk);
    }
  } finally {
    await file?.handle.close();
  }
  return new SpooledUpload(target.field, target.filename, target.contentType, target.encoding, size, chunks, file?.path);
}

/** Reads a part nobody declared to its end, counting its bytes against the body's total. */
export async function drain(stream: AsyncIterable<Buffer>, count: (bytes: number) => void): Promise<void> {
  for await (const chunk of stream) count(chunk.length);
}
