/**
 * Deep freezing of verified claims. One payload object may be handed to many requests (the cache
 * returns the same object on every hit), so no caller may be able to change what another sees.
 * Freezing once, when the payload is produced, makes every later hit free; copying on each hit would
 * put an allocation back on the hot path.
 */

/**
 * `T` with every property, at every depth, read-only.
 *
 * @example
 * ```ts
 * type Claims = DeepReadonly<{ roles: string[] }>; // { readonly roles: readonly string[] }
 * ```
 */
export type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Freezes a JSON value and everything it contains, in place, and returns it.
 *
 * @example
 * ```ts
 * const claims = deepFreeze(JSON.parse('{"sub":"johndoe","roles":["admin"]}'));
 * Object.isFrozen(claims.roles); // true
 * ```
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  // Iterative: a claims set is attacker-shaped JSON, and nesting depth must not become stack depth.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== "object" || current === null || Object.isFrozen(current)) continue;
    Object.freeze(current);
    for (const key of Object.keys(current)) pending.push((current as Record<string, unknown>)[key]);
  }
  return value as DeepReadonly<T>;
}
