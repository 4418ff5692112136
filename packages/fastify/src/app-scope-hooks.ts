import type { FastifyInstance } from "fastify";
import type { DependsState } from "./state.js";

/**
 * Ties the application's app-scoped values to its lifecycle: made in `onReady` (a failure rejects
 * `ready()` and leaves nothing open), torn down in `onClose`, last made first; teardown errors are
 * logged and the other teardowns still run.
 */
export function installAppScope(fastify: FastifyInstance, state: DependsState): void {
  const appScope = state.cache.appScope;
  appScope.overrides = state.overrides;
  appScope.onTeardownError = (error, path) => fastify.log.error({ err: error, dependency: path.join(" -> ") }, "app-scoped dependency teardown failed");
  fastify.decorate("appScope", appScope);
  fastify.addHook("onReady", async function startAppScope() {
    await appScope.start();
  });
  fastify.addHook("onClose", async function closeAppScope() {
    // Background tasks may use app-scoped values: they finish (or are given up) first.
    await state.afterResponse.drain(state.closeTimeout, fastify.log);
    await appScope.close();
  });
}
