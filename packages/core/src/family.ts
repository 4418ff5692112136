import type { Dependency } from "./dependency.js";
import { isDependency } from "./dependency.js";
import { DeclarationError } from "./errors.js";

const kFamily: unique symbol = Symbol.for("@depends/core.family");

/** @internal What a family knows of its members. */
export interface FamilyMembers {
  /** The arguments `dependency` was made with, if this family made it. */
  argsOf(dependency: Dependency): readonly unknown[] | undefined;
}

/**
 * A factory of dependencies (`requireRole("admin")`) whose members tests can override as a
 * family with `overrides.setFamily`, typed by the factory's parameters. Calls with the same
 * (JSON-equal) arguments return the same dependency, so they share one per-request value.
 *
 * @example
 * ```ts
 * const requireRole = dependencyFamily((role: "admin" | "editor") =>
 *   dependency({ user: Depends(getCurrentUser) }, ({ user }) => {
 *     if (!user.roles.includes(role)) throw new HTTPException(403, "Forbidden");
 *     return user;
 *   }),
 * );
 * api.delete("/items/{id}", { user: Depends(requireRole("admin")) }, remove);
 * ```
 */
export interface DependencyFamily<A extends readonly unknown[], T, Scope extends string = string> {
  (...args: A): Dependency<T, Scope>;
  /** @internal */
  readonly [kFamily]: FamilyMembers;
}

function keyOf(args: readonly unknown[]): string | undefined {
  try {
    return JSON.stringify(args);
  } catch {
    return undefined; // not JSON (a function, a cycle): every call makes its own member
  }
}

/**
 * Wraps a factory of dependencies into a {@link DependencyFamily}.
 *
 * @example
 * ```ts
 * const requireRole = dependencyFamily((role: string) => dependency({ user: Depends(getUser) }, ({ user }) => check(user, role)));
 * overrides.setFamily(requireRole, (role) => dependency(() => ({ name: "test", roles: [role] })));
 * ```
 */
export function dependencyFamily<const A extends readonly unknown[], T, Scope extends string>(factory: (...args: A) => Dependency<T, Scope>): DependencyFamily<A, T, Scope> {
  if (typeof factory !== "function") throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "dependencyFamily() needs a factory function");
  const byKey = new Map<string, Dependency<T, Scope>>();
  const args = new WeakMap<Dependency, readonly unknown[]>();
  const family = (...given: A): Dependency<T, Scope> => {
    const key = keyOf(given);
    const known = key === undefined ? undefined : byKey.get(key);
    if (known !== undefined) return known;
    const member = factory(...given);
    if (!isDependency(member)) throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", `The factory of a dependency family returned ${typeof member}, not a dependency`);
    if (key !== undefined) byKey.set(key, member);
    args.set(member, Object.freeze([...given]));
    return member;
  };
  const members: FamilyMembers = { argsOf: (dependency) => args.get(dependency) };
  return Object.assign(family, { [kFamily]: members }) as DependencyFamily<A, T, Scope>;
}

/** @internal The members of a family, or `undefined` for a value that is not one. */
export function familyMembers(value: unknown): FamilyMembers | undefined {
  return typeof value === "function" ? (value as { [kFamily]?: FamilyMembers })[kFamily] : undefined;
}
