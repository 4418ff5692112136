import { HTTPException, RequestValidationError } from "@depends/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import sjson from "secure-json-parse";
import { jsonSyntaxProblem } from "./json-error.js";

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Replaces fastify's JSON body parser with FastAPI's behaviour: an empty body is no body (a
 * required one is then reported missing, 422), a malformed one is a 422 `json_invalid` error that
 * says where and why, and `application/*+json` is JSON too. Prototype-poisoning protection follows
 * the app's `onProtoPoisoning` / `onConstructorPoisoning` options, as fastify's own parser does.
 */
export function installJsonParser(fastify: FastifyInstance): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const options = { protoAction: onProtoPoisoning ?? "error", constructorAction: onConstructorPoisoning ?? "error" } as const;

  function parseJsonBody(_request: FastifyRequest, body: string | Buffer, done: Done): void {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.length === 0) {
      done(null, undefined);
      return;
    }
    let value: unknown;
    try {
      value = sjson.parse(text, null, options);
    } catch {
      const problem = jsonSyntaxProblem(text);
      done(
        problem
          ? new RequestValidationError([{ type: "json_invalid", loc: ["body", problem.pos], msg: "JSON decode error", input: {}, ctx: { error: problem.msg } }])
          : new HTTPException(400, "There was an error parsing the body"),
      );
      return;
    }
    done(null, value);
  }

  fastify.removeContentTypeParser("application/json");
  fastify.addContentTypeParser("application/json", { parseAs: "string" }, parseJsonBody);
  fastify.addContentTypeParser(/^application\/[^\s;]+\+json(?:\s*;|$)/, { parseAs: "string" }, parseJsonBody);
}
