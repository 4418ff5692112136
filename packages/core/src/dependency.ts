import { DeclarationError } from "./errors.js";
import { disposingCall } from "./lifetime/dispose.js";
import type { ScopesOf, SourceMap, ValuesOf } from "./sources.js";
import type { RawReplyType } from "./request.js";
import { kDependency } from "./symbols.js";

/**
 * How a dependency function produces its value; decided once, when it is declared.
 *
 * @example
 * ```ts
 * const kind: CallKind = callKindOf(async function* getDb() {}); // "asyncGenerator"
 * ```
 */
export type CallKind = "sync" | "async" | "generator" | "asyncGenerator";

/**
 * What a security scheme contributes to OpenAPI and to scope checks.
 *
 * @example
 * ```ts
 * const info: SecuritySchemeInfo = { name: "ApiKey", object: { type: "apiKey", name: "x-key", in: "header" }, scopes: undefined };
 * ```
 */
export interface SecuritySchemeInfo {
  /** The name under `components.securitySchemes` (FastAPI's `scheme_name`). */
  readonly name: string;
  /** The OpenAPI Security Scheme Object. */
  readonly object: Readonly<Record<string, unknown>>;
  /** Scopes the scheme declares, with their descriptions (OAuth2 and OpenID Connect). */
  readonly scopes?: Readonly<Record<string, string>> | undefined;
  /**
   * The scheme lets requests without credentials through (`autoError: false`): a route reaching it
   * has an alternative that requires nothing, documented as `{}` and reported as optional
   * authentication.
   */
  readonly optional?: boolean | undefined;
}

/**
 * The runtime half of a dependency: what the compiler reads.
 *
 * @example
 * ```ts
 * const { name, sources, callKind } = definitionOf(getCurrentUser);
 * ```
 */
export interface DependencyDefinition {
  readonly name: string;
  readonly sources: SourceMap;
  readonly call: (values: Record<string, unknown>) => unknown;
  readonly callKind: CallKind;
  readonly scheme: SecuritySchemeInfo | undefined;
  /** Set by `anyOf`: uses tried in order until one succeeds (the compiler builds one sub-plan each). */
  readonly alternatives?: AlternativesSpec | undefined;
}

/**
 * What `anyOf` declares: its alternatives, and how to answer when none succeeds.
 *
 * @example
 * ```ts
 * const spec: AlternativesSpec | undefined = definitionOf(anyOf({ key: Depends(apiKey) })).alternatives;
 * ```
 */
export interface AlternativesSpec {
  readonly uses: SourceMap;
  readonly onFailure: (failures: readonly AlternativeFailure[]) => unknown;
}

/**
 * One alternative's failure, as given to `anyOf`'s `onFailure`.
 *
 * @example
 * ```ts
 * anyOf(uses, { onFailure: (failures: readonly AlternativeFailure[]) => new HTTPException(401, failures.map((f) => f.via).join(", ")) });
 * ```
 */
export interface AlternativeFailure {
  /** The alternative's key. */
  readonly via: string;
  readonly error: unknown;
}

/**
 * A function plus the named sources it needs. `T` is the value it provides to whoever depends on it;
 * `Scope` the scope names `Security(dep, { scopes })` may require of it: the scopes declared by the
 * security schemes it reaches, or any string when it reaches none.
 * Build one with {@link dependency}; security schemes are dependencies too.
 *
 * @example
 * ```ts
 * const getDb: Dependency<Db> = dependency(() => db);
 * const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "...", items: "..." } });
 * const getUser = dependency({ token: Depends(scheme) }, ({ token }) => load(token)); // Dependency<User, "me" | "items">
 * ```
 */
export interface Dependency<T = unknown, Scope extends string = string> {
  readonly [kDependency]: DependencyDefinition;
  /**
   * Phantom: the provided value's type, as a function result so that inference from a class
   * instance (a security scheme) keeps `| undefined`. Never set at run time.
   */
  readonly __value?: () => T;
  /** Phantom: the scope names this dependency accepts. Never set at run time. */
  readonly __scopes?: Scope;
}

/**
 * The value a dependency function produces once awaited / yielded.
 *
 * @example
 * ```ts
 * type Db = Provided<AsyncGenerator<Connection>>; // Connection
 * ```
 */
export type Provided<R> =
  R extends AsyncGenerator<infer Y, unknown, unknown>
    ? Y
    : R extends Generator<infer Y, unknown, unknown>
      ? Y
      : Settled<R>;

/**
 * `Awaited<R>`, except that the adapter's reply stays itself: it is thenable in fastify, but a
 * dependency that returns it (or a promise of it) provides the reply (docs/dependencies.md).
 */
type Settled<R> = unknown extends RawReplyType ? Awaited<R> : R extends RawReplyType ? R : R extends PromiseLike<infer V> ? (V extends RawReplyType ? V : Awaited<R>) : Awaited<R>;

/**
 * The value type a dependency provides.
 *
 * @example
 * ```ts
 * type User = ValueOfDependency<typeof getCurrentUser>;
 * ```
 */
export type ValueOfDependency<D> = D extends Dependency<infer T, string> ? T : never;

/**
 * The scope names a dependency accepts.
 *
 * @example
 * ```ts
 * type Scopes = ScopesOfDependency<typeof getCurrentUser>; // "me" | "items"
 * ```
 */
export type ScopesOfDependency<D> = D extends Dependency<unknown, infer Scope> ? Scope : never;

/**
 * Options of {@link dependency}.
 *
 * @example
 * ```ts
 * const getDb = dependency(() => pool.connect(), { name: "getDb" });
 * const getClient = dependency(async () => openClient(), { dispose: true }); // client[Symbol.asyncDispose]() at the end of the request
 * ```
 */
export interface DependencyOptions {
  /** The name used in error messages, reports and the dependency path (default: the function's name). */
  readonly name?: string;
  /**
   * Dispose of the value (`[Symbol.asyncDispose]()`, else `[Symbol.dispose]()`) at the end of its
   * scope, exactly where a generator's teardown would run (default `false`: a shared object is
   * never closed by accident). For plain and async functions.
   */
  readonly dispose?: boolean;
}

/**
 * Declares a dependency: `sources` names what the function needs, and TypeScript infers the
 * function's argument from it. The function may be sync, async, a generator or an async generator
 * (code before `yield` is setup, after it teardown).
 *
 * @example
 * ```ts
 * const getCurrentUser = dependency(
 *   { securityScopes: SecurityScopes, token: Depends(oauth2Scheme) },
 *   async ({ securityScopes, token }) => verify(token, securityScopes.scopes),
 * );
 * const getDb = dependency(async function* getDb() {
 *   const db = await connect();
 *   try { yield db; } finally { await db.close(); }
 * });
 * ```
 */
export function dependency<R>(fn: () => R, options?: DependencyOptions): Dependency<Provided<R>>;
export function dependency<const S extends SourceMap, R>(
  sources: S,
  fn: (values: ValuesOf<S>) => R,
  options?: DependencyOptions,
): Dependency<Provided<R>, ScopesOf<S>>;
export function dependency(
  a: SourceMap | ((values: never) => unknown),
  b?: ((values: never) => unknown) | DependencyOptions,
  c?: DependencyOptions,
): Dependency {
  const [sources, fn, options] =
    typeof a === "function" ? [{}, a, b as DependencyOptions | undefined] : [a, b as (values: never) => unknown, c];
  if (typeof fn !== "function") {
    throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "dependency() needs a function");
  }
  if (sources === null || typeof sources !== "object") {
    throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "dependency() sources must be an object of named sources");
  }
  const name = options?.name ?? (fn.name || "anonymous");
  const call = fn as (values: Record<string, unknown>) => unknown;
  if (options?.dispose !== true) return defineDependency({ name, sources, call, scheme: undefined });
  let disposing: typeof call;
  try {
    disposing = disposingCall(call, callKindOf(call), name);
  } catch (error) {
    throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", (error as Error).message);
  }
  return defineDependency({ name, sources, call: disposing, callKind: "asyncGenerator", scheme: undefined });
}

/** Classifies a function by its constructor: no call is needed. */
export function callKindOf(fn: (...args: never[]) => unknown): CallKind {
  switch (fn.constructor?.name) {
    case "AsyncFunction":
      return "async";
    case "GeneratorFunction":
      return "generator";
    case "AsyncGeneratorFunction":
      return "asyncGenerator";
    default:
      return "sync";
  }
}

/**
 * Low-level constructor of a dependency object, for libraries that build their own (security
 * schemes do). Freezes a copy of `sources`, so a declaration cannot change after it is compiled.
 *
 * @example
 * ```ts
 * const dep = defineDependency({ name: "now", sources: {}, call: () => Date.now(), scheme: undefined });
 * ```
 */
export function defineDependency<T, Scope extends string = string>(definition: Omit<DependencyDefinition, "callKind"> & { callKind?: CallKind }): Dependency<T, Scope> {
  const frozen: DependencyDefinition = Object.freeze({
    name: definition.name,
    sources: Object.freeze({ ...definition.sources }),
    call: definition.call,
    callKind: definition.callKind ?? callKindOf(definition.call),
    scheme: definition.scheme,
    alternatives: definition.alternatives,
  });
  return Object.freeze({ [kDependency]: frozen }) as Dependency<T, Scope>;
}

/**
 * Whether `value` is a dependency object.
 *
 * @example
 * ```ts
 * isDependency(dependency(() => 1)); // true
 * isDependency(() => 1);             // false: wrap it with dependency()
 * ```
 */
export function isDependency(value: unknown): value is Dependency {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { [kDependency]?: unknown })[kDependency] === "object"
  );
}

/**
 * The runtime definition of a dependency (its name, sources and function).
 *
 * @example
 * ```ts
 * definitionOf(getCurrentUser).name; // "getCurrentUser"
 * ```
 */
export function definitionOf(dep: Dependency): DependencyDefinition {
  return dep[kDependency];
}
