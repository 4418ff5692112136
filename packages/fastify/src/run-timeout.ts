import { HTTPException } from "@depends/core";
import type { RequestScope } from "@depends/core/adapter";

/**
 * The answer to a route whose run (its dependencies, then its handler) did not settle within the
 * route's `timeout`: 503 `{"detail": "..."}`.
 *
 * @example
 * ```ts
 * if (error instanceof RunTimeoutError) console.log(error.status, error.timeoutMs); // 503 5000
 * ```
 */
export class RunTimeoutError extends HTTPException {
  readonly code = "DEPENDS_RUN_TIMEOUT";
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(503, "The request could not be completed in time");
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Bounds a route's run: when `run` has not settled after `timeoutMs`, the returned promise rejects
 * with a {@link RunTimeoutError} (answered as a 503), and `scope`, if any, is aborted, so that the
 * run stops before its next step and the adapter closes the scope (request-scoped teardowns run)
 * with the response. A run that settles in time is passed through; its timer is cleared.
 */
export function withRunTimeout<T>(run: Promise<T>, timeoutMs: number, scope: RequestScope | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new RunTimeoutError(timeoutMs);
      scope?.abort(error);
      reject(error);
    }, timeoutMs);
    run.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
