import type { BackgroundTaskQueue } from "@depends/core/adapter";
import { DeclarationError } from "@depends/core";
import type { FastifyBaseLogger } from "fastify";

/** What runs after responses, per application: `app.close()` waits for it. */
export class AfterResponseWork {
  readonly #running = new Map<BackgroundTaskQueue, Promise<void>>();

  track(tasks: BackgroundTaskQueue, work: Promise<void>): void {
    this.#running.set(tasks, work);
    void work.finally(() => this.#running.delete(tasks));
  }

  /**
   * Waits for the tasks running or queued, at most `timeoutMs`; then abandons the rest (the task
   * running is not interrupted, the next ones do not start) and logs what was abandoned.
   */
  async drain(timeoutMs: number, log: FastifyBaseLogger): Promise<void> {
    if (this.#running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => (timer = setTimeout(resolve, timeoutMs, true)));
    const settled = await Promise.race([Promise.allSettled([...this.#running.values()]).then(() => false), timedOut]);
    clearTimeout(timer);
    if (!settled || this.#running.size === 0) return;
    const abandoned: string[] = [];
    for (const tasks of this.#running.keys()) for (const task of tasks.abandon()) abandoned.push(task.name);
    log.warn(
      { requests: this.#running.size, abandoned },
      `app.close() stopped waiting for background tasks after ${timeoutMs} ms: ${this.#running.size} request(s) still had a task running, ${abandoned.length} task(s) not started were abandoned`,
    );
  }
}

/** How long `app.close()` waits for background tasks by default, in milliseconds. */
export const DEFAULT_CLOSE_TIMEOUT = 10_000;

/** The plugin's `backgroundTasks.closeTimeout`, checked: milliseconds, 0 (do not wait) or more. */
export function closeTimeoutOf(options: { readonly closeTimeout?: number } | undefined): number {
  const timeout = options?.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0 || timeout > 2_147_483_647) {
    throw new DeclarationError("DEPENDS_INVALID_TIMEOUT", `backgroundTasks.closeTimeout must be a number of milliseconds from 0 to 2147483647, got ${String(timeout)}`);
  }
  return timeout;
}
