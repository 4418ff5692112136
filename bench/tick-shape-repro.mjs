// Standalone reproduction of the nextTick slow state (docs/performance.md#report-for-nodes-issue-tracker):
// no dependency, nothing of this repository. `node --expose-gc bench/tick-shape-repro.mjs MODE`:
//   degrade: ticks, then three full collections while the tick queue is empty, then the measure;
//   keep:    the same, with one tick queue entry kept alive from the start (the workaround);
//   control: the same without the collections.
// Prints the CPU time per process.nextTick call made from an optimised caller.
import { executionAsyncResource } from "node:async_hooks";

const mode = process.argv[2] ?? "degrade";
const kept = [];
if (mode === "keep") process.nextTick(() => kept.push(executionAsyncResource()));

const tick = () => new Promise((resolve) => process.nextTick(resolve));
const idle = () => new Promise((resolve) => setTimeout(resolve, 1));

for (let i = 0; i < 50; i++) await tick();
await idle();
if (mode !== "control") for (let i = 0; i < 3; i++) globalThis.gc();
await idle();

const noop = () => {};
function burst(n) {
  for (let i = 0; i < n; i++) process.nextTick(noop);
}
const drain = () => new Promise((resolve) => setImmediate(resolve));
const CALLS = 1000;
for (let i = 0; i < 2000; i++) { burst(CALLS); await drain(); } // warm up: burst is optimised
const samples = [];
for (let round = 0; round < 20; round++) {
  const start = process.cpuUsage();
  for (let i = 0; i < 500; i++) { burst(CALLS); await drain(); }
  const used = process.cpuUsage(start);
  samples.push(((used.user + used.system) * 1000) / (500 * CALLS));
}
samples.sort((a, b) => a - b);
console.log(`${process.version} ${mode}: ${samples[10].toFixed(1)} ns of CPU per nextTick (median of 20 rounds; min ${samples[0].toFixed(1)}, max ${samples[19].toFixed(1)})`);
