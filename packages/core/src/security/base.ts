import { type Dependency, type DependencyDefinition, defineDependency, definitionOf } from "../dependency.js";
import type { HttpRequest } from "../request.js";
import { CurrentRequest } from "../sources.js";
import { kDependency } from "../symbols.js";
import { optionalText, requireText } from "./declaration-checks.js";
import { type NotAuthenticatedErrorFactory, type NotAuthenticatedReason, notAuthenticatedError } from "./not-authenticated.js";
import type { SecuritySchemeObject } from "./scheme-object.js";

/**
 * The value a scheme provides: its credentials, or `credentials | undefined` when `autoError` may be
 * `false` (then a request without usable credentials yields `undefined` instead of an error).
 *
 * @example
 * ```ts
 * type Strict = SchemeValue<string, true>;    // string
 * type Lenient = SchemeValue<string, false>;  // string | undefined
 * ```
 */
export type SchemeValue<Credentials, AutoError extends boolean> = false extends AutoError ? Credentials | undefined : Credentials;

/**
 * Options every scheme accepts.
 *
 * @example
 * ```ts
 * const options: SecuritySchemeOptions<false> = { schemeName: "session", description: "Session cookie", autoError: false };
 * ```
 */
export interface SecuritySchemeOptions<AutoError extends boolean = true> {
  /**
   * The name under `components.securitySchemes` and in `security` requirements (default: the class
   * name, as FastAPI; set it explicitly if a bundler minifies class names).
   */
  readonly schemeName?: string;
  /** Shown in the OpenAPI Security Scheme Object. */
  readonly description?: string;
  /**
   * `true` (default): a request without usable credentials fails with the not-authenticated error.
   * `false`: the dependency yields `undefined` instead, so the app can try another scheme.
   */
  readonly autoError?: AutoError;
  /** Replaces the default 401 error (e.g. to answer 403, as FastAPI did before 0.122.0). */
  readonly makeNotAuthenticatedError?: NotAuthenticatedErrorFactory;
}

/**
 * What a concrete scheme tells {@link SecurityScheme}'s constructor.
 *
 * @example
 * ```ts
 * const init: SecuritySchemeInit = {
 *   object: { type: "http", scheme: "bearer" },
 *   challenge: "Bearer",
 *   options: {},
 * };
 * ```
 */
export interface SecuritySchemeInit {
  /** The OpenAPI Security Scheme Object. */
  readonly object: SecuritySchemeObject;
  /** The `WWW-Authenticate` value of the not-authenticated error. */
  readonly challenge: string;
  readonly options: SecuritySchemeOptions<boolean>;
  /** Declared OAuth2 / OpenID Connect scopes, validated. */
  readonly scopes?: Readonly<Record<string, string>>;
}

/**
 * The base of every security scheme (FastAPI's `SecurityBase`). An instance IS a dependency: use it
 * with `Depends(scheme)` or `Security(scheme, { scopes })`, override it with `DependencyOverrides`.
 * Its definition carries the scheme's OpenAPI object, so every route that reaches it documents it.
 *
 * Subclasses implement {@link SecurityScheme.authenticate}, returning the credentials or
 * `this.notAuthenticated(reason)`; this base applies the `autoError` policy and the error factory.
 *
 * @example
 * ```ts
 * class SessionCookie extends SecurityScheme<string> {
 *   constructor() {
 *     super({ object: { type: "apiKey", in: "cookie", name: "sid" }, challenge: "Cookie", options: {} });
 *   }
 *   protected authenticate(request: HttpRequest): string | undefined {
 *     return request.cookies.sid || this.notAuthenticated("missing");
 *   }
 * }
 * ```
 */
export abstract class SecurityScheme<Credentials, AutoError extends boolean = true, Scope extends string = string> {
  readonly [kDependency]: DependencyDefinition;
  /** The name under `components.securitySchemes`. */
  readonly schemeName: string;
  /** The OpenAPI Security Scheme Object, exactly as FastAPI emits it for the same declaration. */
  readonly openapi: SecuritySchemeObject;
  /** The `WWW-Authenticate` challenge of the not-authenticated error. */
  readonly challenge: string;
  readonly description: string | undefined;
  readonly autoError: boolean;
  readonly #errorFactory: NotAuthenticatedErrorFactory;

  protected constructor(init: SecuritySchemeInit) {
    const { options } = init;
    // FastAPI names a scheme after its class (`self.__class__.__name__`), subclasses included.
    const className = new.target.name;
    this.schemeName = options.schemeName === undefined ? className : requireText(options.schemeName, "schemeName", className);
    this.description = optionalText(options.description, "description", this.schemeName);
    this.openapi = Object.freeze(init.object);
    this.challenge = init.challenge;
    this.autoError = options.autoError ?? true;
    this.#errorFactory = options.makeNotAuthenticatedError ?? notAuthenticatedError;
    this[kDependency] = definitionOf(
      defineDependency({
        name: this.schemeName,
        sources: { request: CurrentRequest },
        // Synchronous on purpose: reading a header needs no promise, and the core's plan runs sync
        // steps without allocating one. `this` resolves at request time, after subclass fields are set.
        call: (values) => this.authenticate(values.request as HttpRequest),
        scheme: { name: this.schemeName, object: this.openapi, scopes: init.scopes, ...(this.autoError ? {} : { optional: true }) },
      }),
    );
  }

  /**
   * Reads the credentials from the request. Return them, or `this.notAuthenticated(reason)` when
   * there are none to use.
   */
  protected abstract authenticate(request: HttpRequest): Credentials | undefined;

  /**
   * Applies the `autoError` policy: throws the not-authenticated error, or returns `undefined` when
   * `autoError` is `false`. Every "no usable credentials" path goes through here, so the policy
   * holds for malformed credentials too.
   */
  protected notAuthenticated(reason: NotAuthenticatedReason): undefined {
    if (this.autoError) throw this.makeNotAuthenticatedError(reason);
    return undefined;
  }

  /**
   * The error thrown when `autoError` is on (FastAPI's `make_not_authenticated_error`). Override it
   * in a subclass, or pass `makeNotAuthenticatedError` in the options.
   */
  protected makeNotAuthenticatedError(reason: NotAuthenticatedReason): Error {
    return this.#errorFactory({ schemeName: this.schemeName, challenge: this.challenge, reason });
  }
}

/**
 * The dependency side of every scheme: a scheme is a `Dependency` of its {@link SchemeValue}.
 * Declaration merging gives the instance type the core's `Dependency` members, including its
 * phantom value type, whatever shape the core gives that phantom; nothing here exists at run time.
 *
 * @example
 * ```ts
 * const asDependency: Dependency<string> = new OAuth2PasswordBearer({ tokenUrl: "token" });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
// `Scope`: the scope names `Security(scheme, { scopes })` accepts, which every dependency that uses
// the scheme inherits (typed scopes); `string` for schemes that declare none.
export interface SecurityScheme<Credentials, AutoError extends boolean = true, Scope extends string = string>
  extends Dependency<SchemeValue<Credentials, AutoError>, Scope> {}
