import { isAwaited, type Resume } from "../compile/codegen.js";
import type { Step } from "../compile/steps.js";
import { tasksOf } from "../background-tasks.js";
import type { HttpRequest } from "../request.js";
import { type OpenGenerator, RequestScope, unwind } from "./teardown.js";

type Outcome = { failed: boolean; error: unknown };

/** The state of one request's run; a class so that every frame has one shape. */
class Frame {
  readonly slots: unknown[];
  functionStack: OpenGenerator[] | undefined = undefined;
  ownScope: RequestScope | undefined = undefined;

  constructor(
    readonly steps: readonly Step[],
    readonly request: HttpRequest,
    readonly inputs: readonly unknown[] | undefined,
    readonly scope: RequestScope | undefined,
    slots?: unknown[],
  ) {
    this.slots = slots ?? new Array<unknown>(steps.length);
  }

  enter(step: Step, generator: OpenGenerator["generator"], async: boolean): void {
    const entry: OpenGenerator = { generator, async, name: step.name };
    if (step.teardown === "function") (this.functionStack ??= []).push(entry);
    else {
      const scope = this.scope ?? (this.ownScope ??= new RequestScope());
      (scope.stack ??= []).push(entry);
    }
  }
}

function noYield(step: Step): Error {
  return new Error(`Dependency "${step.name}" finished without yielding a value; a generator dependency must yield exactly once`);
}

function valuesFor(frame: Frame, step: Step): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const args = step.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Step["args"][number];
    switch (arg.kind) {
      case "slot":
        values[arg.key] = frame.slots[arg.slot];
        break;
      case "const":
        values[arg.key] = arg.value;
        break;
      case "input": {
        // Null-prototype containers (see `withDefaults`): a read sees only what the request sent.
        const input = (frame.inputs as readonly unknown[])[arg.input] as Record<string, unknown> | undefined;
        values[arg.key] = arg.name === undefined ? input : input?.[arg.name];
        break;
      }
      case "request":
        values[arg.key] = frame.request;
        break;
      case "rawRequest":
        values[arg.key] = frame.request.raw;
        break;
      case "rawReply":
        values[arg.key] = frame.request.reply;
        break;
      case "websocket":
        values[arg.key] = frame.request.websocket;
        break;
      case "backgroundTasks":
        values[arg.key] = tasksOf(frame.request);
        break;
      case "scope":
        values[arg.key] = frame.scope ?? (frame.ownScope ??= new RequestScope());
        break;
      case "inputs":
        values[arg.key] = frame.inputs;
        break;
    }
  }
  return values;
}

/** Runs steps from `index` on; returns the handler's value, or a promise once a step is asynchronous. */
function runFrom(frame: Frame, index: number): unknown {
  const steps = frame.steps;
  const slots = frame.slots;
  for (let i = index; i < steps.length; i++) {
    // A run the adapter aborted (a timeout) stops here: its scope is being closed.
    if (frame.scope !== undefined && frame.scope.abortReason !== undefined) throw frame.scope.abortReason;
    const step = steps[i] as Step;
    const values = valuesFor(frame, step);
    switch (step.callKind) {
      case "sync": {
        const value = step.call(values);
        if (isAwaited(value, frame.request)) return Promise.resolve(value).then((v) => ((slots[i] = v), runFrom(frame, i + 1)));
        slots[i] = value;
        break;
      }
      case "async":
        return (step.call(values) as Promise<unknown>).then((v) => ((slots[i] = v), runFrom(frame, i + 1)));
      case "generator": {
        const generator = step.call(values) as Generator<unknown, unknown, unknown>;
        const first = generator.next();
        if (first.done) throw noYield(step);
        frame.enter(step, generator, false);
        slots[i] = first.value;
        break;
      }
      case "asyncGenerator": {
        const generator = step.call(values) as AsyncGenerator<unknown, unknown, unknown>;
        return generator.next().then((first) => {
          if (first.done) throw noYield(step);
          frame.enter(step, generator, true);
          slots[i] = first.value;
          return runFrom(frame, i + 1);
        });
      }
    }
  }
  return slots[steps.length - 1];
}

function rethrow(outcome: Outcome): never {
  throw outcome.error;
}

/** The error path: function-scoped teardowns, then request-scoped ones, all before the error is answered. */
function fail(frame: Frame, error: unknown): never | Promise<never> {
  const afterFunction = frame.functionStack ? unwind(frame.functionStack, error, true) : { failed: true, error };
  const requestStack = (frame.scope ?? frame.ownScope)?.stack;
  const thenRequest = (o: Outcome): never | Promise<never> => {
    if (!requestStack || requestStack.length === 0) return rethrow(o);
    const r = unwind(requestStack, o.error, true);
    return r instanceof Promise ? r.then(rethrow) : rethrow(r);
  };
  return afterFunction instanceof Promise ? afterFunction.then(thenRequest) : thenRequest(afterFunction);
}

/** The success path: function-scoped teardowns now; request-scoped ones are the adapter's (or ours without one). */
function succeed(frame: Frame, value: unknown): unknown {
  const closeOwn = (): unknown => {
    const closing = frame.ownScope?.close();
    return closing ? closing.then((error) => (error !== undefined ? Promise.reject(error) : value)) : value;
  };
  if (!frame.functionStack) return frame.ownScope ? closeOwn() : value;
  const outcome = unwind(frame.functionStack, undefined, false);
  const after = (o: Outcome): unknown => (o.failed ? fail(frame, o.error) : frame.ownScope ? closeOwn() : value);
  return outcome instanceof Promise ? outcome.then(after) : after(outcome);
}

/** Continues a generated runner's request in the interpreter once a sync step returned a promise. */
export function resumeIn(steps: readonly Step[]): Resume {
  return (request, inputs, index, values, at) => {
    let slots = values;
    if (at !== undefined) {
      slots = new Array<unknown>(steps.length);
      for (let k = 0; k < at.length; k++) slots[at[k] as number] = values[k];
    }
    const frame = new Frame(steps, request, inputs, undefined, slots);
    return Promise.resolve(slots[index]).then((v) => ((frame.slots[index] = v), runFrom(frame, index + 1)));
  };
}

/**
 * Runs a plan's steps for one request on inputs already read and validated (a sub-plan of `anyOf`
 * reuses its route's). Returns the handler's value synchronously when every step was synchronous,
 * a promise otherwise; throws (or rejects) with the error to answer.
 *
 * Without `scope`, request-scoped teardowns run right after the function-scoped ones.
 */
export function runSteps(steps: readonly Step[], request: HttpRequest, inputs: readonly unknown[] | undefined, scope: RequestScope | undefined): unknown {
  const frame = new Frame(steps, request, inputs, scope);
  let result: unknown;
  try {
    result = runFrom(frame, 0);
  } catch (error) {
    return fail(frame, error);
  }
  if (result instanceof Promise) return result.then((v) => succeed(frame, v), (e: unknown) => fail(frame, e));
  return succeed(frame, result);
}
