// What a boot probe reports after `ready`: wall time since its imports finished, wall time since
// the process started, and the heap after a forced GC (run with --expose-gc). Extra figures given
// as functions are computed after the heap is measured, so that they do not disturb it.

/** Call first thing after the imports. */
export function startClock() {
  return performance.now();
}

export function report(start, extra = {}) {
  const readyMs = performance.now() - start;
  const startToReadyMs = performance.now();
  if (typeof globalThis.gc !== "function") throw new Error("run boot probes with node --expose-gc");
  globalThis.gc();
  globalThis.gc();
  const heapUsed = process.memoryUsage().heapUsed;
  const later = Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, typeof value === "function" ? value() : value]));
  process.stdout.write(`${JSON.stringify({ readyMs, startToReadyMs, heapUsed, ...later })}\n`);
}
