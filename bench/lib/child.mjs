// Bench servers and boot probes run in child processes: the load generator then never shares a JS
// thread with the server it measures, and every boot measurement starts from a fresh heap.
// Protocol: the child prints one JSON line on stdout when it is ready (a server: `{"port": n}`;
// a probe: its figures). Its stderr goes straight to ours, so a crash is visible. Servers also
// answer `"cpu"` on the IPC channel with their process.cpuUsage(), for CPU time per request.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const STARTUP_TIMEOUT_MS = 60_000;
const running = new Set();

// A parent that dies (an exception, Ctrl-C) must not leave servers listening.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Spawns `node [nodeArgs] bench/<script> [args]` and resolves with the child and its first JSON line. */
function spawnReporting(script, nodeArgs = [], args = []) {
  const child = spawn(process.execPath, [...nodeArgs, `${benchDir}${script}`, ...args], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script}: no report within ${STARTUP_TIMEOUT_MS / 1000} s`));
    }, STARTUP_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, message: JSON.parse(line) });
      } catch {
        child.kill("SIGKILL");
        reject(new Error(`${script}: expected a JSON line on stdout, got ${JSON.stringify(line.slice(0, 200))}`));
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before reporting`));
    });
  });
}

/**
 * `DEPENDS_TICK_SHAPE=1` preloads `@depends/fastify/tick-shape` (the built module, through the
 * package's exports) in every server, ours and the rivals alike: all servers with it, or none
 * (the default). See docs/performance.md#nexttick-shape.
 */
export const tickShape = process.env.DEPENDS_TICK_SHAPE === "1";
const serverNodeArgs = tickShape ? ["--import", import.meta.resolve("@depends/fastify/tick-shape")] : [];

/** Starts `bench/servers/<name>.mjs`; resolves once it listens on 127.0.0.1. */
export async function startServer(name) {
  const { child, message } = await spawnReporting(`servers/${name}.mjs`, serverNodeArgs);
  return {
    name,
    origin: `http://127.0.0.1:${message.port}`,
    /** The server's user + system CPU time so far, in microseconds. */
    cpuMicros() {
      return new Promise((resolve) => {
        child.once("message", (usage) => resolve(usage.user + usage.system));
        child.send("cpu");
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs a one-shot probe (`bench/<script>`) to completion and returns its JSON report. */
export async function runProbe(script, { nodeArgs = [], args = [] } = {}) {
  const { child, message } = await spawnReporting(script, nodeArgs, args);
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once("exit", resolve));
  return message;
}
