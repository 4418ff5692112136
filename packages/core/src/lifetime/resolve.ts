import { CompileCache } from "../compile/cache.js";
import type { Step } from "../compile/steps.js";
import type { Dependency } from "../dependency.js";
import { DeclarationError } from "../errors.js";
import type { DependencyOverrides } from "../overrides.js";
import { createRequest, type HttpRequest } from "../request.js";
import { compileRoute } from "../route.js";
import { afterResponse } from "../run/after-response.js";
import { RequestScope } from "../run/teardown.js";

const noop = (): void => {};
import { Depends } from "../sources.js";
import type { AppScope } from "./app-scope.js";

/**
 * Options of {@link resolve}.
 *
 * @example
 * ```ts
 * await using user = await resolve(getUser, { app: app.appScope, request: createRequest({ headers }) });
 * ```
 */
export interface ResolveOptions {
  /** The application whose app-scoped values to reuse (default: a scope of its own, closed with the result). */
  readonly app?: AppScope | undefined;
  /** The request that request sources read; without one, a tree that reads the request is refused. */
  readonly request?: HttpRequest | undefined;
  /** Overrides to apply (default: the application's). */
  readonly overrides?: DependencyOverrides | undefined;
}

/**
 * A value resolved outside HTTP, with its teardowns waiting: close it with `await using` (or
 * {@link Resolved.close}).
 *
 * @example
 * ```ts
 * const resolved: Resolved<Db> = await resolve(getDb);
 * await resolved.close();
 * ```
 */
export interface Resolved<T> extends AsyncDisposable {
  readonly value: T;
  /**
   * Runs the background tasks added while resolving (in order), then the teardowns (generators,
   * disposals) of the tree, last entered first; rejects with the first task error, else the
   * first teardown error.
   */
  close(): Promise<void>;
}

/** The first step that reads the request, if any. */
function readsRequest(steps: readonly Step[]): Step | undefined {
  return steps.find((step) => step.args.some((arg) => arg.kind === "request" || arg.kind === "rawRequest" || arg.kind === "rawReply" || arg.kind === "input"));
}

/**
 * Runs a dependency with its tree outside HTTP (a script, a worker, a test), reusing the
 * app-scoped values of `options.app` (a dependency the application declares app-scoped is its
 * value, not a new one). Without `options.request`, a tree that reads the request
 * (parameters, `CurrentRequest`, a security scheme) is refused with DEPENDS_REQUEST_OUTSIDE_HTTP.
 *
 * @example
 * ```ts
 * import { resolve } from "@depends/core";
 * {
 *   await using store = await resolve(getUserStore, { app: app.appScope });
 *   await store.value.rehash();
 * } // request-scoped teardowns run here; app-scoped values stay with the application
 * ```
 */
export async function resolve<T>(dependency: Dependency<T, string>, options: ResolveOptions = {}): Promise<Resolved<T>> {
  const own = options.app === undefined ? new CompileCache() : undefined;
  const app = options.app ?? (own as CompileCache).appScope;
  const overrides = options.overrides ?? app.overrides;
  const route = compileRoute({ method: "GET", path: "/", name: "resolve", sources: { value: app.declares(dependency) ? Depends(dependency, { scope: "app" }) : Depends(dependency) }, handler: ({ value }) => value }, { cache: app.cache, overrides });
  const reading = options.request === undefined ? readsRequest(route.plan.steps) : undefined;
  if (reading !== undefined) {
    throw new DeclarationError("DEPENDS_REQUEST_OUTSIDE_HTTP", `"${reading.name}" reads the request: pass \`request\` to resolve() to run it outside HTTP`, { path: ["resolve", reading.name] });
  }
  const scope = new RequestScope();
  const request = options.request ?? createRequest();
  const closeOwn = async (): Promise<void> => {
    if (own !== undefined) await own.appScope.close();
  };
  let value: T;
  try {
    value = (await route.run(request, scope)) as T;
  } catch (error) {
    await closeOwn();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const { taskError, teardownError } = await afterResponse(request.backgroundTasks, scope, noop);
      await closeOwn();
      if (taskError !== undefined) throw taskError;
      if (teardownError !== undefined) throw teardownError;
    })());
  return { value, close, [Symbol.asyncDispose]: close };
}
