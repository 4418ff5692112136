import type { JsonSchema } from "@depends/core";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { isArraySchema } from "./form-body.js";

/**
 * FastAPI reads a scalar query parameter with Starlette's `query_params.get`, which takes the last
 * of repeated values: `?q=a&q=b` is `q == "b"`. fastify's query parser gives `["a", "b"]`, which its
 * Ajv refuses for a string schema (a 422 FastAPI would not answer, issue 20 item 14). This hook
 * folds such arrays to their last value before validation; list-typed parameters stay lists.
 *
 * Only routes with a scalar query parameter get it, and it touches only the declared names: one
 * property read and `Array.isArray` each, nothing for other routes.
 */
export function lastQueryValueHook(querySchema: JsonSchema | undefined): ((request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void) | undefined {
  const properties = (querySchema?.properties ?? {}) as Record<string, unknown>;
  const scalars = Object.keys(properties).filter((name) => !isArraySchema(properties[name]));
  if (scalars.length === 0) return undefined;
  return function lastQueryValue(request, _reply, done) {
    const query = request.query as Record<string, unknown> | undefined;
    if (query !== undefined && query !== null) {
      for (const name of scalars) {
        const value = query[name];
        if (Array.isArray(value)) query[name] = value[value.length - 1];
      }
    }
    done();
  };
}
