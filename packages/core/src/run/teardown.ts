/** An entered generator dependency, waiting for its teardown. */
export interface OpenGenerator {
  readonly generator: Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;
  readonly async: boolean;
  readonly name: string;
}

/** Thrown into a teardown's caller when a generator dependency yields a second time. */
export class TeardownProtocolError extends Error {
  override readonly name = "TeardownProtocolError";
}

function afterResume(entry: OpenGenerator, result: IteratorResult<unknown, unknown>): void {
  if (!result.done) throw new TeardownProtocolError(`Dependency "${entry.name}" yielded more than once; a dependency must yield exactly one value`);
}

function isAsync(stack: readonly OpenGenerator[]): boolean {
  for (const entry of stack) if (entry.async) return true;
  return false;
}

/**
 * Closes entered generators, last entered first. Without `error`, each resumes after its `yield`;
 * with one, the error is thrown in at the `yield`. A teardown that throws replaces the error for the
 * generators still open and for the caller; a teardown that swallows the error does not cancel it:
 * it still reaches the caller (an error is never lost silently).
 *
 * Returns the final error (or `undefined`), synchronously when every generator is sync.
 */
export function unwind(stack: OpenGenerator[], error: unknown, failed: boolean): { failed: boolean; error: unknown } | Promise<{ failed: boolean; error: unknown }> {
  if (isAsync(stack)) return unwindAsync(stack, error, failed);
  while (stack.length > 0) {
    const entry = stack.pop() as OpenGenerator;
    const generator = entry.generator as Generator<unknown, unknown, unknown>;
    try {
      afterResume(entry, failed ? generator.throw(error) : generator.next());
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
  }
  return { failed, error };
}

async function unwindAsync(stack: OpenGenerator[], error: unknown, failed: boolean): Promise<{ failed: boolean; error: unknown }> {
  while (stack.length > 0) {
    const entry = stack.pop() as OpenGenerator;
    try {
      afterResume(entry, await (failed ? entry.generator.throw(error) : entry.generator.next()));
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
  }
  return { failed, error };
}

/**
 * The request-scoped teardowns of one request. Adapters create one per request and call
 * {@link RequestScope.close} once the response is sent (or the client went away); it runs each
 * teardown exactly once, however often it is called.
 *
 * @example
 * ```ts
 * const scope = new RequestScope();
 * const result = await route.run(request, scope);
 * // ... send result ...
 * await scope.close();
 * ```
 */
export class RequestScope {
  /** Entered request-scoped generators; `undefined` until one runs. */
  stack: OpenGenerator[] | undefined = undefined;
  /**
   * Set by {@link RequestScope.abort}: the run stops before its next step, with this error, and
   * enters no further dependency.
   */
  abortReason: unknown = undefined;

  /**
   * Stops the request's run: a run still in progress (a dependency that has not settled) throws
   * `reason` before its next step instead of going on, so that nothing is entered into a scope the
   * adapter is closing. The adapter answers and closes the scope itself.
   *
   * @example
   * ```ts
   * const timer = setTimeout(() => scope.abort(new HTTPException(503, "Timed out")), 10_000);
   * ```
   */
  abort(reason: unknown): void {
    this.abortReason ??= reason ?? new Error("aborted");
  }

  /** Whether a teardown is waiting. */
  get pending(): boolean {
    return this.stack !== undefined && this.stack.length > 0;
  }

  /**
   * Runs the waiting teardowns, passing `error` in when the request failed after the response was
   * decided. Resolves to the error a teardown raised, if any (the response is already sent: the
   * adapter logs it).
   */
  close(error?: unknown): Promise<unknown> | undefined {
    const stack = this.stack;
    if (stack === undefined || stack.length === 0) return undefined;
    const outcome = unwind(stack, error, error !== undefined);
    const report = (o: { failed: boolean; error: unknown }): unknown => (o.failed && o.error !== error ? o.error : undefined);
    return outcome instanceof Promise ? outcome.then(report) : Promise.resolve(report(outcome));
  }
}
