/**
 * Private keys. Registered symbols (`Symbol.for`) so that two copies of the package loaded in one
 * process (a linked workspace and an installed tarball) still find each other's state.
 */

/** The plugin's per-application state, decorated on the root fastify instance. */
export const kState: unique symbol = Symbol.for("@depends/fastify.state");
/** The mounted route, stored in the fastify route config (read by the error handler and the docs). */
export const kMounted: unique symbol = Symbol.for("@depends/fastify.mounted");
/** The request's teardown scope, decorated on every request (keeps the request object's shape stable). */
export const kScope: unique symbol = Symbol.for("@depends/fastify.scope");
/** The request's background tasks (`null` until the `BackgroundTasks` source is first read), decorated on every request. */
export const kTasks: unique symbol = Symbol.for("@depends/fastify.tasks");
/** Set on a reply while its route's run is in progress (see reply-thenable.ts), decorated on every reply. */
export const kRunning: unique symbol = Symbol.for("@depends/fastify.running");
/** The request's uploads (temporary files to delete), decorated on every request; set by multipart routes. */
export const kUploads: unique symbol = Symbol.for("@depends/fastify.uploads");
