import { DeclarationError, isStandardSchema, type JsonSchema } from "@depends/core";
import { deriveJsonSchema } from "@depends/core/adapter";
import type { ResponseSchemas } from "./route-options.js";

/**
 * A route's response schemas as fastify's serializer and the OpenAPI document take them: typebox
 * schemas as they are, Standard Schema validators (zod, valibot...) as the JSON Schema of what they
 * produce (`output`), derived once at registration. The validators themselves do not run on the
 * handler's value: fastify serialises it by the JSON Schema (dropping undeclared fields), as it
 * does for typebox. A validator without a JSON Schema fails the registration (`DEPENDS_NO_JSON_SCHEMA`).
 */
export function jsonResponseSchemas(response: ResponseSchemas | undefined, route: string): ResponseSchemas | undefined {
  if (response === undefined) return undefined;
  let out: Record<string, JsonSchema> | undefined;
  for (const [status, schema] of Object.entries(response)) {
    if (!isStandardSchema(schema)) continue;
    const derived = deriveJsonSchema(schema, "output", undefined);
    if (derived.problem !== undefined) {
      throw new DeclarationError("DEPENDS_NO_JSON_SCHEMA", `The ${status} response schema (a ${schema["~standard"].vendor} schema) has no JSON Schema for serialisation and OpenAPI: ${derived.problem}`, {
        route,
        path: [`response ${status}`],
      });
    }
    (out ??= { ...(response as Record<string, JsonSchema>) })[status] = derived.schema;
  }
  return (out as ResponseSchemas | undefined) ?? response;
}
