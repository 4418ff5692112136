import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import { type OperationMarks, X_DEPENDS } from "./operation-docs.js";
import { resolveComponentReferences } from "./schema-components.js";
import type { DependsState } from "./state.js";
import { webhookOperation } from "./webhook-operation.js";

/**
 * OpenAPI options of `dependsPlugin`. The document is built by @fastify/swagger (dynamic mode) from
 * the routes registered after the plugin.
 *
 * @example
 * ```ts
 * await app.register(dependsPlugin, { openapi: { info: { title: "Items", version: "1.0.0" }, path: "/openapi.json" } });
 * ```
 */
export interface OpenApiOptions {
  /** Where the document is served (default `/openapi.json`); `false` serves it only through `app.swagger()`. */
  readonly path?: string | false;
  /**
   * OpenAPI version of the document (default `3.1.0`, as FastAPI). `3.0.x` documents are converted
   * by @fastify/swagger (`nullable`...) and cannot hold webhooks (`DEPENDS_WEBHOOK_OPENAPI_VERSION`).
   */
  readonly openapi?: string;
  /** Default `{ title: "API", version: "0.1.0" }`. */
  readonly info?: { readonly title: string; readonly version: string; readonly description?: string; readonly [key: string]: unknown };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly externalDocs?: { readonly url: string; readonly description?: string };
  /**
   * Write every schema where it is used, even those named with `$id`, and form or multi-field bodies
   * (default `false`: a named schema is one `components.schemas` entry that its uses `$ref`, as
   * FastAPI does for pydantic models).
   */
  readonly inlineSchemas?: boolean;
}

type Json = Record<string, unknown>;

const VALIDATION_ERROR: Json = {
  title: "ValidationError",
  required: ["loc", "msg", "type"],
  type: "object",
  properties: {
    loc: { title: "Location", type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
    msg: { title: "Message", type: "string" },
    type: { title: "Error Type", type: "string" },
    input: { title: "Input" },
    ctx: { title: "Context", type: "object" },
  },
};

const HTTP_VALIDATION_ERROR: Json = {
  title: "HTTPValidationError",
  type: "object",
  properties: { detail: { title: "Detail", type: "array", items: { $ref: "#/components/schemas/ValidationError" } } },
};

// Fresh objects each time: a YAML rendering would turn shared ones into anchors.
const validationResponse = (): Json => ({
  description: "Validation Error",
  content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } } },
});

const PARAMETER_ORDER: Readonly<Record<string, number>> = { path: 0, query: 1, header: 2, cookie: 3 };

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Applies an operation's marks: FastAPI's 422 response, an optional body, parameters in FastAPI's order. */
function finishOperation(operation: Json): boolean {
  const marks = operation[X_DEPENDS] as OperationMarks | undefined;
  if (marks === undefined) return false;
  delete operation[X_DEPENDS];
  if (isObject(operation.requestBody) && !marks.bodyRequired) operation.requestBody.required = false;
  if (Array.isArray(operation.parameters)) {
    (operation.parameters as Json[]).sort((a, b) => (PARAMETER_ORDER[String(a.in)] ?? 9) - (PARAMETER_ORDER[String(b.in)] ?? 9));
  }
  if (!marks.validation) return false;
  const responses = isObject(operation.responses) ? operation.responses : (operation.responses = {});
  responses["422"] ??= validationResponse();
  return true;
}

/** The document's `webhooks` (FastAPI's `app.webhooks`); `true` when one documents FastAPI's 422. */
function addWebhooks(openapi: Json, state: DependsState): boolean {
  let validation = false;
  const webhooks: Record<string, Json> = {};
  for (const webhook of state.webhooks) {
    if (!webhook.documented) continue;
    const built = webhookOperation(webhook, state.schemas);
    (webhooks[webhook.spec.webhook] ??= {})[webhook.spec.method.toLowerCase()] = built.operation;
    if (built.validation) validation = true;
  }
  if (Object.keys(webhooks).length > 0) openapi.webhooks = resolveComponentReferences(webhooks);
  return validation;
}

/** The document's final pass (@fastify/swagger `transformObject`), run once: the document is cached. */
function finishDocument(document: { openapiObject?: Json; swaggerObject?: Json }, state: DependsState): Json {
  const openapi = document.openapiObject ?? document.swaggerObject ?? {};
  let validation = false;
  for (const item of Object.values(isObject(openapi.paths) ? openapi.paths : {})) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) if (isObject(operation) && finishOperation(operation)) validation = true;
  }
  resolveComponentReferences(openapi.paths);
  if (addWebhooks(openapi, state)) validation = true;
  const components = isObject(openapi.components) ? openapi.components : (openapi.components = {});
  resolveComponentReferences(components.schemas);
  const schemas = isObject(components.schemas) ? components.schemas : (components.schemas = {});
  if (validation) {
    schemas.ValidationError ??= structuredClone(VALIDATION_ERROR);
    schemas.HTTPValidationError ??= structuredClone(HTTP_VALIDATION_ERROR);
  }
  // FastAPI leaves out what is empty.
  for (const key of ["schemas", "securitySchemes"]) if (isObject(components[key]) && Object.keys(components[key]).length === 0) delete components[key];
  if (Object.keys(components).length === 0) delete openapi.components;
  return openapi;
}

/**
 * Registers @fastify/swagger (its public plugin, dynamic mode) with the security schemes the routes
 * use, and serves the document. The plugin loads what builds the document (`yaml` among it) when
 * registered; no public option defers that (docs/performance.md#openapi-and-swagger-ui-at-boot).
 */
export async function registerOpenApi(fastify: FastifyInstance, options: OpenApiOptions, state: DependsState): Promise<void> {
  const { schemes, schemas } = state;
  const openapi: Json = {
    openapi: state.openapiVersion ?? "3.1.0",
    info: options.info ?? { title: "API", version: "0.1.0" },
    // The registry fills this object as routes are mounted; the document is built after `ready`.
    components: { schemas: schemas.components, securitySchemes: schemes.components },
  };
  if (options.servers) openapi.servers = options.servers;
  if (options.tags) openapi.tags = options.tags;
  if (options.externalDocs) openapi.externalDocs = options.externalDocs;
  await fastify.register(swagger, { openapi, transformObject: ((document: { openapiObject?: Json; swaggerObject?: Json }) => finishDocument(document, state)) as never });
  const path = options.path ?? "/openapi.json";
  if (path !== false) fastify.get(path, { schema: { hide: true } }, () => fastify.swagger());
}
