import type { HttpRequest } from "../request.js";
import { authorizationProblem, readAuthorization } from "./authorization-header.js";
import { SecurityScheme, type SecuritySchemeOptions } from "./base.js";
import { declaredScopes, requireText } from "./declaration-checks.js";
import type { ScopeDescriptions } from "./oauth2-flows.js";
import { withoutUndefined } from "./scheme-object.js";

/**
 * Options of {@link OpenIdConnect}.
 *
 * @example
 * ```ts
 * const options: OpenIdConnectOptions<"openid" | "profile"> = {
 *   openIdConnectUrl: "https://issuer.example/.well-known/openid-configuration",
 *   scopes: { openid: "Sign in.", profile: "Read your profile." },
 * };
 * ```
 */
export interface OpenIdConnectOptions<Scope extends string = string, AutoError extends boolean = true> extends SecuritySchemeOptions<AutoError> {
  /** The OpenID Connect discovery document's URL. */
  readonly openIdConnectUrl: string;
  /**
   * Scopes the app expects, for typed `Security` scopes and scope checks. Not part of the OpenAPI
   * object: OpenAPI's `openIdConnect` scheme has no scopes (clients discover them from the URL).
   */
  readonly scopes?: ScopeDescriptions<Scope>;
}

/**
 * OpenID Connect (FastAPI's `OpenIdConnect`): provides the bearer token of
 * `Authorization: Bearer <token>` and documents the discovery URL.
 *
 * Unlike FastAPI, which returns the raw header without looking at it, it requires `Bearer`: OpenID
 * Connect access tokens are OAuth2 bearer tokens (OpenID Connect Core 1.0 section 5.3.1), and the
 * 401 already challenges with `Bearer`. Errors: 401 `Not authenticated`, `WWW-Authenticate: Bearer`.
 *
 * @example
 * ```ts
 * const oidc = new OpenIdConnect({ openIdConnectUrl: "https://issuer.example/.well-known/openid-configuration" });
 * const getUser = dependency({ token: Depends(oidc) }, ({ token }) => verifyIdToken(token));
 * ```
 */
export class OpenIdConnect<Scope extends string = string, AutoError extends boolean = true> extends SecurityScheme<string, AutoError, Scope> {
  /** The scopes declared in the options (not documented in OpenAPI). */
  readonly scopes: ScopeDescriptions<Scope>;

  constructor(options: OpenIdConnectOptions<Scope, AutoError>) {
    const name = options.schemeName ?? new.target.name;
    const scopes = declaredScopes(options.scopes, name);
    const openIdConnectUrl = requireText(options.openIdConnectUrl, "openIdConnectUrl", name);
    // Without declared scopes, report none rather than `{}`: an OpenID provider's scopes are
    // discovered at run time, so "declares nothing" would wrongly make every required scope unknown.
    super({
      object: withoutUndefined({ type: "openIdConnect", description: options.description, openIdConnectUrl }),
      challenge: "Bearer",
      options,
      ...(options.scopes === undefined ? {} : { scopes }),
    });
    this.scopes = scopes as ScopeDescriptions<Scope>;
  }

  protected authenticate(request: HttpRequest): string | undefined {
    const parts = readAuthorization(request);
    const problem = authorizationProblem(parts, "bearer");
    return problem === undefined ? parts.param : this.notAuthenticated(problem);
  }
}
