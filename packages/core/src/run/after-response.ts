import type { BackgroundTask, BackgroundTaskQueue } from "../background-tasks.js";
import type { RequestScope } from "./teardown.js";

/**
 * What went wrong after a response: the first background task's error, and the error a
 * request-scoped teardown raised (other than the task's, which is thrown into them).
 *
 * @example
 * ```ts
 * const { taskError, teardownError } = await afterResponse(request.backgroundTasks, scope, log);
 * ```
 */
export interface AfterResponse {
  readonly taskError: unknown;
  readonly teardownError: unknown;
}

/**
 * The end of a request that was answered with its handler's value, in FastAPI's order: the
 * background tasks, in order (each task's error goes to `onTaskError` and the next task still
 * runs), then the request-scoped teardowns, which see the first task error thrown in at their
 * `yield` (as FastAPI's exit stack does), so that a session rolls back when a task failed.
 * Function-scoped teardowns ran before the response.
 *
 * @example
 * ```ts
 * import { afterResponse } from "@depends/core/adapter";
 * const { teardownError } = await afterResponse(request.backgroundTasks, scope, (error, task) => log.error({ err: error, task: task.name }));
 * ```
 */
export async function afterResponse(
  tasks: BackgroundTaskQueue | undefined,
  scope: RequestScope | undefined,
  onTaskError: (error: unknown, task: BackgroundTask) => void,
): Promise<AfterResponse> {
  const taskError = tasks !== undefined && tasks.size > 0 ? await tasks.run({ onError: onTaskError }) : undefined;
  // Tasks added from here on (by a request-scoped teardown) could never run: addTask refuses them.
  tasks?.abandon();
  const teardownError = scope === undefined ? undefined : await scope.close(taskError);
  return { taskError, teardownError };
}
