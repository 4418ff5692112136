import { type Dependency, dependency, type DependencyOptions, definitionOf, isDependency, type Provided } from "./dependency.js";
import { DeclarationError } from "./errors.js";
import { Depends, type DependsSource, type ScopesOf, type SourceMap, type ValuesOf, isSource } from "./sources.js";

// FastAPI's `Depends()` on a class builds an instance from the constructor's parameters. Here a
// class takes its values as one object, its sources are declared once (a static `sources`, or an
// argument), and one instance's methods can be dependencies of their own.

/**
 * A class whose constructor takes the values of `S`, optionally declaring `S` as a static `sources`.
 *
 * @example
 * ```ts
 * class Pagination {
 *   static readonly sources = { skip: Query(Type.Integer(), { default: 0 }), limit: Query(Type.Integer(), { default: 10 }) };
 *   constructor(readonly values: ValuesOf<typeof Pagination.sources>) {}
 * }
 * const ctor: InjectableClass<typeof Pagination.sources, Pagination> = Pagination;
 * ```
 */
export type InjectableClass<S extends SourceMap, I> = new (values: ValuesOf<S>) => I;

/**
 * A dependency that builds an instance of `Class` from its sources: the class's static `sources`,
 * or those given. The name is the class's.
 *
 * @example
 * ```ts
 * const getPagination = classDependency(Pagination);                                   // static sources
 * const getRepo = classDependency(UserRepo, { db: Depends(getPool, { scope: "app" }) }); // new UserRepo({ db })
 * api.get("/users", { page: Depends(getPagination), repo: Depends(getRepo) }, ({ page, repo }) => repo.list(page.values));
 * ```
 */
export function classDependency<const S extends SourceMap, I>(Class: InjectableClass<S, I> & { readonly sources: S }, sources?: S, options?: DependencyOptions): Dependency<I, ScopesOf<S>>;
export function classDependency<const S extends SourceMap, I>(Class: InjectableClass<S, I>, sources: S, options?: DependencyOptions): Dependency<I, ScopesOf<S>>;
export function classDependency(Class: new (values: never) => unknown, sources?: SourceMap, options?: DependencyOptions): Dependency {
  if (typeof Class !== "function") throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "classDependency() needs a class");
  const declared = sources ?? (Class as { sources?: SourceMap }).sources;
  if (declared === undefined || typeof declared !== "object") {
    throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", `classDependency(${Class.name}): give its sources, or declare them as a static \`sources\``);
  }
  const make = (values: Record<string, unknown>): unknown => new (Class as unknown as new (values: Record<string, unknown>) => unknown)(values);
  return dependency(declared, make as never, { name: Class.name || "anonymous class", ...options });
}

type MethodKeys<I> = { [K in keyof I]: I[K] extends (...args: never[]) => unknown ? K : never }[keyof I];
type MethodResult<I, K extends keyof I> = I[K] extends (...args: never[]) => infer R ? Provided<R> : never;

const SELF = "self";

/**
 * A dependency that calls one method of the instance another dependency provides, with the values
 * of `sources` (if any) as its argument: the instance is made once (per request, or per
 * application with `Depends(dep, { scope: "app" })`) and its methods are shared as dependencies.
 * Sync and async methods (a returned promise is awaited); the source key `self` is reserved.
 *
 * @example
 * ```ts
 * const repo = Depends(classDependency(UserRepo, { db: Depends(getPool, { scope: "app" }) }), { scope: "app" });
 * const findUser = methodDependency(repo, "find", { id: Path(Type.Integer()) }); // repo.find({ id })
 * api.get("/users/{id}", { user: Depends(findUser) }, ({ user }) => user);
 * ```
 */
export function methodDependency<I, K extends MethodKeys<I>, const S extends SourceMap = {}>(
  instance: Dependency<I, string> | DependsSource<I, string>,
  method: K,
  sources?: S,
): Dependency<MethodResult<I, K>, ScopesOf<S>> {
  const use = isDependency(instance) ? Depends(instance) : instance;
  if (!isSource(use)) throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "methodDependency() needs a dependency or a Depends(...) use of one");
  const own = sources ?? ({} as S);
  if (SELF in own) throw new DeclarationError("DEPENDS_INVALID_SOURCE", `methodDependency(): the source key "${SELF}" is reserved for the instance`);
  const name = `${definitionOf(use.dependency).name}.${String(method)}`;
  const call = (values: Record<string, unknown>): unknown => {
    const { [SELF]: self, ...rest } = values;
    const fn = (self as Record<PropertyKey, unknown>)[method as PropertyKey];
    if (typeof fn !== "function") throw new TypeError(`${name} is not a method of the instance`);
    return (fn as (values: unknown) => unknown).call(self, rest);
  };
  return dependency({ ...own, [SELF]: use } as SourceMap, call as never, { name }) as unknown as Dependency<MethodResult<I, K>, ScopesOf<S>>;
}
