import type { RequestSource } from "./sources.js";
import { kSource } from "./symbols.js";

/**
 * The background tasks of one request, as FastAPI's `BackgroundTasks`: functions to call after the
 * response has been sent, in the order they were added. Every dependency and the handler of one
 * request receive the same object.
 *
 * @example
 * ```ts
 * api.post("/send-notification/:email", { email: Path(Type.String()), tasks: BackgroundTasks }, ({ email, tasks }) => {
 *   tasks.addTask(writeLog, `notification for ${email}`);
 *   return { message: "Notification sent in the background" };
 * });
 * ```
 */
export interface BackgroundTasks {
  /**
   * Adds `task`, to be called as `task(...args)` after the response (awaited when it returns a
   * promise), after the tasks added before it. FastAPI's `add_task`.
   */
  addTask<const A extends readonly unknown[]>(task: (...args: A) => unknown, ...args: A): void;
  /** How many tasks were added (run or not). */
  readonly size: number;
}

/**
 * Injects the request's {@link BackgroundTasks}, as FastAPI's `background_tasks: BackgroundTasks`.
 *
 * @example
 * ```ts
 * const audit = dependency({ tasks: BackgroundTasks, user: Depends(getUser) }, ({ tasks, user }) => {
 *   tasks.addTask(recordVisit, user.username); // runs after the response, with the handler's tasks
 *   return user;
 * });
 * ```
 */
export const BackgroundTasks: RequestSource<BackgroundTasks> = Object.freeze({ [kSource]: "backgroundTasks" as const });

/**
 * One added task, as {@link BackgroundTaskQueue.run} reports it.
 *
 * @example
 * ```ts
 * const onError = (error: unknown, task: BackgroundTask) => log.error({ err: error, task: task.name, index: task.index });
 * ```
 */
export interface BackgroundTask {
  readonly task: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  /** The function's name (`"anonymous"` without one), for logs. */
  readonly name: string;
  /** Its position in the request's queue, from 0. */
  readonly index: number;
}

/**
 * Options of {@link BackgroundTaskQueue.run}.
 *
 * @example
 * ```ts
 * await queue.run({ onError: (error, task) => log.error({ err: error, task: task.name }, "background task failed") });
 * ```
 */
export interface RunTasksOptions {
  /** Called with each task's error; the next task still runs. */
  readonly onError: (error: unknown, task: BackgroundTask) => void;
}

type QueueState = "open" | "running" | "done";

/**
 * The {@link BackgroundTasks} of one request, as adapters hold them: `addTask` for the
 * application, `run` (once, after the response) and `abandon` for the adapter. Tasks added while
 * the queue runs (by a task) run after the others; adding one after it ran is an error, as it
 * would never run.
 *
 * @example
 * ```ts
 * import { BackgroundTaskQueue } from "@depends/core/adapter";
 * const tasks = new BackgroundTaskQueue();
 * tasks.addTask((name: string) => console.log(`hello ${name}`), "world");
 * const firstError = await tasks.run({ onError: (error) => console.error(error) });
 * ```
 */
export class BackgroundTaskQueue implements BackgroundTasks {
  readonly #tasks: BackgroundTask[] = [];
  #state: QueueState = "open";
  #abandoned = false;
  #next = 0;

  addTask<const A extends readonly unknown[]>(task: (...args: A) => unknown, ...args: A): void {
    if (typeof task !== "function") throw new TypeError(`BackgroundTasks.addTask() needs a function, got ${task === null ? "null" : typeof task}`);
    if (this.#state === "done") {
      throw new Error(`BackgroundTasks.addTask(${task.name || "anonymous"}): this request's background tasks already ran (a request-scoped teardown runs after them); add tasks in the handler or a dependency`);
    }
    this.#tasks.push({ task: task as unknown as BackgroundTask["task"], args, name: task.name || "anonymous", index: this.#tasks.length });
  }

  get size(): number {
    return this.#tasks.length;
  }

  /** Whether {@link BackgroundTaskQueue.run} has started. */
  get started(): boolean {
    return this.#state !== "open";
  }

  /** The tasks not yet started (all of them before `run`); what {@link BackgroundTaskQueue.abandon} leaves behind. */
  get pending(): readonly BackgroundTask[] {
    return this.#tasks.slice(this.#next);
  }

  /**
   * Calls each task in order, one at a time, awaiting what it returns; a task that throws (or
   * rejects) is reported to `onError` and the next one runs. Resolves to the first error, or
   * `undefined`. A second call resolves to `undefined` without running anything.
   */
  async run(options: RunTasksOptions): Promise<unknown> {
    if (this.#state !== "open") return undefined;
    this.#state = "running";
    let first: unknown = undefined;
    let failed = false;
    while (this.#next < this.#tasks.length && !this.#abandoned) {
      const entry = this.#tasks[this.#next++] as BackgroundTask;
      try {
        await (entry.task as (...args: readonly unknown[]) => unknown)(...entry.args);
      } catch (error) {
        if (!failed) (failed = true), (first = error);
        options.onError(error, entry);
      }
    }
    this.#state = "done";
    return first;
  }

  /** Stops the queue before its next task (the one running, if any, is not interrupted); returns the tasks that will not run. */
  abandon(): readonly BackgroundTask[] {
    this.#abandoned = true;
    if (this.#state === "open") this.#state = "done";
    return this.pending;
  }
}

/** The queue a plan step injects: the adapter's, or a clear error when the adapter provides none. */
export function tasksOf(request: { readonly backgroundTasks?: BackgroundTaskQueue | undefined }): BackgroundTaskQueue {
  const tasks = request.backgroundTasks;
  if (tasks === undefined) {
    throw new Error("BackgroundTasks is not available here: the adapter gives this request no background tasks (WebSocket routes have none; a custom adapter sets HttpRequest.backgroundTasks)");
  }
  return tasks;
}
