// Large trees: a route with N dependencies (N/100 chains of 100, all used by the handler), compiled
// and answered once, N from 1,000 to 20,000, each in a fresh process. Reports compile time, first
// request time (which generates and compiles the plan's code) and retained heap, per step too, so
// that linearity shows: the per-step figures should stay flat as N grows.
import { runProbe } from "./lib/child.mjs";
import { printTable } from "./lib/measure.mjs";

const SIZES = [1_000, 5_000, 10_000, 20_000];

async function probe() {
  const { compileRoute, createRequest, Depends, dependency } = await import("@depends/core");
  const size = Number(process.argv.find((arg) => arg.startsWith("--size="))?.slice(7) ?? 10_000);
  const codegen = !process.argv.includes("--no-codegen");
  const sources = {};
  for (let chain = 0; chain < size / 100; chain++) {
    let dep = dependency(() => chain);
    for (let level = 1; level < 100; level++) dep = dependency({ v: Depends(dep) }, ({ v }) => v + 1);
    sources[`c${chain}`] = Depends(dep);
  }
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const route = compileRoute({ method: "GET", path: "/huge", sources, handler: (values) => Object.keys(values).length }, { codegen });
  const t1 = performance.now();
  const value = await route.run(createRequest(), undefined);
  const t2 = performance.now();
  if (value !== size / 100) throw new Error(`wrong answer ${value}`);
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const steps = route.plan.steps.length;
  return { steps, compileMs: t1 - t0, firstRequestMs: t2 - t1, heapBytes: heapAfter - heapBefore, generated: route.source() !== undefined };
}

export async function runLargeTreeBench({ quick = false } = {}) {
  const rows = [];
  for (const size of quick ? [1_000, 10_000] : SIZES) {
    for (const codegen of [true, false]) {
      const r = await runProbe("large-tree.mjs", { nodeArgs: ["--expose-gc"], args: ["--probe", `--size=${size}`, ...(codegen ? [] : ["--no-codegen"])] });
      rows.push({
        case: `${size.toLocaleString("en")} dependencies, ${r.generated ? "generated" : "interpreter"}`,
        measured: `${(r.compileMs + r.firstRequestMs).toFixed(0)} ms (${r.compileMs.toFixed(0)} compile + ${r.firstRequestMs.toFixed(0)} first request)`,
        baseline: `${(((r.compileMs + r.firstRequestMs) * 1000) / r.steps).toFixed(1)} µs/step, ${(r.heapBytes / 1024 / 1024).toFixed(1)} MB (${(r.heapBytes / r.steps).toFixed(0)} B/step)`,
        target: "< 1 s (10,000)",
        ok: size > 10_000 ? undefined : r.compileMs + r.firstRequestMs < 1000,
      });
    }
  }
  printTable("Large trees: compile and first request of one route (fresh process each)", rows);
  return rows;
}

if (process.argv.includes("--probe")) {
  console.log(JSON.stringify(await probe()));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await runLargeTreeBench({ quick: process.argv.includes("--quick") });
}
