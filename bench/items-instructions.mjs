// Instructions per request of one bench server on GET /users/me/items/ under callgrind: the
// noise-robust measure used for issue 17 on a loaded machine (docs/performance.md#issue-17-on-equal-footing).
// Usage: node bench/items-instructions.mjs <server> [warm-up requests = 15000] [measured = 3000]
// (DEPENDS_TICK_SHAPE=1 preloads the nextTick fix; BENCH_NODE picks another node binary). Needs
// valgrind. Instrumentation is on only while the measured requests run; V8's optimising compilers
// keep running under valgrind, so their functions are reported apart ("excl. JIT compiler").
import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { SignJWT } from "jose";
import { ITEMS_PATH, ITEMS_BODY, SECRET_KEY } from "./lib/guide.mjs";
const [spec, warm = "15000", amount = "3000"] = process.argv.slice(2);
const file = spec;
const tick = process.env.DEPENDS_TICK_SHAPE === "1" ? ["--import", import.meta.resolve("@depends/fastify/tick-shape")] : [];
const nodeBin = process.env.BENCH_NODE ?? process.execPath;
const outDir = mkdtempSync(join(tmpdir(), "depends-callgrind-"));
const out = `${outDir}/${spec.replace(/[^a-z0-9]+/gi, "_")}.${process.pid}.out`;
const child = spawn("valgrind", ["--tool=callgrind", "--smc-check=all-non-file", "--instr-atstart=no", `--callgrind-out-file=${out}`, nodeBin, ...tick, new URL(`./servers/${file}.mjs`, import.meta.url).pathname], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
let err = ""; child.stderr.on("data", (d) => (err += d));
const line = await new Promise((r) => createInterface({ input: child.stdout }).once("line", r));
const { port } = JSON.parse(line);
const key = new TextEncoder().encode(SECRET_KEY);
const token = await new SignJWT({ sub: "johndoe", scope: "me items" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("30m").sign(key);
const run = (n) => autocannon({ url: `http://127.0.0.1:${port}${ITEMS_PATH}`, headers: { authorization: `Bearer ${token}` }, connections: 8, amount: n, expectBody: ITEMS_BODY, timeout: 60 });
const w = await run(Number(warm));
if (w.non2xx || w.errors || w.mismatches) throw new Error("bad warmup " + JSON.stringify({ non2xx: w.non2xx, errors: w.errors }));
execFileSync("callgrind_control", ["-i", "on", String(child.pid)], { stdio: "ignore" });
const r = await run(Number(amount));
execFileSync("callgrind_control", ["-i", "off", String(child.pid)], { stdio: "ignore" });
child.kill("SIGTERM");
await new Promise((res) => child.once("exit", res));
const text = readFileSync(out, "utf8");
const total = text.match(/^totals: (\d+)/m)?.[1];
const ann = execFileSync("callgrind_annotate", ["--threshold=100", out], { maxBuffer: 1 << 28 }).toString();
let jit = 0;
for (const l of ann.split("\n")) { const m = l.match(/^\s*([\d,]+) \([^)]*\)\s+(.*)$/); if (m && /v8::internal::(compiler|maglev|Zone|turboshaft)|Compile|compiler::/.test(m[2]) && !/PROGRAM TOTALS/.test(m[2])) jit += Number(m[1].replace(/,/g, "")); }
const n = r.requests.total;
console.log(spec.padEnd(45), "requests", n, "instr/req", (Number(total) / n).toFixed(0), "excl. JIT compiler", ((Number(total) - jit) / n).toFixed(0), "errors", r.errors + r.non2xx);
