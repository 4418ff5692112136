import { type Dependency, isDependency } from "./dependency.js";
import { DeclarationError } from "./errors.js";
import { type DependencyFamily, type FamilyMembers, familyMembers } from "./family.js";

/** A family override: how to replace a member, and the replacements made (one per member). */
interface FamilyOverride {
  readonly members: FamilyMembers;
  readonly make: (...args: never[]) => Dependency;
  readonly made: WeakMap<Dependency, Dependency>;
}

/**
 * A handle that undoes one override; works with `using`.
 *
 * @example
 * ```ts
 * const handle = overrides.set(getCurrentUser, fakeUser);
 * handle.restore(); // or: using _ = overrides.set(...)
 * ```
 */
export interface OverrideHandle extends Disposable {
  /** Puts back whatever was in place before this override (idempotent). */
  restore(): void;
}

/**
 * Replacements of dependencies, for tests: `set(original, replacement)` makes every route compiled
 * with this registry run `replacement` wherever `original` is used. The replacement keeps the
 * original's place in the tree: its scopes (so `SecurityScopes` is unchanged) and its cache identity.
 *
 * Routes check one version number per request and re-plan only when an override changed: a
 * registry with no override costs nothing, and an active override costs nothing after the first
 * request that sees it.
 *
 * @example
 * ```ts
 * const overrides = new DependencyOverrides();
 * {
 *   using _ = overrides.set(getCurrentUser, dependency(() => ({ username: "test" })));
 *   await app.inject({ url: "/users/me/" }); // runs the fake user
 * } // restored here
 * ```
 */
export class DependencyOverrides {
  #map = new Map<Dependency, Dependency>();
  /**
   * @internal The version as a plain data property, which compiled routes read once per request
   * (a field of a plain object is the cheapest read there is).
   */
  readonly clock: { version: number } = { version: 0 };
  #families = new Map<object, FamilyOverride>();

  /** Increases whenever an override changes; compiled routes compare it to re-plan. */
  get version(): number {
    return this.clock.version;
  }

  /** Number of active overrides (a family override counts once). */
  get size(): number {
    return this.#map.size + this.#families.size;
  }

  /** Replaces `original` by `replacement` (typed against the original's value) until restored. */
  set<T>(original: Dependency<T, string>, replacement: Dependency<NoInfer<T>, string>): OverrideHandle {
    if (!isDependency(original) || !isDependency(replacement)) {
      throw new DeclarationError("DEPENDS_NOT_A_DEPENDENCY", "DependencyOverrides.set() needs two dependencies (made with dependency() or a security scheme)");
    }
    const had = this.#map.has(original);
    const previous = this.#map.get(original);
    this.#map.set(original, replacement);
    this.clock.version++;
    let restored = false;
    const restore = (): void => {
      if (restored) return;
      restored = true;
      if (this.#map.get(original) !== replacement) return; // replaced again since: leave the newer one
      if (had && previous !== undefined) this.#map.set(original, previous);
      else this.#map.delete(original);
      this.clock.version++;
    };
    return { restore, [Symbol.dispose]: restore };
  }

  /** Removes the override of `original`, if any. */
  delete(original: Dependency): boolean {
    const removed = this.#map.delete(original);
    if (removed) this.clock.version++;
    return removed;
  }

  /**
   * Replaces every member of a {@link DependencyFamily} (`requireRole("admin")`, `requireRole("editor")`,
   * made before or after this call) by `replacement(...args)`, typed by the factory's parameters,
   * until restored. An override of one member (`set`) wins over the family's.
   */
  setFamily<const A extends readonly unknown[], T>(family: DependencyFamily<A, T, string>, replacement: (...args: A) => Dependency<T, string>): OverrideHandle {
    const members = familyMembers(family);
    if (members === undefined || typeof replacement !== "function") {
      throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "DependencyOverrides.setFamily() needs a family (made with dependencyFamily()) and a factory of replacements");
    }
    const previous = this.#families.get(family);
    const entry: FamilyOverride = { members, make: replacement as unknown as FamilyOverride["make"], made: new WeakMap() };
    this.#families.set(family, entry);
    this.clock.version++;
    let restored = false;
    const restore = (): void => {
      if (restored) return;
      restored = true;
      if (this.#families.get(family) !== entry) return;
      if (previous !== undefined) this.#families.set(family, previous);
      else this.#families.delete(family);
      this.clock.version++;
    };
    return { restore, [Symbol.dispose]: restore };
  }

  /** Removes every override. */
  clear(): void {
    if (this.#map.size === 0 && this.#families.size === 0) return;
    this.#map.clear();
    this.#families.clear();
    this.clock.version++;
  }

  /** The replacement of `original`, if one is set (for itself, or for its family). */
  get<T>(original: Dependency<T, string>): Dependency<T, string> | undefined {
    const direct = this.#map.get(original);
    if (direct !== undefined || this.#families.size === 0) return direct as Dependency<T> | undefined;
    for (const family of this.#families.values()) {
      const args = family.members.argsOf(original);
      if (args === undefined) continue;
      let made = family.made.get(original);
      if (made === undefined) {
        made = (family.make as (...a: readonly unknown[]) => Dependency)(...args);
        if (!isDependency(made)) throw new DeclarationError("DEPENDS_INVALID_DEPENDENCY", "A family override's factory must return a dependency");
        family.made.set(original, made);
      }
      return made as Dependency<T>;
    }
    return undefined;
  }
}
