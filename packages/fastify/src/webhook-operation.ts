import { STATUS_CODES } from "node:http";
import type { RouteAnalysis } from "@depends/core";
import { operationIdOf, summaryOf } from "./operation-names.js";
import { componentReference, type SchemaComponents } from "./schema-components.js";
import type { WebhookSpec } from "./webhook-options.js";

type Json = Record<string, unknown>;

/** A webhook as an application holds it: its declaration and its analysed tree. */
export interface MountedWebhook {
  readonly spec: WebhookSpec;
  readonly analysis: RouteAnalysis;
  readonly operationId: string;
  /** `Body_<operationId>` for a form or multi-field body, when schemas are named. */
  readonly bodyName: string | undefined;
  /** In the document: the plugin's OpenAPI is on and `includeInSchema` is not `false`. */
  readonly documented: boolean;
}

/** The webhook's name for its summary and operation id: its own, its function's, else the webhook's. */
export function webhookNameOf(spec: WebhookSpec): string {
  return spec.name ?? (spec.describe?.name || spec.webhook);
}

/** FastAPI's operation id of a webhook: `<name><webhook name>_<method>`, non-word characters as `_`. */
export function webhookOperationId(spec: WebhookSpec): string {
  return spec.operationId ?? operationIdOf(webhookNameOf(spec), spec.webhook, spec.method);
}

const PARAMETER_ORDER: Readonly<Record<string, number>> = { path: 0, query: 1, header: 2, cookie: 3 };

function content(schema: unknown, type = "application/json"): Json {
  return { [type]: { schema } };
}

/**
 * A webhook's OpenAPI operation, as FastAPI writes one for `app.webhooks` (the same fields as a
 * path operation): written here rather than by @fastify/swagger, which knows routes only. Named
 * schemas are component references, resolved with the paths' by the document's final pass.
 */
export function webhookOperation(webhook: MountedWebhook, components: SchemaComponents): { operation: Json; validation: boolean } {
  const { spec, analysis } = webhook;
  const schemas = analysis.requestSchemas;
  const operation: Json = {};
  const summary = spec.summary ?? summaryOf(webhookNameOf(spec));
  if (summary !== undefined) operation.summary = summary;
  if (spec.description !== undefined) operation.description = spec.description;
  if (spec.tags !== undefined && spec.tags.length > 0) operation.tags = [...new Set(spec.tags)];
  operation.operationId = webhook.operationId;
  if (spec.deprecated) operation.deprecated = true;
  const parameters = [...schemas.parameters].sort((a, b) => (PARAMETER_ORDER[a.in] ?? 9) - (PARAMETER_ORDER[b.in] ?? 9));
  if (parameters.length > 0) {
    operation.parameters = parameters.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
      schema: components.reference(p.description === undefined ? p.schema : (({ description: _, ...rest }) => rest)(p.schema)),
      ...(p.description === undefined ? {} : { description: p.description }),
    }));
  }
  if (schemas.body !== undefined) {
    const schema = webhook.bodyName !== undefined ? componentReference(webhook.bodyName) : components.reference(schemas.body);
    operation.requestBody = { content: content(schema, schemas.bodyKind === "form" ? "application/x-www-form-urlencoded" : "application/json"), required: schemas.bodyRequired };
  }
  const status = spec.status ?? 200;
  const responses: Json = {};
  for (const [code, schema] of Object.entries(spec.response ?? {})) {
    const description = Number(code) === status ? (spec.responseDescription ?? "Successful Response") : (STATUS_CODES[code] ?? "Response");
    responses[code] = { description, content: content(components.reference(schema)) };
  }
  if (!(String(status) in responses)) {
    const description = spec.responseDescription ?? "Successful Response";
    responses[String(status)] = status === 204 || status === 304 ? { description } : { description, content: content({}) };
  }
  const validation = schemas.parameters.length > 0 || schemas.body !== undefined;
  if (validation) {
    responses["422"] ??= { description: "Validation Error", content: content({ $ref: "#/components/schemas/HTTPValidationError" }) };
  }
  operation.responses = responses;
  if (analysis.security.length > 0) operation.security = structuredClone(analysis.security);
  return { operation, validation };
}
