import { tasksOf } from "../background-tasks.js";
import type { HttpRequest } from "../request.js";
import type { RequestScope } from "../run/teardown.js";
import type { CompileCache } from "./cache.js";
import type { InputsReader } from "./inputs.js";
import type { Arg, Step } from "./steps.js";

/** A route's per-request entry point. */
export type Entry = (request: HttpRequest, scope: RequestScope | undefined) => unknown;

/**
 * Continues a generated run in the interpreter from `index`, whose value is the promise in
 * `slots[index]`. With `at`, `slots` holds only the values still needed, `slots[k]` being slot `at[k]`.
 */
export type Resume = (request: HttpRequest, inputs: readonly unknown[] | undefined, index: number, slots: unknown[], at?: readonly number[]) => unknown;

/** A generated entry and the source it was made from (for `route.source()` and stack traces). */
export interface GeneratedRunner {
  readonly entry: Entry;
  readonly source: string;
}

/** Whether `value` is a promise or any thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Whether a step's value is awaited before the next step: a thenable the application made. The
 * adapter's own objects (the request view, the raw request and reply, the socket) are passed on
 * as they are even when thenable: fastify's reply is, and it settles only once the response is
 * sent, after the run, so awaiting it would wait forever. The extra compares run only for
 * thenables.
 */
export function isAwaited(value: unknown, request: HttpRequest): value is PromiseLike<unknown> {
  // isThenable's test, written out: this runs after every step, and must stay small enough to inline.
  if (value === null || typeof value !== "object" || typeof (value as { then?: unknown }).then !== "function") return false;
  return notTheAdapters(value, request);
}

function notTheAdapters(value: object, request: HttpRequest): boolean {
  const own: unknown = value;
  return own !== request.reply && own !== request.raw && own !== request && own !== request.websocket;
}

/** Whether a plan can be generated: teardown and `anyOf` need the interpreter's bookkeeping. */
export function generatable(steps: readonly Step[]): boolean {
  for (const step of steps) if (step.callKind === "generator" || step.callKind === "asyncGenerator" || step.interpreted === true) return false;
  return true;
}

/**
 * One argument as an expression. Input containers are null-prototype copies made by the
 * validator (see `withDefaults`), so a plain property read sees only what the request sent.
 */
function argCode(arg: Arg, consts: unknown[], slot: (index: number) => string): string {
  switch (arg.kind) {
    case "slot":
      return slot(arg.slot);
    case "const":
      consts.push(arg.value);
      return `k${consts.length - 1}`;
    case "input":
      return arg.name === undefined ? `in${arg.input}` : `(in${arg.input} === undefined ? undefined : in${arg.input}[${JSON.stringify(arg.name)}])`;
    case "request":
      return "request";
    case "rawRequest":
      return "request.raw";
    case "rawReply":
      return "request.reply";
    case "websocket":
      return "request.websocket";
    case "backgroundTasks":
      consts.push(tasksOf);
      return `k${consts.length - 1}(request)`;
    case "scope":
    case "inputs":
      throw new Error("unreachable: steps with sub-plans run in the interpreter");
  }
}

function inputsUsed(steps: readonly Step[]): number[] {
  const used = new Set<number>();
  for (const step of steps) for (const arg of step.args) if (arg.kind === "input") used.add(arg.input);
  return [...used];
}

/**
 * For each step of an all-sync plan, the earlier slots still read after it (itself included): what
 * a resume from there needs. `undefined` when listing them would make the source more than linear
 * (a step that reads many earlier values keeps them all alive): the plan then keeps its values in
 * one array instead of locals.
 */
function liveSlots(steps: readonly Step[]): number[][] | undefined {
  const lastUse = steps.map(() => -1);
  steps.forEach((step, k) => {
    for (const arg of step.args) if (arg.kind === "slot") lastUse[arg.slot] = k;
  });
  const live: number[][] = [];
  let total = 0;
  const open: number[] = [];
  for (let i = 0; i < steps.length - 1; i++) {
    open.push(i);
    for (let j = open.length - 1; j >= 0; j--) if ((lastUse[open[j] as number] as number) <= i && open[j] !== i) open.splice(j, 1);
    live.push([...open]);
    total += open.length;
    if (total > 8 * steps.length) return undefined;
  }
  return live;
}

/**
 * The plan as the source of one function. Each call builds its values object as a literal, as
 * hand-written code would, so V8 sees fixed shapes and can inline the calls. The text is linear in
 * the number of steps. A plan with async steps keeps each value in a local and awaits in place. An
 * all-sync plan keeps its values in locals too and, when a sync function returns a promise, hands
 * the values still needed to the interpreter (`resume`); when too many stay alive for that to be
 * linear, it keeps them in one array that the interpreter takes over.
 */
export function runnerSource(steps: readonly Step[], readsInputs: boolean, route: string): { source: string; consts: unknown[] } {
  const isAsync = steps.some((s) => s.callKind === "async");
  const consts: unknown[] = [];
  const lines: string[] = [];
  const inputs = inputsUsed(steps);
  const inputsArg = inputs.length > 0 || readsInputs ? "inputs" : "undefined";
  if (inputs.length > 0 || readsInputs) lines.push("const inputs = readInputs(request);");
  for (const i of inputs) lines.push(`const in${i} = inputs[${i}];`);
  const last = steps.length - 1;
  const live = isAsync ? undefined : liveSlots(steps);
  const inArray = !isAsync && live === undefined;
  const slot = inArray ? (i: number) => `s[${i}]` : (i: number) => `s${i}`;
  if (inArray && last > 0) lines.push(`const s = new Array(${last});`);
  steps.forEach((step, i) => {
    const call = `c${i}({ ${step.args.map((arg) => `${JSON.stringify(arg.key)}: ${argCode(arg, consts, slot)}`).join(", ")} })`;
    if (i === last) lines.push(`return ${call};`); // a promise there is the caller's to await
    else if (inArray) lines.push(`if (isThenable(s[${i}] = ${call}, request)) return resume(request, ${inputsArg}, ${i}, s);`);
    else if (!isAsync) {
      const needed = (live as number[][])[i] as number[];
      consts.push(Object.freeze(needed));
      lines.push(`const s${i} = ${call};`, `if (isThenable(s${i}, request)) return resume(request, ${inputsArg}, ${i}, [${needed.map((j) => `s${j}`).join(", ")}], k${consts.length - 1});`);
    } else if (step.callKind === "async") lines.push(`const s${i} = await ${call};`);
    else lines.push(`let s${i} = ${call}; if (isThenable(s${i}, request)) s${i} = await s${i};`);
  });
  const prelude = [...steps.map((_, i) => `const c${i} = calls[${i}];`), ...consts.map((_, i) => `const k${i} = consts[${i}];`)];
  const fnName = `plan_${route.replace(/[^A-Za-z0-9_]/g, "_")}`.slice(0, 60);
  // `sourceURL` names the route in stack traces and debuggers: "at plan_GET__items_ (depends:route/GET%20/items/:7:12)".
  const source = `"use strict";\n${prelude.join("\n")}\nreturn ${isAsync ? "async " : ""}function ${fnName}(request, scope) {\n  ${lines.join("\n  ")}\n};\n//# sourceURL=depends:route/${encodeURI(route)}`;
  return { source, consts };
}

/**
 * Generates the plan's entry, or `undefined` when the plan needs the interpreter or the runtime
 * forbids code generation (`--disallow-code-generation-from-strings`, a CSP without
 * `unsafe-eval`): the first `EvalError` is remembered in the application's cache and every plan
 * then runs in the interpreter, with the same results.
 */
export function generateRunner(steps: readonly Step[], readInputs: InputsReader | undefined, resume: Resume, route: string, cache: CompileCache): GeneratedRunner | undefined {
  if (cache.codegen === false || !generatable(steps)) return undefined;
  const { source, consts } = runnerSource(steps, readInputs !== undefined, route);
  let factory: (...args: unknown[]) => Entry;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- source built from the plan's own indices and JSON-quoted keys only
    factory = new Function("calls", "consts", "readInputs", "resume", "isThenable", source) as (...args: unknown[]) => Entry;
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    cache.codegen = false;
    return undefined;
  }
  cache.codegen = true;
  // The generated code's `isThenable` is `isAwaited`: the adapter's objects are never awaited.
  return { entry: factory(steps.map((s) => s.call), consts, readInputs, resume, isAwaited), source };
}
