import { DeclarationError, type SourceMap } from "@depends/core";
import { analyzeRoute } from "@depends/core/adapter";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { bodyNameOf } from "./mount.js";
import { PLUGIN_NAME, type DependsState, stateOf } from "./state.js";
import type { ResponseSchemas } from "./route-options.js";
import { type MountedWebhook, webhookNameOf, webhookOperationId } from "./webhook-operation.js";
import { type WebhookShorthand, type WebhookSpec, webhookSpec } from "./webhook-options.js";
import { refuseSocketSource } from "./ws-sources.js";

// Stands in for a webhook declared without a description function: it is never called.
function undescribed(): void {}

/** Whether an OpenAPI version has the `webhooks` section (3.1 and later). */
function hasWebhooks(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 3 || (major === 3 && minor >= 1);
}

/**
 * Analyses a webhook as a route is (its sources, dependencies and security, with the same
 * registration errors) and records it for the document.
 */
function mountWebhook(state: DependsState, spec: WebhookSpec): void {
  const route = `${spec.method} ${spec.webhook} (webhook)`;
  if (state.documented && state.openapiVersion !== undefined && !hasWebhooks(state.openapiVersion)) {
    throw new DeclarationError("DEPENDS_WEBHOOK_OPENAPI_VERSION", `OpenAPI ${state.openapiVersion} has no webhooks: they need OpenAPI 3.1 (the default; set \`openapi: { openapi: "3.1.0" }\`)`, { route });
  }
  if (state.webhooks.some((known) => known.spec.webhook === spec.webhook && known.spec.method === spec.method)) {
    throw new DeclarationError("DEPENDS_DUPLICATE_WEBHOOK", `The webhook "${spec.webhook}" is declared twice for ${spec.method}`, { route });
  }
  const name = webhookNameOf(spec);
  const definition = { method: spec.method, path: spec.webhook, sources: spec.sources ?? {}, handler: spec.describe ?? undescribed, dependencies: spec.dependencies ?? [], name };
  const analysis = analyzeRoute(definition, { cache: state.cache });
  refuseSocketSource(analysis, definition.sources, true);
  const documented = state.documented && spec.includeInSchema !== false;
  state.schemes.add(analysis, documented);
  const operationId = webhookOperationId(spec);
  const bodyName = bodyNameOf(analysis.requestSchemas, operationId, state.schemas);
  if (documented) {
    const { schemas } = state;
    const rs = analysis.requestSchemas;
    for (const location of ["path", "query", "header", "cookie"] as const) schemas.collect(rs[location], route);
    if (bodyName !== undefined && rs.body !== undefined) schemas.name(bodyName, rs.body, route);
    else schemas.collect(rs.body, route);
    for (const schema of Object.values(spec.response ?? {})) schemas.collect(schema, route);
  }
  const mounted: MountedWebhook = { spec, analysis, operationId, bodyName, documented };
  state.webhooks.push(mounted);
}

/**
 * The webhooks an application sends, for its OpenAPI document (FastAPI's `app.webhooks`, the
 * OpenAPI 3.1 `webhooks` section): each one says what request the application sends to the URL a
 * user registered (its body, headers and the security the receiver may check), and what answer it
 * expects. Nothing is routed: they are documentation, analysed like routes (a mistake fails at
 * registration) and shown in Swagger UI. Register with `app.register(hooks.plugin())` after
 * `dependsPlugin`.
 *
 * @example
 * ```ts
 * const hooks = webhooks();
 * hooks.post("new-subscription", { sources: { body: Body(Subscription), token: Security(bearer) }, description: "Sent when a user subscribes." });
 * await app.register(dependsPlugin);
 * await app.register(hooks.plugin());
 * ```
 */
export class Webhooks {
  readonly #entries: WebhookSpec[] = [];

  /** Declares a POST webhook. @example `hooks.post("new-subscription", { body: Body(Subscription) })` */
  readonly post: WebhookShorthand<this> = this.#shorthand("POST");
  /** Declares a PUT webhook. @example `hooks.put("user-updated", { body: Body(User) })` */
  readonly put: WebhookShorthand<this> = this.#shorthand("PUT");
  /** Declares a PATCH webhook. @example `hooks.patch("user-changed", { body: Body(UserPatch) })` */
  readonly patch: WebhookShorthand<this> = this.#shorthand("PATCH");
  /** Declares a DELETE webhook. @example `hooks.delete("user-deleted", { id: Query(Type.String()) })` */
  readonly delete: WebhookShorthand<this> = this.#shorthand("DELETE");
  /** Declares a GET webhook. @example `hooks.get("ping", { token: Security(bearer) })` */
  readonly get: WebhookShorthand<this> = this.#shorthand("GET");

  /**
   * Declares a webhook from one object, for any method.
   *
   * @example
   * ```ts
   * hooks.webhook({ method: "POST", webhook: "new-subscription", sources: { body: Body(Subscription) }, summary: "New subscription" });
   * ```
   */
  webhook<const S extends SourceMap = {}, const Rs extends ResponseSchemas = {}>(spec: WebhookSpec<S, Rs>): this {
    this.#entries.push(webhookSpec(spec.method, spec.webhook, stripSpec(spec as WebhookSpec), spec.describe as WebhookSpec["describe"]));
    return this;
  }

  /**
   * The fastify plugin that adds these webhooks to the application's document (after
   * `dependsPlugin`). Declaration errors reject the registration.
   *
   * @example
   * ```ts
   * await app.register(hooks.plugin());
   * ```
   */
  plugin(): FastifyPluginAsync {
    const mount = async (instance: Parameters<FastifyPluginAsync>[0]): Promise<void> => {
      const state = stateOf(instance);
      for (const spec of this.#entries) mountWebhook(state, spec);
    };
    return fp(mount, { name: `${PLUGIN_NAME}/webhooks`, dependencies: [PLUGIN_NAME], fastify: "5.x" });
  }

  #shorthand(method: WebhookSpec["method"]): WebhookShorthand<this> {
    return ((name: string, a?: unknown, b?: unknown): this => {
      this.#entries.push(webhookSpec(method, name, a, b));
      return this;
    }) as WebhookShorthand<this>;
  }
}

/** The options part of a full spec, for the shorthand's checks. */
function stripSpec(spec: WebhookSpec): object {
  const { method: _m, webhook: _w, describe: _d, ...options } = spec;
  return options;
}

/**
 * Creates a {@link Webhooks} declaration.
 *
 * @example
 * ```ts
 * const hooks = webhooks();
 * hooks.post("new-subscription", { body: Body(Subscription) }, function new_subscription({ body }) {});
 * ```
 */
export function webhooks(): Webhooks {
  return new Webhooks();
}
