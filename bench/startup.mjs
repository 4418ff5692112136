// Start-up benchmark (issue 17): from spawning a server process to its first 200 on
// `GET /users/me/items/` with a valid token (signed here, so that no login runs first), for the
// example app and for the @fastify/jwt + @fastify/auth rival (bench/servers/items-fastify-jwt.mjs),
// fresh processes, alternated round by round; the ratio is the median of the per-round ratios.
import { SignJWT } from "jose";
import { startServer } from "./lib/child.mjs";
import { ITEMS_BODY, ITEMS_PATH, SECRET_KEY } from "./lib/guide.mjs";
import { median, pairedRatio, printTable, ratioRow } from "./lib/measure.mjs";

const FULL = { rounds: 7 };
const QUICK = { rounds: 2 };
const SERVERS = ["items-depends", "items-fastify-jwt"];

/**
 * Milliseconds from spawn to the first 200 with the expected body, and the server's CPU time by
 * then (user + system, all threads): steadier than wall time on a busy machine.
 */
async function spawnToFirst200(name, headers) {
  const start = performance.now();
  const server = await startServer(name);
  try {
    const response = await fetch(server.origin + ITEMS_PATH, { headers });
    const body = await response.text();
    const elapsed = performance.now() - start;
    if (response.status !== 200 || body !== ITEMS_BODY) throw new Error(`${name}: first request answered ${response.status} ${body.slice(0, 200)}`);
    return { elapsed, cpuMs: (await server.cpuMicros()) / 1000 };
  } finally {
    await server.stop();
  }
}

export async function runStartupBench({ quick = false, log = console.log } = {}) {
  const { rounds } = quick ? QUICK : FULL;
  log(`\nStart-up: spawn to first 200 on ${ITEMS_PATH}, ${rounds} alternating rounds of fresh processes`);
  const key = new TextEncoder().encode(SECRET_KEY);
  const token = await new SignJWT({ sub: "johndoe", scope: "me items" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("30m").sign(key);
  const headers = { authorization: `Bearer ${token}` };
  const times = Object.fromEntries(SERVERS.map((name) => [name, []]));
  const cpu = Object.fromEntries(SERVERS.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? SERVERS : [...SERVERS].reverse()) {
      const { elapsed, cpuMs } = await spawnToFirst200(name, headers);
      times[name].push(elapsed);
      cpu[name].push(cpuMs);
    }
    log(`  round ${round + 1}/${rounds}: ${SERVERS.map((name) => `${name} ${times[name][round].toFixed(0)} ms (${cpu[name][round].toFixed(0)} ms CPU)`).join(", ")}`);
  }
  const rows = [
    ratioRow("Start-up: spawn to first 200 vs @fastify/jwt + @fastify/auth", {
      measured: `${median(times["items-depends"]).toFixed(0)} ms`, baseline: `${median(times["items-fastify-jwt"]).toFixed(0)} ms @fastify/jwt`,
      ratio: pairedRatio(times["items-depends"], times["items-fastify-jwt"]), atMost: 1.2,
    }),
    ratioRow("  (server CPU time by its first 200)", {
      measured: `${median(cpu["items-depends"]).toFixed(0)} ms CPU`, baseline: `${median(cpu["items-fastify-jwt"]).toFixed(0)} ms CPU @fastify/jwt`,
      ratio: pairedRatio(cpu["items-depends"], cpu["items-fastify-jwt"]),
    }),
  ];
  printTable("Start-up: the example vs the @fastify/jwt rival (median of rounds)", rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runStartupBench({ quick: process.argv.includes("--quick") });
