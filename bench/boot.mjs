// Boot benchmark: 1,000 routes sharing a 10-node tree (plus an OAuth2 scheme) on @depends/fastify
// against 1,000 plain fastify routes. Routes of one shape reuse one walk of their declaration, so
// a variant whose 1,000 routes each have a shape of their own is reported too. One fresh process per run (bench/boot/*-routes.mjs), the
// variants alternating; medians. Runs with 0 routes split the fixed cost (imports, plugins) from
// the cost per route.
import { runProbe } from "./lib/child.mjs";
import { median, pairedRatio, printTable, ratioRow } from "./lib/measure.mjs";

const FULL = { rounds: 5 };
const QUICK = { rounds: 2 };

const VARIANTS = {
  "depends-1000": ["boot/depends-routes.mjs", ["--routes=1000", "--compile-cost"]],
  "distinct-1000": ["boot/depends-routes.mjs", ["--routes=1000", "--distinct"]],
  "plain-1000": ["boot/plain-routes.mjs", ["--routes=1000"]],
  "depends-0": ["boot/depends-routes.mjs", ["--routes=0"]],
  "plain-0": ["boot/plain-routes.mjs", ["--routes=0"]],
};

const ms = (value) => `${value.toFixed(0)} ms`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function runBootBench({ quick = false, log = console.log } = {}) {
  const { rounds } = quick ? QUICK : FULL;
  log(`\nBoot: ${rounds} alternating rounds, one fresh node --expose-gc process per run`);
  const runs = Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(VARIANTS);
    for (const name of round % 2 === 0 ? names : names.reverse()) {
      const [script, args] = VARIANTS[name];
      runs[name].push(await runProbe(script, { nodeArgs: ["--expose-gc"], args }));
    }
    log(`  round ${round + 1}/${rounds}: ${Object.entries(runs).map(([name, r]) => `${name} ${ms(r[round].readyMs)} ${mb(r[round].heapUsed)}`).join(", ")}`);
  }
  const figure = (name, key) => runs[name].map((run) => run[key]);
  const med = (name, key) => median(figure(name, key));
  const perRoute = (variant, key) => (med(`${variant}-1000`, key) - med(`${variant}-0`, key)) / 1000;

  const rows = [
    ratioRow("Boot: time to ready, 1,000 routes", {
      measured: ms(med("depends-1000", "readyMs")), baseline: `${ms(med("plain-1000", "readyMs"))} plain`,
      ratio: pairedRatio(figure("depends-1000", "readyMs"), figure("plain-1000", "readyMs")), atMost: 1.5,
    }),
    ratioRow("Boot: heap after ready + GC, 1,000 routes", {
      measured: mb(med("depends-1000", "heapUsed")), baseline: `${mb(med("plain-1000", "heapUsed"))} plain`,
      ratio: pairedRatio(figure("depends-1000", "heapUsed"), figure("plain-1000", "heapUsed")), atMost: 1.5,
    }),
    ratioRow("  (1,000 routes of distinct shapes: time to ready)", {
      measured: ms(med("distinct-1000", "readyMs")), baseline: `${ms(med("plain-1000", "readyMs"))} plain`,
      ratio: pairedRatio(figure("distinct-1000", "readyMs"), figure("plain-1000", "readyMs")),
    }),
    ratioRow("  (1,000 routes of distinct shapes: heap)", {
      measured: mb(med("distinct-1000", "heapUsed")), baseline: `${mb(med("plain-1000", "heapUsed"))} plain`,
      ratio: pairedRatio(figure("distinct-1000", "heapUsed"), figure("plain-1000", "heapUsed")),
    }),
    ratioRow("  (ready time per route: 1,000 minus 0 routes)", {
      measured: `${(perRoute("depends", "readyMs") * 1000).toFixed(0)} µs`, baseline: `${(perRoute("plain", "readyMs") * 1000).toFixed(0)} µs plain`,
      value: perRoute("depends", "readyMs"), base: perRoute("plain", "readyMs"),
    }),
    ratioRow("  (heap per route: 1,000 minus 0 routes)", {
      measured: `${(perRoute("depends", "heapUsed") / 1024).toFixed(1)} KB`, baseline: `${(perRoute("plain", "heapUsed") / 1024).toFixed(1)} KB plain`,
      value: perRoute("depends", "heapUsed"), base: perRoute("plain", "heapUsed"),
    }),
    ratioRow("  (fixed heap: imports and plugins, 0 routes)", {
      measured: mb(med("depends-0", "heapUsed")), baseline: `${mb(med("plain-0", "heapUsed"))} plain`,
      value: med("depends-0", "heapUsed"), base: med("plain-0", "heapUsed"),
    }),
    { case: "  (compileRoute alone, warm, every route walked)", measured: `${med("depends-1000", "compileUs").toFixed(0)} µs`, baseline: "-" },
  ];
  printTable("Boot: @depends/fastify vs plain fastify, 1,000 routes (median of runs)", rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runBootBench({ quick: process.argv.includes("--quick") });
