// `npm run bench`: every benchmark of issue 6 in sequence, one table per group, then a summary of
// every ratio with its target. Flags: --quick (a smoke test: shorter rounds, fewer of them) and
// --only=resolver|http|validation|boot|large-tree|jwt|typecheck|websocket|heroes (comma-separated). Exits 0 when a target is missed (the table
// says NO); exits 1 only when a benchmark could not run (e.g. a server answered wrongly).
// DEPENDS_TICK_SHAPE=1 preloads @depends/fastify/tick-shape in every HTTP server (none by default;
// docs/performance.md#nexttick-shape).
import { cpus } from "node:os";
import { runBootBench } from "./boot.mjs";
import { runHeroesBench } from "./heroes.mjs";
import { runHttpBench } from "./http.mjs";
import { runJwtBench } from "./jwt-verify.mjs";
import { runLargeTreeBench } from "./large-tree.mjs";
import { printTable } from "./lib/measure.mjs";
import { runResolverBench } from "./resolver.mjs";
import { runTypecheckBench } from "./typecheck.mjs";
import { runValidationBench } from "./validation.mjs";
import { runWebSocketBench } from "./websocket.mjs";

/** tsc time of 200 typed routes (docs/performance.md#type-check-time): figures to watch, no target. */
async function runTypecheckGroup({ quick }) {
  const rows = runTypecheckBench(quick ? { routes: 50, rounds: 1 } : {});
  return rows.map(({ target, ok, ...row }) => ({ ...row, case: `Type-check ${row.case}` }));
}

const GROUPS = { resolver: runResolverBench, http: runHttpBench, validation: runValidationBench, boot: runBootBench, "large-tree": runLargeTreeBench, jwt: runJwtBench, typecheck: runTypecheckGroup, websocket: runWebSocketBench, heroes: runHeroesBench };

const quick = process.argv.includes("--quick");
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice(7).split(",");
const unknown = only?.filter((name) => !(name in GROUPS)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown group ${unknown.join(", ")}: use --only=${Object.keys(GROUPS).join("|")}`);
  process.exit(2);
}

const started = performance.now();
console.log(`depends benchmarks${quick ? " (--quick: figures for a smoke test only)" : ""}`);
console.log(`Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}); ratios compare runs alternated in this one run`);

const rows = [];
for (const [name, run] of Object.entries(GROUPS)) {
  if (only && !only.includes(name)) continue;
  const groupRows = await run({ quick });
  // The resolver's cases are named after their trees only; say which group they belong to.
  rows.push(...(name === "resolver" ? groupRows.map((row) => ({ ...row, case: `Resolver ${row.case}` })) : groupRows));
}

// The summary keeps the headline rows: details ("  (...)") and ratio-less rows stay in their group.
const summary = rows.filter((row) => typeof row.ratio === "number" && !row.case.startsWith(" "));
printTable("Summary: every ratio with its target (rows without a target are informative)", summary);
const targeted = summary.filter((row) => row.ok !== undefined);
const missed = targeted.filter((row) => !row.ok);
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
console.log(
  targeted.length === 0
    ? `\nNo targets in the groups run (${minutes} min).`
    : missed.length === 0
    ? `\nAll ${targeted.length} targets met (${minutes} min).`
    : `\n${missed.length} of ${targeted.length} targets MISSED (${minutes} min): ${missed.map((row) => row.case).join("; ")}.`,
);
