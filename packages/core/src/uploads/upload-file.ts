import { Readable } from "node:stream";

/**
 * An uploaded file of a `multipart/form-data` body, as FastAPI's `UploadFile`: what a
 * {@link File} or {@link Files} source injects. Its content is read on demand, from memory or
 * from the temporary file the adapter spooled it to; it stays readable until the request's
 * teardown, after which the adapter deletes the temporary file.
 *
 * @example
 * ```ts
 * api.post("/uploadfile/", { file: File() }, async ({ file }) => ({
 *   filename: file.filename, contentType: file.contentType, size: file.size, head: (await file.text()).slice(0, 10),
 * }));
 * ```
 */
export interface UploadFile {
  /** The name the client gave (the `filename` of the part's `Content-Disposition`, without any directory). */
  readonly filename: string;
  /** The part's `Content-Type` (`application/octet-stream` when the client sent none). */
  readonly contentType: string;
  /** The content's length in bytes. */
  readonly size: number;
  /** The part's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** A new stream of the whole content at each call (the content is never held twice in memory). */
  stream(): Readable;
  /** The whole content in one buffer. */
  buffer(): Promise<Buffer>;
  /** The whole content decoded as UTF-8. */
  text(): Promise<string>;
}

/**
 * The brand of the upload values adapters make: validation accepts only those in a file field, so
 * a text field (or a JSON object shaped like an upload) never passes for a file. A registered
 * symbol, so that two copies of the package recognise each other's uploads.
 *
 * @example
 * ```ts
 * class DiskUpload implements UploadFile { readonly [kUploadFile] = true; ... }
 * ```
 */
export const kUploadFile: unique symbol = Symbol.for("@depends/core.UploadFile");

/**
 * Whether `value` is an {@link UploadFile} an adapter (or {@link createUploadFile}) made.
 *
 * @example
 * ```ts
 * isUploadFile(createUploadFile({ filename: "a.txt", content: "hello" })); // true
 * isUploadFile({ filename: "a.txt" }); // false
 * ```
 */
export function isUploadFile(value: unknown): value is UploadFile {
  return typeof value === "object" && value !== null && (value as { [kUploadFile]?: unknown })[kUploadFile] === true;
}

/**
 * The input of {@link createUploadFile}.
 *
 * @example
 * ```ts
 * const init: UploadFileInit = { filename: "report.csv", contentType: "text/csv", content: "a,b\n1,2\n" };
 * ```
 */
export interface UploadFileInit {
  readonly filename: string;
  /** Default `application/octet-stream`. */
  readonly contentType?: string;
  readonly content: Buffer | Uint8Array | string;
  /** Part headers; `content-type` and `content-disposition` are filled in when absent. */
  readonly headers?: Readonly<Record<string, string>>;
}

class MemoryUploadFile implements UploadFile {
  readonly [kUploadFile] = true;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly #content: Buffer;

  constructor(init: UploadFileInit) {
    this.filename = init.filename;
    this.contentType = init.contentType ?? "application/octet-stream";
    this.#content = typeof init.content === "string" ? Buffer.from(init.content, "utf8") : Buffer.from(init.content.buffer, init.content.byteOffset, init.content.byteLength);
    this.size = this.#content.length;
    this.headers = Object.freeze(partHeaders(init.headers, "file", this.filename, this.contentType));
    Object.freeze(this);
  }

  stream(): Readable {
    return Readable.from([this.#content], { objectMode: false });
  }

  buffer(): Promise<Buffer> {
    return Promise.resolve(this.#content);
  }

  text(): Promise<string> {
    return Promise.resolve(this.#content.toString("utf8"));
  }
}

/**
 * The headers of a part: the given ones (names lower-cased), with `content-disposition` and
 * `content-type` rebuilt from the parsed values when the parser did not keep them.
 *
 * @example
 * ```ts
 * partHeaders(undefined, "file", "a.txt", "text/plain"); // { "content-disposition": 'form-data; name="file"; filename="a.txt"', "content-type": "text/plain" }
 * ```
 */
export function partHeaders(headers: Readonly<Record<string, string>> | undefined, field: string, filename: string, contentType: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  out["content-disposition"] ??= `form-data; name=${quoted(field)}; filename=${quoted(filename)}`;
  out["content-type"] ??= contentType;
  return out;
}

function quoted(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * An in-memory {@link UploadFile}: for unit tests of dependencies and handlers without a server
 * (with {@link createRequest}), and for adapters whose parser holds a small file in memory.
 *
 * @example
 * ```ts
 * const request = createRequest({ method: "POST", body: { file: createUploadFile({ filename: "a.txt", content: "hello" }) } });
 * await route.execute(request);
 * ```
 */
export function createUploadFile(init: UploadFileInit): UploadFile {
  return new MemoryUploadFile(init);
}
