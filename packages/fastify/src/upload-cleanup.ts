import { unlink } from "node:fs/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import { kScope, kUploads } from "./symbols.js";
import type { ReplyScope } from "./teardown-hooks.js";

type UploadRequest = FastifyRequest & { [kUploads]: RequestUploads | null; [kScope]: ReplyScope | null };

/**
 * The temporary files of one request's uploads, deleted once the request is over: its response is
 * sent or its client went away (the reply's `close`), its run has settled (a handler still
 * reading a file keeps it) and its request-scoped teardowns have run, so that uploads stay
 * readable as long as FastAPI keeps them open. A body refused while it was read is deleted at once.
 */
export class RequestUploads {
  readonly #paths: string[] = [];
  readonly #request: FastifyRequest;
  #responded = false;
  #settled = false;
  #deleted = false;

  constructor(request: FastifyRequest, reply: FastifyReply) {
    this.#request = request;
    (request as UploadRequest)[kUploads] = this;
    reply.raw.once("close", () => {
      this.#responded = true;
      this.#whenOver();
    });
  }

  /** Records a temporary file (before it is created). */
  add(path: string): void {
    if (this.#deleted) {
      // Spooled after the request ended (the client left while the body was read): delete it too.
      void this.#unlink(path);
      return;
    }
    this.#paths.push(path);
  }

  /** The route's run settled (or will not run): the uploads may go once the response is done. */
  settle(): void {
    this.#settled = true;
    this.#whenOver();
  }

  /** Deletes every temporary file now (a body refused while it was read). */
  deleteNow(): Promise<void> {
    this.#deleted = true;
    const paths = this.#paths.splice(0);
    return Promise.all(paths.map((path) => this.#unlink(path))).then(() => undefined);
  }

  #whenOver(): void {
    if (!this.#responded || !this.#settled || this.#deleted) return;
    this.#deleted = true;
    const scope = (this.#request as UploadRequest)[kScope];
    if (scope === null) void this.deleteNow();
    else scope.afterClose(() => void this.deleteNow());
  }

  async #unlink(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.#request.log.error({ err: error, path }, "could not delete an upload's temporary file");
    }
  }
}

/** The uploads of `request`, when its body spooled any. */
export function uploadsOf(request: FastifyRequest): RequestUploads | undefined {
  return (request as UploadRequest)[kUploads] ?? undefined;
}
