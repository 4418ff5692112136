import type { DependsSource, SecuritySource, SourceMap, ValuesOf } from "./sources.js";

/**
 * A dependency used at app, router or route level: it runs before the handler's own sources; its value is discarded.
 *
 * @example
 * ```ts
 * const dependencies: RouteDependency[] = [Depends(verifyKey), Security(getCurrentUser, { scopes: ["admin"] })];
 * ```
 */
export type RouteDependency = DependsSource<unknown> | SecuritySource<unknown>;

/**
 * Everything a route declares. `dependencies` come in FastAPI's order: app, then router(s), then
 * the route's own.
 *
 * @example
 * ```ts
 * const def: RouteDefinition<{ user: SecuritySource<User> }, Item[]> = {
 *   method: "GET", path: "/users/me/items/",
 *   sources: { user: Security(getCurrentActiveUser, { scopes: ["items"] }) },
 *   handler: ({ user }) => [{ item_id: "Foo", owner: user.username }],
 * };
 * ```
 */
export interface RouteDefinition<S extends SourceMap, R> {
  readonly method: string;
  readonly path: string;
  readonly sources: S;
  readonly handler: (values: ValuesOf<S>) => R;
  readonly dependencies?: readonly RouteDependency[];
  /** Name of the handler in dependency paths (default: the handler function's name, else `METHOD path`). */
  readonly name?: string;
}
