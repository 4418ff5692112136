/**
 * The largest trees the engine compiles. Walking a declaration recurses once per level, so a
 * depth limit keeps that recursion far from the stack's capacity (a tree of 500 levels compiles
 * inside a call stack that is already thousands of frames deep); the uses limit bounds the work
 * of a walk (a declaration with `useCache: false` everywhere can otherwise grow exponentially).
 * Past either, registration fails with a `DeclarationError` that names the route and the path.
 *
 * @example
 * ```ts
 * TREE_LIMITS.depth; // 500: dependency levels below a route
 * ```
 */
export const TREE_LIMITS = Object.freeze({
  /** Dependency levels below the route (`DEPENDS_TREE_TOO_DEEP` beyond). */
  depth: 500,
  /** Uses walked in one route's tree, cached uses included (`DEPENDS_TREE_TOO_LARGE` beyond). */
  uses: 100_000,
});

/**
 * The most problems one 422 lists. Every problem is collected (as FastAPI does), so without a
 * bound a 1 MiB JSON array of wrong items would be mapped into a 60 MB answer, with seconds of CPU
 * and hundreds of MB of heap; past this many, the list stops.
 *
 * @example
 * ```ts
 * response.json().detail.length <= MAX_VALIDATION_ITEMS; // always
 * ```
 */
export const MAX_VALIDATION_ITEMS = 100;
