// Does @depends/fastify/tick-shape still matter on the running Node? (docs/performance.md#nexttick-shape)
// For each bench server, fresh processes with and without `--import @depends/fastify/tick-shape`,
// alternated (off on, then on off), each warmed then loaded with a fixed number of requests; prints
// the server's CPU time per request (process.cpuUsage over IPC: steadier than requests/s on a shared
// machine) and, from a `--cpu-prof` profile of every process, the share of samples whose own frame
// is `nextTick`. `--idle-gc` first preloads bench/lib/idle-gc.mjs in every process (after the module
// when it is on): full collections on an empty tick queue, which puts an unprotected process in the
// slow state on purpose instead of by chance. Needs `npm run build`.
// Usage: node bench/tick-shape.mjs [--rounds=4] [--servers=a,b] [--idle-gc]
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { median } from "./lib/measure.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROUNDS = Number(arg("rounds", "4"));
const SERVERS = arg("servers", "chain-hand,chain-depends").split(",");
const WARMUP = 20_000;
const MEASURED = 60_000;
const PATH = "/chain";
const IDLE_GC = process.argv.includes("--idle-gc");
const preload = ["--import", import.meta.resolve("@depends/fastify/tick-shape")];
const idleGc = IDLE_GC ? ["--expose-gc", "--import", import.meta.resolve("./lib/idle-gc.mjs")] : [];

/** Starts one server process; resolves with its origin, a CPU reader and a stop function. */
async function start(name, withModule, profileDir) {
  const script = fileURLToPath(new URL(`servers/${name}.mjs`, import.meta.url));
  const args = [...(withModule ? preload : []), ...idleGc, "--cpu-prof", `--cpu-prof-dir=${profileDir}`, script];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const [line] = await Promise.race([
    new Promise((resolve) => createInterface({ input: child.stdout }).once("line", (l) => resolve([l]))),
    new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`${name} exited (${code})`)))),
  ]);
  const cpu = () => new Promise((resolve) => {
    child.once("message", (u) => resolve(u.user + u.system));
    child.send("cpu");
  });
  const stop = () => new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
  return { origin: `http://127.0.0.1:${JSON.parse(line).port}`, cpu, stop };
}

async function load(origin, amount) {
  const result = await autocannon({ url: origin + PATH, connections: 50, amount });
  if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`failures against ${origin}`);
  return result.requests.total;
}

/** Share of the profile's samples whose own (self) frame is Node's `nextTick`. */
async function nextTickShare(dir) {
  const [file] = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
  const profile = JSON.parse(await readFile(join(dir, file), "utf8"));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  let tick = 0;
  for (const node of profile.nodes) if (node.callFrame.functionName === "nextTick") tick += counts.get(node.id) ?? 0;
  return tick / profile.samples.length;
}

async function measure(name, withModule) {
  const dir = await mkdtemp(join(tmpdir(), "depends-tick-prof-"));
  try {
    const server = await start(name, withModule, dir);
    await load(server.origin, WARMUP);
    const before = await server.cpu();
    const served = await load(server.origin, MEASURED);
    const cpuPerRequest = ((await server.cpu()) - before) / served;
    await server.stop();
    return { cpuPerRequest, tickShare: await nextTickShare(dir) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const results = Object.fromEntries(SERVERS.map((s) => [s, { off: [], on: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  const modes = round % 2 === 0 ? ["off", "on"] : ["on", "off"];
  for (const name of round % 2 === 0 ? SERVERS : [...SERVERS].reverse()) {
    for (const mode of modes) results[name][mode].push(await measure(name, mode === "on"));
  }
}

const fmt = (xs, f) => `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
const us = (x) => `${x.toFixed(1)} µs`;
const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log(`Node ${process.version} (V8 ${process.versions.v8}), boot ${IDLE_GC ? "with idle full collections (--idle-gc)" : "as it is"}, ${ROUNDS} processes per cell, ${MEASURED} requests each after ${WARMUP} of warm-up`);
console.log("server          tick-shape  CPU per request (median, min-max)  nextTick self samples (median, min-max)");
for (const name of SERVERS) {
  for (const mode of ["off", "on"]) {
    const rows = results[name][mode];
    console.log(`${name.padEnd(16)}${mode.padEnd(12)}${fmt(rows.map((r) => r.cpuPerRequest), us).padEnd(35)}${fmt(rows.map((r) => r.tickShare), pct)}`);
  }
}
