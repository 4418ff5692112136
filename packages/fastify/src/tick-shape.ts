/**
 * `@depends/fastify/tick-shape`: an opt-in workaround for a V8 state that makes Node's
 * `process.nextTick` several times slower for the rest of a process (measured on Node 20, 22 and 24:
 * docs/performance.md#nexttick-shape). It changes process-wide state, so nothing loads it unless the
 * application asks: `@depends/fastify` itself does not import it. Load it before the app boots, as
 * early as possible; an app already in the slow state when it runs stays in it.
 *
 * @example
 * ```sh
 * node --import @depends/fastify/tick-shape server.js
 * ```
 *
 * @example
 * ```ts
 * // First line of the application's entry module.
 * import "@depends/fastify/tick-shape";
 * ```
 *
 * @packageDocumentation
 */
import { executionAsyncResource } from "node:async_hooks";

// Why this module exists (docs/performance.md#nexttick-shape):
//
// Node's `process.nextTick` builds each queue entry with an object literal whose first two keys are
// computed symbols. V8 keeps the hidden classes of that literal only while one entry is alive, and
// its inline caches hold them weakly. A full garbage collection while the queue is empty (common
// while an app loads and compiles its routes) frees them; the next `nextTick` then finds the caches
// cleared and marks three of them megamorphic, for the rest of the process. From then on, every
// optimised caller of `nextTick` (Node's stream and HTTP code, about ten calls per request) defines
// those properties through the runtime: 4 to 5 µs of CPU per request on a small route.
//
// Keeping one entry alive keeps its hidden classes, so the caches are never cleared. The entry is
// the one Node makes for the callback below: `executionAsyncResource()` returns it while the
// callback runs. It is taken when this module runs.

/** The entry kept alive. */
const kept: object[] = [];

process.nextTick(function keepTickEntry() {
  const entry: unknown = executionAsyncResource();
  // Only an entry of the tick queue (it carries the callback); anything else is not kept.
  if (typeof entry === "object" && entry !== null && typeof (entry as { callback?: unknown }).callback === "function") kept.push(entry);
});
