import { DeclarationError, type DependencyOverrides, type RouteDependency, type RouteSecurityReport } from "@depends/core";
import { CompileCache } from "@depends/core/adapter";
import type { FastifyInstance } from "fastify";
import type { MultipartLimits } from "./multipart-options.js";
import type { MountedRoute } from "./route-handler.js";
import { AfterResponseWork, DEFAULT_CLOSE_TIMEOUT } from "./after-response-work.js";
import { SchemaComponents } from "./schema-components.js";
import { SchemeRegistry } from "./security-schemes.js";
import type { MountedWebhook } from "./webhook-operation.js";
import { kState } from "./symbols.js";

/** The fastify-plugin name of `dependsPlugin`, which router plugins declare as a dependency. */
export const PLUGIN_NAME = "@depends/fastify";

/** What `dependsPlugin` keeps per application, for the routers mounted after it. */
export class DependsState {
  /** App-level dependencies, run first on every route (FastAPI's `FastAPI(dependencies=[...])`). */
  readonly dependencies: readonly RouteDependency[];
  readonly overrides: DependencyOverrides;
  /** What the application's routes share when they compile (walks, steps, validators). */
  readonly cache = new CompileCache();
  readonly schemes = new SchemeRegistry();
  /** The documented schemas named in `components.schemas` (replaced when the plugin inlines them). */
  schemas = new SchemaComponents(false);
  /**
   * Whether the plugin registered @fastify/swagger. Without it, routes carry no `security` and no
   * docs transform: another @fastify/swagger would not know the schemes they name.
   */
  readonly documented: boolean;
  /** Refuse, at registration, routes that reach no security scheme and are not declared public. */
  readonly secureByDefault: boolean;
  /** The webhooks the document describes (FastAPI's `app.webhooks`), in registration order. */
  readonly webhooks: MountedWebhook[] = [];
  /** The version of the document the plugin builds (`undefined` without one). */
  openapiVersion: string | undefined = undefined;
  /** The default run timeout of the application's routes, in milliseconds (`undefined`: none). */
  timeout: number | undefined = undefined;
  /** Background tasks (and the teardowns after them) still running after their responses. */
  readonly afterResponse = new AfterResponseWork();
  /** How long `app.close()` waits for them, in milliseconds. */
  closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  /** How form routes read `multipart/form-data` bodies; `undefined` when the plugin reads none (`multipart: false`). */
  multipart: MultipartLimits | undefined = undefined;
  /**
   * Every route of the application, in registration order: a depends route as mounted (its report
   * entry is built when the report is asked for, not kept for every route at startup), or the
   * entry of a plain fastify route.
   */
  readonly report: (RouteSecurityReport | MountedRoute)[] = [];

  constructor(dependencies: readonly RouteDependency[], overrides: DependencyOverrides, documented: boolean, secureByDefault = false) {
    this.dependencies = Object.freeze([...dependencies]);
    this.overrides = overrides;
    this.documented = documented;
    this.secureByDefault = secureByDefault;
  }
}

/** The state of the application `instance` belongs to (child contexts inherit the decoration). */
export function stateOf(instance: FastifyInstance): DependsState {
  const state = (instance as FastifyInstance & { [kState]?: DependsState })[kState];
  if (state === undefined) throw new DeclarationError("DEPENDS_PLUGIN_MISSING", `Register ${PLUGIN_NAME}'s dependsPlugin before mounting routers`);
  return state;
}
