import { type Dependency, isDependency } from "./dependency.js";
import { DeclarationError } from "./errors.js";
import type { ParamSource } from "./params.js";
import type { HttpRequest, RawReplyType, RawRequestType, RawWebSocketType } from "./request.js";
import { SecurityScopes } from "./security-scopes.js";
import { kSource } from "./symbols.js";

/**
 * Lifetime of a use: `"function"` closes a generator before the response is sent, `"request"`
 * after it; `"app"` makes one value per application, created at startup (or on first use with
 * `lazy: true`) and torn down when the application closes.
 *
 * @example
 * ```ts
 * Depends(getDb, { scope: "function" satisfies TeardownScope });
 * Depends(pool, { scope: "app" });
 * ```
 */
export type TeardownScope = "function" | "request" | "app";

/**
 * A use of another dependency: `Depends(dep)`.
 *
 * @example
 * ```ts
 * const db: DependsSource<Db> = Depends(getDb);
 * ```
 */
export interface DependsSource<T, Accepts extends string = string> {
  readonly [kSource]: "depends";
  readonly dependency: Dependency<T, Accepts>;
  readonly useCache: boolean;
  readonly scope: TeardownScope | undefined;
  /** Set with `scope: "app"`: created on first use rather than at startup. */
  readonly lazy?: boolean;
  /** Always empty for `Depends`; `Security` fills it. */
  readonly scopes: readonly string[];
}

/**
 * A use of another dependency that requires scopes: `Security(dep, { scopes })`.
 *
 * @example
 * ```ts
 * const user: SecuritySource<User, "me" | "items", "items"> = Security(getCurrentUser, { scopes: ["items"] });
 * ```
 */
export interface SecuritySource<T, Accepts extends string = string, Scope extends Accepts = Accepts>
  extends Omit<DependsSource<T, Accepts>, typeof kSource | "scopes"> {
  readonly [kSource]: "security";
  readonly scopes: readonly Scope[];
}

/**
 * The raw adapter request or reply, or the framework-neutral request view.
 *
 * @example
 * ```ts
 * const request: RequestSource<HttpRequest> = Request;
 * ```
 */
export interface RequestSource<T> {
  readonly [kSource]: "request" | "rawRequest" | "rawReply" | "websocket" | "backgroundTasks";
  /** Phantom: the injected value's type. */
  readonly __value?: T;
}

/**
 * Anything that can stand in a sources object.
 *
 * @example
 * ```ts
 * const sources: Record<string, Source> = { db: Depends(getDb), q: Query(Type.String()) };
 * ```
 */
export type Source = DependsSource<unknown, string> | SecuritySource<unknown, string, string> | RequestSource<unknown> | ParamSource<unknown> | typeof SecurityScopes;

/**
 * The named sources of a dependency or handler.
 *
 * @example
 * ```ts
 * const sources = { db: Depends(getDb), scopes: SecurityScopes } satisfies SourceMap;
 * ```
 */
export type SourceMap = Readonly<Record<string, Source>>;

/**
 * The value a source injects.
 *
 * @example
 * ```ts
 * type Db = ValueOf<DependsSource<Db>>;
 * ```
 */
export type ValueOf<S> = S extends typeof SecurityScopes
  ? SecurityScopes
  : S extends DependsSource<infer T>
    ? T
    : S extends SecuritySource<infer T>
      ? T
      : S extends RequestSource<infer T>
        ? T
        : S extends ParamSource<infer T>
          ? T
          : never;

type AcceptedBy<S> = S extends { readonly dependency: Dependency<unknown, infer Accepts> } ? Accepts : never;

/**
 * The scope names a dependency declared with sources `S` accepts: those of the dependencies it
 * uses, or any string when none of them is tied to a security scheme's declared scopes.
 * @example
 * ```ts
 * type Accepted = ScopesOf<{ token: DependsSource<string, "me" | "items"> }>; // "me" | "items"
 * ```
 */
export type ScopesOf<S extends SourceMap> = [AcceptedBy<S[keyof S]>] extends [never] ? string : AcceptedBy<S[keyof S]>;

/**
 * The values object a function declared with `S` receives.
 *
 * @example
 * ```ts
 * type Values = ValuesOf<{ db: DependsSource<Db>; q: ParamSource<string> }>; // { readonly db: Db; readonly q: string }
 * ```
 */
export type ValuesOf<S extends SourceMap> = { readonly [K in keyof S]: ValueOf<S[K]> };

/**
 * Options of {@link Depends}.
 *
 * @example
 * ```ts
 * Depends(getClock, { useCache: false });
 * Depends(getDb, { scope: "function" });
 * Depends(pool, { scope: "app", lazy: true });
 * ```
 */
export type DependsOptions = {
  /** Reuse the value computed earlier in the same request for the same dependency (default `true`). */
  readonly useCache?: boolean;
} & (
  | {
      /** Teardown scope of a generator dependency (default `"request"`), or `"app"`: one value per application. */
      readonly scope?: "function" | "request";
      readonly lazy?: undefined;
    }
  | {
      readonly scope: "app";
      /** Create the value on its first use instead of at startup (default `false`). */
      readonly lazy?: boolean;
    }
);

/**
 * Options of {@link Security}.
 *
 * @example
 * ```ts
 * Security(getCurrentUser, { scopes: ["items"], useCache: true });
 * ```
 */
export interface SecurityOptions<Scope extends string = string> {
  /** Scopes this use requires, added to those its ancestors require. */
  readonly scopes?: readonly Scope[];
  /** Reuse the value computed earlier in the same request for the same dependency and scopes (default `true`). */
  readonly useCache?: boolean;
}

function assertDependency(dep: unknown, what: string): void {
  if (!isDependency(dep)) {
    throw new DeclarationError("DEPENDS_NOT_A_DEPENDENCY", `${what}() needs a dependency (made with dependency() or a security scheme), got ${describe(dep)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "function") return `the plain function ${value.name || "(anonymous)"}: wrap it with dependency()`;
  return value === null ? "null" : typeof value;
}

/**
 * Declares that a value comes from another dependency, as FastAPI's `Depends`.
 *
 * @example
 * ```ts
 * const handler = { db: Depends(getDb), fresh: Depends(getClock, { useCache: false }) };
 * ```
 */
export function Depends<T, Accepts extends string>(dependency: Dependency<T, Accepts>, options: DependsOptions = {}): DependsSource<T, Accepts> {
  assertDependency(dependency, "Depends");
  if (options.scope !== undefined && options.scope !== "function" && options.scope !== "request" && options.scope !== "app") {
    throw new DeclarationError("DEPENDS_INVALID_TEARDOWN_SCOPE", `Depends() scope must be "function", "request" or "app", got ${JSON.stringify(options.scope)}`);
  }
  if (options.lazy !== undefined && options.scope !== "app") {
    throw new DeclarationError("DEPENDS_INVALID_SOURCE", 'Depends() `lazy` applies to app-scoped dependencies only: add `scope: "app"`');
  }
  const lazy = options.lazy === true ? { lazy: true } : {};
  return Object.freeze({ [kSource]: "depends" as const, dependency, useCache: options.useCache ?? true, scope: options.scope, ...lazy, scopes: [] });
}

/**
 * Declares a dependency that requires OAuth2 scopes, as FastAPI's `Security`. The dependency and
 * everything below it see these scopes (after their ancestors') through {@link SecurityScopes}.
 * When the dependency reaches a security scheme that declares its scopes, only those names type-check.
 *
 * @example
 * ```ts
 * const route = { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) };
 * // Security(getCurrentActiveUser, { scopes: ["itms"] }) is a compile error when the scheme declares "me" | "items"
 * ```
 */
export function Security<T, Accepts extends string, const Scope extends Accepts = never>(
  dependency: Dependency<T, Accepts>,
  options: SecurityOptions<Scope> = {},
): SecuritySource<T, Accepts, Scope> {
  assertDependency(dependency, "Security");
  const scopes = options.scopes ?? [];
  if (!Array.isArray(scopes)) {
    throw new DeclarationError("DEPENDS_INVALID_SCOPE", "Security() scopes must be an array of strings");
  }
  return Object.freeze({
    [kSource]: "security" as const,
    dependency,
    useCache: options.useCache ?? true,
    scope: undefined,
    scopes: Object.freeze([...scopes]),
  });
}

/**
 * Injects the framework-neutral {@link HttpRequest} view (headers, query, cookies, body, raw):
 * FastAPI's `request: Request` (named so as not to shadow the global fetch `Request`).
 *
 * @example
 * ```ts
 * const userAgent = dependency({ request: CurrentRequest }, ({ request }) => request.headers["user-agent"]);
 * ```
 */
export const CurrentRequest: RequestSource<HttpRequest> = Object.freeze({ [kSource]: "request" as const });

/**
 * Injects the adapter's raw request object (a `FastifyRequest` with `@depends/fastify`).
 *
 * @example
 * ```ts
 * const ip = dependency({ req: RawRequest }, ({ req }) => req.ip);
 * ```
 */
export const RawRequest: RequestSource<RawRequestType> = Object.freeze({ [kSource]: "rawRequest" as const });

/**
 * Injects the adapter's raw reply object (a `FastifyReply` with `@depends/fastify`), e.g. to set a header.
 *
 * @example
 * ```ts
 * const noStore = dependency({ reply: RawReply }, ({ reply }) => { reply.header("cache-control", "no-store"); });
 * ```
 */
export const RawReply: RequestSource<RawReplyType> = Object.freeze({ [kSource]: "rawReply" as const });

/**
 * Injects the connection's socket on a WebSocket route (a `ws` `WebSocket` with `@depends/fastify`),
 * as FastAPI's `websocket: WebSocket`. The adapter supplies it once the handshake is accepted, after
 * every dependency ran, so only the route's own handler may declare it.
 *
 * @example
 * ```ts
 * api.websocket("/ws", { socket: WebSocket, user: Security(getUser, { scopes: ["items"] }) }, ({ socket, user }) => {
 *   socket.send(`hello ${user.username}`);
 * });
 * ```
 */
export const WebSocket: RequestSource<RawWebSocketType> = Object.freeze({ [kSource]: "websocket" as const });

/** The tag of each kind of source. */
export type SourceTag = "depends" | "security" | "request" | "rawRequest" | "rawReply" | "param" | "securityScopes" | "websocket" | "backgroundTasks";

/** The kind of a source, or `undefined` for a value that is not one. */
export function sourceKind(source: unknown): SourceTag | undefined {
  if (source === SecurityScopes) return "securityScopes";
  if (typeof source !== "object" || source === null) return undefined;
  return (source as { [kSource]?: SourceTag })[kSource];
}

/**
 * Whether `value` is a source (`Depends`, `Security`, `SecurityScopes`, a request parameter or a
 * request object), as adapters need to tell a sources map from an options object.
 *
 * @example
 * ```ts
 * isSource(Depends(getDb)); // true
 * isSource({ summary: "Read items" }); // false
 * ```
 */
export function isSource(value: unknown): value is Source {
  return sourceKind(value) !== undefined;
}
