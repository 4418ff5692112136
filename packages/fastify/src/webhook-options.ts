import { DeclarationError, type RouteDependency, type SourceMap, type ValuesOf } from "@depends/core";
import { isSource } from "@depends/core/adapter";
import type { ResponseSchemas } from "./route-options.js";

/**
 * A webhook's description function: it receives the values its sources declare (typed, as a
 * route handler does) but is never called: the application sends webhooks, it does not serve them.
 * Its name gives the default summary and operation id, as FastAPI's webhook function does.
 *
 * @example
 * ```ts
 * const sources = { body: Body(Subscription) };
 * const describe: WebhookHandler<typeof sources> = function new_subscription({ body }) { void body.username; };
 * ```
 */
export type WebhookHandler<S extends SourceMap> = (values: ValuesOf<S>) => unknown;

/**
 * What a webhook declares besides its name and method (FastAPI's `@app.webhooks.post(...)`
 * parameters): the request the application sends (its body, headers...), the security the
 * receiver should check, and the answer it expects.
 *
 * @example
 * ```ts
 * hooks.post("new-subscription", {
 *   sources: { body: Body(Subscription), token: Security(bearer) },
 *   description: "Sent when a user subscribes.",
 * });
 * ```
 */
export interface WebhookOptions<S extends SourceMap = SourceMap, Rs extends ResponseSchemas = ResponseSchemas> {
  /** The request's named sources: `Body`, `Form`, `Header`, `Query`, `Cookie`, `Depends`, `Security`. */
  readonly sources?: S;
  /** The answers the receiver may give, by status (default: any JSON with FastAPI's 200). */
  readonly response?: Rs;
  /** Status of a successful answer (default 200). */
  readonly status?: number;
  /** Dependencies whose parameters and security the webhook also documents. */
  readonly dependencies?: readonly RouteDependency[];
  readonly tags?: readonly string[];
  /** Default: the description function's name (else the webhook's) in title case. */
  readonly summary?: string;
  readonly description?: string;
  /** Description of the success answer (default "Successful Response"). */
  readonly responseDescription?: string;
  /** Default: FastAPI's `<name><webhook name>_<method>` in snake case. */
  readonly operationId?: string;
  readonly deprecated?: boolean;
  /** `false` leaves the webhook out of the document. */
  readonly includeInSchema?: boolean;
  /** Name in error messages, the default summary and operation id (default: the function's name). */
  readonly name?: string;
}

/**
 * A complete webhook declaration for {@link Webhooks.webhook}.
 *
 * @example
 * ```ts
 * hooks.webhook({ method: "POST", webhook: "new-subscription", sources: { body: Body(Subscription) } });
 * ```
 */
export interface WebhookSpec<S extends SourceMap = SourceMap, Rs extends ResponseSchemas = ResponseSchemas> extends WebhookOptions<S, Rs> {
  readonly method: "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
  /** The webhook's name: its key in the document's `webhooks` (e.g. `new-subscription`). */
  readonly webhook: string;
  readonly describe?: WebhookHandler<S>;
}

/**
 * The ways to declare a webhook for one method: `(name, sources, describe?)`,
 * `(name, options, describe?)` with `options.sources`, or `(name, describe?)`.
 *
 * @example
 * ```ts
 * hooks.post("new-subscription", { body: Body(Subscription) }, function new_subscription({ body }) {});
 * hooks.post("cancelled", { sources: { body: Body(Cancellation) }, summary: "Subscription cancelled" });
 * ```
 */
export interface WebhookShorthand<Self> {
  <const S extends SourceMap = {}, const Rs extends ResponseSchemas = {}>(name: string, options: WebhookOptions<S, Rs>, describe?: WebhookHandler<S>): Self;
  <const S extends SourceMap>(name: string, sources: S, describe?: WebhookHandler<S>): Self;
  (name: string, describe?: WebhookHandler<{}>): Self;
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  "sources", "response", "status", "dependencies", "tags", "summary", "description", "responseDescription", "operationId", "deprecated", "includeInSchema", "name",
] satisfies (keyof WebhookOptions)[]);

/** The spec of `hooks.<method>(name, a, b)`, checked as route shorthands are. */
export function webhookSpec(method: WebhookSpec["method"], webhook: string, a: unknown, b: unknown): WebhookSpec {
  const where = { route: `${method} ${String(webhook)} (webhook)` };
  if (typeof webhook !== "string" || webhook === "") throw new DeclarationError("DEPENDS_INVALID_ROUTE_ARGUMENTS", `a webhook needs a name, got ${JSON.stringify(webhook)}`, where);
  if (typeof a === "function" || a === undefined) return checkDescribe({ method, webhook, describe: a as WebhookHandler<SourceMap> | undefined }, where);
  if (a === null || typeof a !== "object") throw new DeclarationError("DEPENDS_INVALID_ROUTE_ARGUMENTS", `expected sources or webhook options, got ${a === null ? "null" : typeof a}`, where);
  const keys = Object.keys(a);
  let options: WebhookOptions;
  if (keys.every((key) => isSource((a as Record<string, unknown>)[key]))) options = { sources: a as SourceMap };
  else {
    const unknown = keys.find((key) => !OPTION_KEYS.has(key));
    if (unknown !== undefined) {
      throw new DeclarationError("DEPENDS_UNKNOWN_ROUTE_OPTION", `"${unknown}" is neither a source nor a webhook option (a sources map holds only sources: wrap dependencies as Depends(dep))`, where);
    }
    options = a as WebhookOptions;
  }
  return checkDescribe({ ...options, method, webhook, describe: b as WebhookHandler<SourceMap> | undefined }, where);
}

function checkDescribe(spec: WebhookSpec, where: { route: string }): WebhookSpec {
  if (spec.describe !== undefined && typeof spec.describe !== "function") throw new DeclarationError("DEPENDS_INVALID_HANDLER", "A webhook's description must be a function (or nothing)", where);
  return spec;
}
