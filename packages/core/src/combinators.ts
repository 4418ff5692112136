import { type AlternativeFailure, type Dependency, defineDependency } from "./dependency.js";
import { DeclarationError, HTTPException } from "./errors.js";
import { type DependsSource, type ScopesOf, type SecuritySource, sourceKind, type SourceMap, type ValueOf, type ValuesOf } from "./sources.js";

/**
 * The uses `anyOf` and `allOf` combine: `Depends(...)` or `Security(...)`, by name.
 *
 * @example
 * ```ts
 * const uses: UseMap = { key: Depends(apiKey), user: Security(getCurrentUser, { scopes: ["admin"] }) };
 * ```
 */
export type UseMap = Readonly<Record<string, DependsSource<unknown, string> | SecuritySource<unknown, string, string>>>;

/**
 * The value of `anyOf`: which alternative succeeded (`via`) and its value; a discriminated union.
 *
 * @example
 * ```ts
 * type Who = AnyOfValue<{ key: DependsSource<string>; user: SecuritySource<User> }>;
 * // { via: "key"; value: string } | { via: "user"; value: User }
 * ```
 */
export type AnyOfValue<S extends UseMap> = { [K in keyof S & string]: { readonly via: K; readonly value: ValueOf<S[K]> } }[keyof S & string];

/**
 * Options of {@link anyOf}.
 *
 * @example
 * ```ts
 * const principal = anyOf({ key: Depends(apiKey) }, { name: "serviceKey", onFailure: () => new HTTPException(403, "Forbidden") });
 * ```
 */
export interface AnyOfOptions {
  /** Name in dependency paths and reports (default `anyOf(a, b, ...)`). */
  readonly name?: string;
  /**
   * The error to throw when no alternative succeeded (default: an {@link AlternativesFailed}).
   * Receives every alternative's failure, in order.
   */
  readonly onFailure?: (failures: readonly AlternativeFailure[]) => unknown;
}

/**
 * Thrown by {@link anyOf} when every alternative failed: the first failure's status and detail,
 * every distinct `WWW-Authenticate` challenge (RFC 7235 allows several), and all failures.
 *
 * @example
 * ```ts
 * try { await route.execute(request); } catch (error) {
 *   if (error instanceof AlternativesFailed) console.log(error.failures.map((f) => f.via));
 * }
 * ```
 */
export class AlternativesFailed extends HTTPException {
  override readonly name = "AlternativesFailed";
  readonly failures: readonly AlternativeFailure[];

  constructor(failures: readonly AlternativeFailure[]) {
    const first = failures.find((f) => f.error instanceof HTTPException)?.error as HTTPException | undefined;
    const challenges: string[] = [];
    for (const { error } of failures) {
      const headers = error instanceof HTTPException ? error.headers : undefined;
      const challenge = headers && Object.entries(headers).find(([name]) => name.toLowerCase() === "www-authenticate")?.[1];
      if (challenge && !challenges.includes(challenge)) challenges.push(challenge);
    }
    const headers = { ...(first?.headers ?? {}) };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === "www-authenticate") delete headers[name];
    if (challenges.length > 0) headers["WWW-Authenticate"] = challenges.join(", ");
    super(first?.status ?? 401, first?.detail ?? "Not authenticated", Object.keys(headers).length > 0 ? headers : undefined);
    this.failures = failures;
  }
}

function assertUses(uses: SourceMap, what: string): void {
  const keys = Object.keys(uses);
  if (keys.length === 0) throw new DeclarationError("DEPENDS_INVALID_ALTERNATIVES", `${what}() needs at least one alternative`);
  for (const key of keys) {
    const kind = sourceKind(uses[key]);
    if (kind !== "depends" && kind !== "security") {
      throw new DeclarationError("DEPENDS_INVALID_ALTERNATIVES", `${what}() alternative "${key}" must be Depends(...) or Security(...)`);
    }
  }
}

/**
 * Alternatives, tried in order until one succeeds: e.g. an API key, **or** a bearer token with scope
 * `admin`. An alternative fails when it throws an `HTTPException` (any other error is not a failed
 * credential: it propagates at once). The value says which alternative succeeded. OpenAPI documents
 * it exactly: one security requirement object per alternative (OR), each holding everything that
 * alternative requires (AND).
 *
 * Alternatives are compiled into sub-plans of their own: they do not share per-request cached values
 * with the rest of the route, a function-scoped teardown inside one runs when that alternative ends,
 * and a failed alternative's teardowns run before the next is tried.
 *
 * @example
 * ```ts
 * const principal = anyOf({
 *   apiKey: Depends(serviceKey),
 *   admin: Security(getCurrentUser, { scopes: ["admin"] }),
 * });
 * api.get("/admin/stats", { who: Depends(principal) }, ({ who }) => (who.via === "apiKey" ? "service" : who.value.username));
 * ```
 */
export function anyOf<const S extends UseMap>(alternatives: S, options: AnyOfOptions = {}): Dependency<AnyOfValue<S>, ScopesOf<S>> {
  assertUses(alternatives, "anyOf");
  const name = options.name ?? `anyOf(${Object.keys(alternatives).join(", ")})`;
  const onFailure = options.onFailure ?? ((failures: readonly AlternativeFailure[]) => new AlternativesFailed(failures));
  return defineDependency<AnyOfValue<S>, ScopesOf<S>>({
    name,
    sources: {},
    call: () => {
      throw new Error(`${name} runs only inside a compiled route`);
    },
    scheme: undefined,
    alternatives: { uses: alternatives, onFailure },
  });
}

/**
 * Requirements that must all hold, as one dependency whose value holds each one's value: useful as
 * one alternative of {@link anyOf}. (Plain sources of a dependency are already all required.)
 *
 * @example
 * ```ts
 * const keyAndUser = allOf({ key: Depends(apiKey), user: Security(getCurrentUser, { scopes: ["me"] }) });
 * const principal = anyOf({ both: Depends(keyAndUser), admin: Security(getCurrentUser, { scopes: ["admin"] }) });
 * ```
 */
export function allOf<const S extends UseMap>(requirements: S, options: { readonly name?: string } = {}): Dependency<ValuesOf<S>, ScopesOf<S>> {
  assertUses(requirements, "allOf");
  return defineDependency<ValuesOf<S>, ScopesOf<S>>({
    name: options.name ?? `allOf(${Object.keys(requirements).join(", ")})`,
    sources: requirements,
    call: (values) => values,
    scheme: undefined,
  });
}
