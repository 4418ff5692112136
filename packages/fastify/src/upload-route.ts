import type { FastifyReply, FastifyRequest } from "fastify";
import { uploadsOf } from "./upload-cleanup.js";

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * The handler of a route with file sources: tells the request's uploads when the run settled, so
 * that a client leaving while the handler still reads a file does not delete it under the handler.
 * Only such routes pay for it.
 */
export function settlingUploads(handler: Handler): Handler {
  return function dependsUploadRoute(request, reply) {
    const uploads = uploadsOf(request);
    if (uploads === undefined) return handler(request, reply);
    let result: unknown;
    try {
      result = handler(request, reply);
    } catch (error) {
      uploads.settle();
      throw error;
    }
    if (!(result instanceof Promise)) {
      uploads.settle();
      return result;
    }
    return result.then(
      (value: unknown) => {
        uploads.settle();
        return value;
      },
      (error: unknown) => {
        uploads.settle();
        throw error;
      },
    );
  };
}
