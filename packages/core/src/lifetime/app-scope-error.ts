/**
 * An app-scoped dependency failed to start: `path` names it from the route that first reached it,
 * `cause` is what it threw. With `@depends/fastify`, `app.ready()` rejects with it.
 *
 * @example
 * ```ts
 * try {
 *   await app.ready();
 * } catch (error) {
 *   if (error instanceof AppScopeError) console.error(error.path.join(" -> "), error.cause);
 * }
 * ```
 */
export class AppScopeError extends Error {
  override readonly name = "AppScopeError";
  /** Stable code. */
  readonly code = "DEPENDS_APP_SCOPE_FAILED";
  /** The dependency path of the dependency that failed. */
  readonly path: readonly string[];

  constructor(path: readonly string[], cause: unknown) {
    super(`App-scoped dependency failed to start at ${path.join(" -> ")}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.path = path;
  }
}
