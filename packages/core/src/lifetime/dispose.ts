import type { CallKind } from "../dependency.js";

// `{ dispose: true }` turns a plain or async dependency into an async generator around it: the
// value is disposed where a generator's code after `yield` would run, in the same scope, in the
// same order, with the same error handling. One mechanism for both means one set of guarantees.

type Call = (values: Record<string, unknown>) => unknown;

function disposerOf(value: unknown, name: string): () => unknown {
  if ((typeof value === "object" || typeof value === "function") && value !== null) {
    const target = value as { [Symbol.asyncDispose]?: () => unknown; [Symbol.dispose]?: () => unknown };
    const asyncDispose = target[Symbol.asyncDispose];
    if (typeof asyncDispose === "function") return () => asyncDispose.call(value);
    const dispose = target[Symbol.dispose];
    if (typeof dispose === "function") return () => dispose.call(value);
  }
  throw new TypeError(`Dependency "${name}" is declared \`dispose: true\` but its value has neither [Symbol.asyncDispose] nor [Symbol.dispose]`);
}

/** The async generator that runs `call`, yields its value and disposes of it at the end of its scope. */
export function disposingCall(call: Call, kind: CallKind, name: string): Call {
  if (kind === "generator" || kind === "asyncGenerator") {
    throw new TypeError(`Dependency "${name}": \`dispose: true\` is for plain and async functions; a generator tears down after its \`yield\``);
  }
  return async function* disposing(values: Record<string, unknown>): AsyncGenerator<unknown, void, unknown> {
    const value = await call(values);
    const dispose = disposerOf(value, name);
    try {
      yield value;
    } finally {
      await dispose();
    }
  };
}
