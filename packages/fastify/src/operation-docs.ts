import { STATUS_CODES } from "node:http";
import type { RequestSchemas } from "@depends/core";
import type { FastifySchema } from "fastify";
import type { ResponseSchemas } from "./route-options.js";
import { componentReference, type SchemaComponents } from "./schema-components.js";

/**
 * Vendor key carrying what the document's final pass needs per operation; @fastify/swagger copies
 * `x-` keys of a route schema into its operation, and the final pass removes it.
 */
export const X_DEPENDS = "x-depends";

/** The contents of {@link X_DEPENDS}. */
export interface OperationMarks {
  /** The route reads request values, so it documents FastAPI's 422 response. */
  readonly validation: boolean;
  /** The request body is required (fastify-swagger always says it is). */
  readonly bodyRequired: boolean;
}

/** What a route's OpenAPI operation shows beyond fastify's own route schema. */
export interface OperationDocs {
  readonly requestSchemas: RequestSchemas;
  readonly response: ResponseSchemas | undefined;
  /** The status of a successful response. */
  readonly status: number;
  readonly responseDescription: string;
  /** Summary, operation id, tags, security and the like: the route's documentation fields. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The application's named schemas, which the operation's schemas refer to. */
  readonly components: SchemaComponents;
  /** The component name of a body made of several fields or of a form (`Body_<operationId>`), if named. */
  readonly bodyName: string | undefined;
}

const X_RESPONSE_DESCRIPTION = "x-response-description";

function describedResponses(docs: OperationDocs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const declared = docs.response ?? {};
  for (const [status, schema] of Object.entries(declared)) {
    const description = Number(status) === docs.status ? docs.responseDescription : (STATUS_CODES[status] ?? "Response");
    out[status] = { ...(docs.components.reference(schema) as Record<string, unknown>), [X_RESPONSE_DESCRIPTION]: description };
  }
  if (!(String(docs.status) in out)) {
    // FastAPI documents the success response even without a response model: any JSON, or no body.
    const schema = docs.status === 204 || docs.status === 304 ? { type: "null" } : {};
    out[String(docs.status)] = { ...schema, [X_RESPONSE_DESCRIPTION]: docs.responseDescription };
  }
  return out;
}

/**
 * Builds a route's OpenAPI operation schema from fastify's route schema (which holds only what
 * fastify validates and serialises): the documentation fields, bodies the core validates, forms as
 * `application/x-www-form-urlencoded` (`multipart/form-data` with files), cookies, FastAPI's response descriptions, and marks for the
 * document's final pass. Runs when the document is built, not at registration.
 */
export function operationSchema(schema: FastifySchema | undefined, docs: OperationDocs): FastifySchema {
  const schemas = docs.requestSchemas;
  const marks: OperationMarks = { validation: schemas.parameters.length > 0 || schemas.body !== undefined, bodyRequired: schemas.bodyRequired };
  // Fresh copies: a YAML rendering of the document would turn objects shared between operations into anchors.
  const out: Record<string, unknown> = { ...schema, ...structuredClone(docs.fields), response: describedResponses(docs), [X_DEPENDS]: marks };
  // fastify's route schema holds no request schema (the core validates requests): document them here.
  const { components } = docs;
  if (schemas.path !== undefined) out.params = components.reference(schemas.path);
  if (schemas.query !== undefined) out.querystring = components.reference(schemas.query);
  if (schemas.header !== undefined) out.headers = components.reference(schemas.header);
  if (schemas.body !== undefined) out.body = docs.bodyName !== undefined ? componentReference(docs.bodyName) : components.reference(schemas.body);
    // FastAPI documents a form body as multipart only when it has a file field.
  if (schemas.bodyKind === "form") out.consumes = [schemas.files.length > 0 ? "multipart/form-data" : "application/x-www-form-urlencoded"];
  if (schemas.cookie !== undefined) out.cookies = components.reference(schemas.cookie);
  return out as FastifySchema;
}
