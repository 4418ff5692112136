import { DeclarationError } from "../errors.js";
import { declaredScopes, optionalText, requireText } from "./declaration-checks.js";
import { type OAuthFlowObject, type OAuthFlowsObject, withoutUndefined } from "./scheme-object.js";

/**
 * The scopes a flow declares: scope name to description. `Scope` keeps the names as literal types.
 *
 * @example
 * ```ts
 * const scopes: ScopeDescriptions<"me" | "items"> = { me: "Read information about the current user.", items: "Read items." };
 * ```
 */
export type ScopeDescriptions<Scope extends string = string> = Readonly<Record<Scope, string>>;

/**
 * The scopes one flow of an {@link OAuthFlows} declares. Each flow may offer only some of the scheme's
 * scopes, so every name is optional here, and `Scope` (inferred from all flows) is their union.
 *
 * @example
 * ```ts
 * const scopes: FlowScopes<"read" | "write"> = { read: "Read data." };
 * ```
 */
export type FlowScopes<Scope extends string = string> = { readonly [Name in Scope]?: string };

/**
 * What every OAuth2 flow may declare besides its endpoints: a refresh URL and its scopes.
 *
 * @example
 * ```ts
 * const common: OAuthFlowCommon<"me"> = { refreshUrl: "refresh", scopes: { me: "Read your profile." } };
 * ```
 */
export interface OAuthFlowCommon<Scope extends string = string> {
  readonly refreshUrl?: string;
  readonly scopes?: FlowScopes<Scope>;
}

/**
 * The OAuth2 implicit flow, as declared.
 *
 * @example
 * ```ts
 * const flow: OAuthFlowImplicit = { authorizationUrl: "https://auth.example/authorize" };
 * ```
 */
export interface OAuthFlowImplicit<Scope extends string = string> extends OAuthFlowCommon<Scope> {
  readonly authorizationUrl: string;
}

/**
 * The OAuth2 resource owner password flow, as declared.
 *
 * @example
 * ```ts
 * const flow: OAuthFlowPassword<"me"> = { tokenUrl: "token", scopes: { me: "Read your profile." } };
 * ```
 */
export interface OAuthFlowPassword<Scope extends string = string> extends OAuthFlowCommon<Scope> {
  readonly tokenUrl: string;
}

/**
 * The OAuth2 client credentials flow, as declared.
 *
 * @example
 * ```ts
 * const flow: OAuthFlowClientCredentials = { tokenUrl: "https://auth.example/token" };
 * ```
 */
export interface OAuthFlowClientCredentials<Scope extends string = string> extends OAuthFlowCommon<Scope> {
  readonly tokenUrl: string;
}

/**
 * The OAuth2 authorization code flow, as declared.
 *
 * @example
 * ```ts
 * const flow: OAuthFlowAuthorizationCode = { authorizationUrl: "https://auth.example/authorize", tokenUrl: "https://auth.example/token" };
 * ```
 */
export interface OAuthFlowAuthorizationCode<Scope extends string = string> extends OAuthFlowCommon<Scope> {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
}

/**
 * The flows of an {@link OAuth2} scheme, as declared (OpenAPI's OAuth Flows Object).
 *
 * @example
 * ```ts
 * const flows: OAuthFlows<"read"> = {
 *   clientCredentials: { tokenUrl: "https://auth.example/token", scopes: { read: "Read data." } },
 * };
 * ```
 */
export interface OAuthFlows<Scope extends string = string> {
  readonly implicit?: OAuthFlowImplicit<Scope>;
  readonly password?: OAuthFlowPassword<Scope>;
  readonly clientCredentials?: OAuthFlowClientCredentials<Scope>;
  readonly authorizationCode?: OAuthFlowAuthorizationCode<Scope>;
}

/**
 * The documented flows and every scope they declare.
 *
 * @example
 * ```ts
 * const flows: DocumentedFlows = { object: { password: { scopes: {}, tokenUrl: "token" } }, scopes: {} };
 * ```
 */
export interface DocumentedFlows {
  readonly object: OAuthFlowsObject;
  /** The union of the flows' scopes (the first description of a name wins). */
  readonly scopes: Readonly<Record<string, string>>;
}

// Which URLs each flow must declare (OpenAPI 3.1 "OAuth Flow Object"), in FastAPI's key order.
const FLOW_URLS = {
  implicit: ["authorizationUrl"],
  password: ["tokenUrl"],
  clientCredentials: ["tokenUrl"],
  authorizationCode: ["authorizationUrl", "tokenUrl"],
} as const;

type FlowName = keyof typeof FLOW_URLS;

/**
 * Validates declared flows and builds their OpenAPI form: `refreshUrl` only when set, `scopes`
 * always (`{}` when none), then the flow's URLs. Unknown flow names are rejected: OpenAPI defines
 * only four, and a typo would silently vanish from the docs.
 *
 * @example
 * ```ts
 * documentFlows({ password: { tokenUrl: "token" } }, "OAuth2");
 * // { object: { password: { scopes: {}, tokenUrl: "token" } }, scopes: {} }
 * ```
 */
export function documentFlows(flows: OAuthFlows, scheme: string): DocumentedFlows {
  const object: Record<string, OAuthFlowObject> = {};
  const scopes: Record<string, string> = {};
  for (const [name, flow] of Object.entries(flows ?? {}) as [string, unknown][]) {
    if (flow === undefined) continue;
    if (!Object.hasOwn(FLOW_URLS, name)) {
      throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${scheme} has an unknown OAuth2 flow "${name}" (OpenAPI knows ${Object.keys(FLOW_URLS).join(", ")})`, { path: [scheme] });
    }
    if (flow === null || typeof flow !== "object") {
      throw new DeclarationError("DEPENDS_INVALID_SCHEME_OPTION", `${scheme} flow "${name}" must be an object`, { path: [scheme] });
    }
    const declared = flow as Record<string, unknown>;
    const flowScopes = declaredScopes(declared.scopes, scheme);
    const urls: Record<string, string> = {};
    for (const url of FLOW_URLS[name as FlowName]) urls[url] = requireText(declared[url], `flows.${name}.${url}`, scheme);
    object[name] = Object.freeze(withoutUndefined({ refreshUrl: optionalText(declared.refreshUrl, `flows.${name}.refreshUrl`, scheme), scopes: flowScopes, ...urls }));
    for (const [scope, description] of Object.entries(flowScopes)) if (!Object.hasOwn(scopes, scope)) scopes[scope] = description;
  }
  return { object: Object.freeze(object), scopes: Object.freeze(scopes) };
}
