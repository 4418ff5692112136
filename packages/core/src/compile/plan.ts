import { resumeIn, runSteps } from "../run/execute.js";
import type { CompileCache } from "./cache.js";
import { type Entry, generateRunner, type GeneratedRunner } from "./codegen.js";
import { type InputsReader, inputsReaderOf, type StandardInputsReader } from "./inputs.js";
import type { RequestSchemas } from "./request-schema.js";
import type { Step } from "./steps.js";

/**
 * What a request runs: a route's flat steps (its handler last), the request schemas of the tree
 * as it runs (overrides applied), and the entry that runs them. Immutable: when overrides change,
 * the route swaps in a new plan; a plan never changes under a request.
 *
 * @example
 * ```ts
 * route.plan.steps.length; // calls per request, the handler included
 * route.plan.scoped;       // whether a request needs a RequestScope (request-scoped teardowns)
 * ```
 */
export interface Plan {
  readonly steps: readonly Step[];
  /** The request schemas validated per request: the declared tree's, or the overridden tree's. */
  readonly requestSchemas: RequestSchemas;
  /** The overrides version this plan was made for (`0` without overrides). */
  readonly version: number;
  /** Whether a request may enter request-scoped teardowns (generators, or `anyOf` alternatives). */
  readonly scoped: boolean;
}

/** What makes a plan: its steps and schemas, for one route, against one application's cache. */
export interface PlanInput {
  readonly steps: readonly Step[];
  readonly requestSchemas: RequestSchemas;
  readonly route: string;
  readonly version: number;
  readonly cache: CompileCache;
  /** `false` runs the plan in the interpreter (as when the runtime forbids code generation). */
  readonly codegen: boolean;
}

function isScoped(steps: readonly Step[]): boolean {
  return steps.some((step) => step.interpreted === true || ((step.callKind === "generator" || step.callKind === "asyncGenerator") && step.teardown === "request"));
}

/**
 * A route's plan. The entry is made on its first use (a route's first request): V8 compiles each
 * generated function, and a thousand routes that are registered but never called should not pay
 * for it at startup. That memo is the only state a plan has.
 */
export class RoutePlan implements Plan {
  readonly steps: readonly Step[];
  readonly requestSchemas: RequestSchemas;
  readonly version: number;
  readonly scoped: boolean;
  readonly #route: string;
  readonly #cache: CompileCache;
  readonly #codegen: boolean;
  #generated: GeneratedRunner | undefined | null = null;
  #entry: Entry | undefined;

  constructor(input: PlanInput) {
    this.steps = input.steps;
    this.requestSchemas = input.requestSchemas;
    this.version = input.version;
    this.scoped = isScoped(input.steps);
    this.#route = input.route;
    this.#cache = input.cache;
    this.#codegen = input.codegen;
  }

  /** The function a request calls: the generated runner, or the interpreter over the same steps. */
  entry(): Entry {
    if (this.#entry !== undefined) return this.#entry;
    const readInputs = inputsReaderOf(this.#cache, this.requestSchemas);
    if (readInputs?.mayAwait === true) return (this.#entry = this.#standardEntry(readInputs));
    const generated = this.#generate(readInputs);
    const steps = this.steps;
    this.#entry = generated?.entry ?? ((request, scope) => runSteps(steps, request, readInputs?.(request), scope));
    return this.#entry;
  }

  /**
   * The entry of a plan whose inputs may come asynchronously (Standard Schema validators): the
   * inputs are read first, then the same generated runner (or the interpreter) runs on them. The
   * runner reads its inputs once, synchronously, as its first statement, so handing them over
   * through this plan's variable, set just before the call and cleared after, cannot mix requests.
   */
  #standardEntry(reader: StandardInputsReader): Entry {
    let current: readonly unknown[] | undefined;
    const handOver = Object.assign(() => current as readonly unknown[], { mayAwait: undefined });
    const steps = this.steps;
    const run = this.#generate(handOver)?.entry ?? ((request, scope) => runSteps(steps, request, current, scope));
    const withInputs = (request: Parameters<Entry>[0], scope: Parameters<Entry>[1], inputs: readonly unknown[]): unknown => {
      current = inputs;
      try {
        return run(request, scope);
      } finally {
        current = undefined;
      }
    };
    return (request, scope) => {
      const inputs = reader(request);
      return inputs instanceof Promise ? inputs.then((read) => withInputs(request, scope, read)) : withInputs(request, scope, inputs);
    };
  }

  /** The generated source, or `undefined` when the plan runs in the interpreter. */
  source(): string | undefined {
    this.entry();
    return this.#generated?.source;
  }

  #generate(readInputs: InputsReader | undefined): GeneratedRunner | undefined {
    if (this.#generated === null) {
      this.#generated = this.#codegen ? generateRunner(this.steps, readInputs, resumeIn(this.steps), this.#route, this.#cache) : undefined;
    }
    return this.#generated;
  }
}
