import type { CallKind } from "../dependency.js";
import type { TeardownScope } from "../sources.js";

/** Indices into the per-request inputs array; the order is fixed by the executor. */
export const INPUT = { path: 0, query: 1, header: 2, cookie: 3, body: 4 } as const;
export type InputIndex = (typeof INPUT)[keyof typeof INPUT];

/** How one argument of a step is obtained. */
export type Arg =
  | { readonly key: string; readonly kind: "slot"; readonly slot: number }
  | { readonly key: string; readonly kind: "const"; readonly value: unknown }
  | { readonly key: string; readonly kind: "input"; readonly input: InputIndex; name: string | undefined }
  | { readonly key: string; readonly kind: "request" | "rawRequest" | "rawReply" | "websocket" | "backgroundTasks" }
  /** Internal: the request's teardown scope and validated inputs, for `anyOf`'s sub-plans. */
  | { readonly key: string; readonly kind: "scope" | "inputs" };

/** One call of the flat plan. Its value goes to `slots[slot]`, where `slot` is the step's index. */
export interface Step {
  /** The dependency's name (the last element of its path), for error messages. */
  readonly name: string;
  readonly call: (values: Record<string, unknown>) => unknown;
  readonly callKind: CallKind;
  readonly args: readonly Arg[];
  /** Teardown scope; only meaningful for generators. */
  readonly teardown: TeardownScope;
  /** The step runs sub-plans (`anyOf`): the plan must run in the interpreter, which owns a scope. */
  readonly interpreted?: boolean;
}
