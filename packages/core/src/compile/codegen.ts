import type { HttpRequest } from "../request.js";
import type { RequestScope } from "../run/teardown.js";
import type { Arg, Step } from "./steps.js";

/** A route's per-request entry point: the whole plan as straight-line code when it has no generators. */
export type GeneratedRunner = (request: HttpRequest, scope?: RequestScope) => unknown;

/** Re-plans when the overrides changed since the runner was generated: one integer compare per request. */
export interface StaleGuard {
  readonly overrides: { readonly version: number };
  readonly version: number;
  readonly stale: (request: HttpRequest, scope: RequestScope | undefined) => unknown;
}

/** Continues a generated run in the interpreter from `index`, whose value is the promise in `slots[index]`. */
export type Resume = (request: HttpRequest, inputs: readonly unknown[] | undefined, index: number, ...slots: unknown[]) => unknown;

const INPUT_FIELDS = ["params", "query", "headers", "cookies", "body"] as const;

function argCode(arg: Arg, consts: unknown[]): string {
  switch (arg.kind) {
    case "slot":
      return `s${arg.slot}`;
    case "const":
      consts.push(arg.value);
      return `k${consts.length - 1}`;
    case "input":
      return arg.name === undefined ? `in${arg.input}` : `(in${arg.input} === undefined || in${arg.input} === null ? undefined : in${arg.input}[${JSON.stringify(arg.name)}])`;
    case "request":
      return "request";
    case "rawRequest":
      return "request.raw";
    case "rawReply":
      return "request.reply";
    case "scope":
    case "inputs":
      throw new Error("unreachable: steps with sub-plans run in the interpreter");
  }
}

/**
 * Generates the plan as one function whose calls build their values objects as literals, exactly
 * as hand-written code would: V8 then sees fixed shapes and can inline the calls. Only plans
 * without generator dependencies get one (teardown needs the interpreter's bookkeeping).
 *
 * All-sync plans get a sync function that hands over to the interpreter (`resume`) when a sync
 * function returns a promise; plans with async steps get an async function.
 */
export function generateRunner(
  steps: readonly Step[],
  readInputs: ((request: HttpRequest) => readonly unknown[] | undefined) | undefined,
  resume: Resume,
  name: string,
  guard: StaleGuard | undefined,
): GeneratedRunner | undefined {
  if (steps.some((s) => s.callKind === "generator" || s.callKind === "asyncGenerator" || s.interpreted)) return undefined;
  const isAsync = steps.some((s) => s.callKind === "async");
  const consts: unknown[] = [];
  const lines: string[] = [];
  if (guard) lines.push(`if (guard.overrides.version !== ${guard.version}) return guard.stale(request, scope);`);
  const usedInputs = new Set<number>();
  for (const step of steps) for (const arg of step.args) if (arg.kind === "input") usedInputs.add(arg.input);
  if (usedInputs.size > 0) {
    if (readInputs) {
      lines.push("const inputs = readInputs(request);");
      for (const i of usedInputs) lines.push(`const in${i} = inputs[${i}];`);
    } else {
      for (const i of usedInputs) lines.push(`const in${i} = request.${INPUT_FIELDS[i as 0 | 1 | 2 | 3 | 4]};`);
    }
  }
  const slotsSoFar = (i: number): string => Array.from({ length: i + 1 }, (_, j) => `s${j}`).join(", ");
  const last = steps.length - 1;
  steps.forEach((step, i) => {
    const values = `{ ${step.args.map((arg) => `${JSON.stringify(arg.key)}: ${argCode(arg, consts)}`).join(", ")} }`;
    const call = `c${i}(${values})`;
    if (i === last) {
      // The handler's value goes to the caller as it is: a promise there is the caller's to await.
      lines.push(`return ${call};`);
    } else if (isAsync) {
      lines.push(step.callKind === "async" ? `const s${i} = await ${call};` : `let s${i} = ${call}; if (isThenable(s${i})) s${i} = await s${i};`);
    } else {
      lines.push(`const s${i} = ${call};`);
      lines.push(`if (isThenable(s${i})) return resume(request, ${usedInputs.size > 0 && readInputs ? "inputs" : "undefined"}, ${i}, ${slotsSoFar(i)});`);
    }
  });
  const prelude = [
    ...steps.map((_, i) => `const c${i} = calls[${i}];`),
    ...consts.map((_, i) => `const k${i} = consts[${i}];`),
  ];
  const fnName = `plan_${name.replace(/[^A-Za-z0-9_]/g, "_")}`.slice(0, 60);
  const body = `"use strict";\n${prelude.join("\n")}\nreturn ${isAsync ? "async " : ""}function ${fnName}(request, scope) {\n  ${lines.join("\n  ")}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code generated from the plan's own indices and JSON-quoted keys only
  const factory = new Function("calls", "consts", "readInputs", "resume", "isThenable", "guard", body) as (...args: unknown[]) => GeneratedRunner;
  return factory(steps.map((s) => s.call), consts, readInputs, resume, isThenable, guard);
}

/** Whether `value` is a promise or any thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
