// `npm run soak`: 60 s (SOAK_SECONDS) of mixed load on the built example in a child process, with
// its log captured. Passes when no response is >= 500, every answer has the status and detail it
// must have, no log line is at error level (nor anything on stderr), and the heap after a forced GC
// grows by less than HEAP_GROWTH_BOUND_BYTES after the warm-up. Exits 1 otherwise.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describeSoak, runSoak, SOAK_SECRET_KEY } from "./lib/soak.mjs";

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
if (!Number.isFinite(seconds) || seconds < 4) {
  console.error("SOAK_SECONDS must be a number of seconds, at least 4");
  process.exit(2);
}
const warmupSeconds = Math.min(10, Math.max(2, Math.round(seconds / 6)));
const server = spawn(process.execPath, ["--expose-gc", fileURLToPath(new URL("soak-server.mjs", import.meta.url))], {
  env: { ...process.env, SECRET_KEY: SOAK_SECRET_KEY, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", NODE_ENV: "production" },
  stdio: ["ignore", "pipe", "pipe", "ipc"],
});
process.once("exit", () => server.kill("SIGKILL"));

const errorLines = [];
const logLines = { total: 0, warn: 0 };
createInterface({ input: server.stdout }).on("line", (line) => {
  logLines.total++;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    errorLines.push({ stdout: line });
    return;
  }
  if (entry.level >= 50) errorLines.push(entry);
  else if (entry.level >= 40) logLines.warn++;
});
createInterface({ input: server.stderr }).on("line", (line) => errorLines.push({ stderr: line }));

const port = await new Promise((resolve, reject) => {
  server.once("message", (message) => resolve(message.port));
  server.once("exit", (code) => reject(new Error(`the soak server exited (${code}) before listening`)));
});
const origin = `http://127.0.0.1:${port}`;
console.log(`soak: ${seconds} s on the built example at ${origin} (node ${process.version})`);
const heap = async () => (await (await fetch(`${origin}/__heap`)).json()).heapUsed;
const result = await runSoak({ origin, seconds, warmupSeconds, heap, errorLogLines: () => errorLines, log: (line) => console.log(`  ${line}`) });
server.kill("SIGTERM");
console.log(describeSoak(result));
console.log(`server log lines: ${logLines.total} (warn: ${logLines.warn})`);
process.exitCode = result.failures.length === 0 ? 0 : 1;
