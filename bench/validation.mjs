// The cost of one 422 listing every problem (issue 20, item 18; docs/performance.md#validation):
// a route validating path, query and header parameters, on @depends/fastify and on plain fastify
// (same schemas, fastify's default Ajv: first error only), with a valid request and with one that
// has four problems. Each server in its own process, rounds alternated (see http.mjs).
import { startServer } from "./lib/child.mjs";
import { alternateLoad, expectResponse } from "./lib/load.mjs";
import { median, pairedRatio, printTable, ratioRow } from "./lib/measure.mjs";
import { INVALID_PATH, VALID_BODY, VALID_HEADERS, VALID_PATH } from "./servers/lib/validated.mjs";

const FULL = { rounds: 10, duration: 2, warmup: 2 };
const QUICK = { rounds: 3, duration: 1, warmup: 1 };

const rate = (rps) => `${Math.round(rps).toLocaleString("en-US")} req/s`;
const micros = (us) => `${us.toFixed(1)} µs CPU/req`;

async function bodyOf(origin, path) {
  const response = await fetch(origin + path);
  return { status: response.status, text: await response.text() };
}

export async function runValidationBench({ quick = false, log = console.log } = {}) {
  const settings = quick ? QUICK : FULL;
  log(`\nValidation: ${settings.rounds} alternating rounds of ${settings.duration} s per target (warm-up ${settings.warmup} s), 50 connections`);
  const servers = await Promise.all(["validated-depends", "validated-fastify"].map((name) => startServer(name)));
  try {
    const [ours, theirs] = servers;
    for (const server of servers) await expectResponse(server.origin, { path: VALID_PATH, headers: VALID_HEADERS, status: 200, body: VALID_BODY, label: server.name });
    // The invalid answers differ by design (ours lists every problem); each is checked under load against its first answer.
    const invalid = await Promise.all(servers.map((server) => bodyOf(server.origin, INVALID_PATH)));
    if (invalid[0].status !== 422) throw new Error(`validated-depends: expected 422, got ${invalid[0].status} ${invalid[0].text}`);
    const items = JSON.parse(invalid[0].text).detail.length;
    log(`validation: GET ${VALID_PATH} (valid) and GET ${INVALID_PATH} (422 with ${items} item(s) on @depends/fastify)`);
    const targets = [
      { name: "ours-valid", server: ours, path: VALID_PATH, headers: VALID_HEADERS, body: VALID_BODY },
      { name: "theirs-valid", server: theirs, path: VALID_PATH, headers: VALID_HEADERS, body: VALID_BODY },
      { name: "ours-invalid", server: ours, path: INVALID_PATH, body: invalid[0].text, errorStatus: true },
      { name: "theirs-invalid", server: theirs, path: INVALID_PATH, body: invalid[1].text, errorStatus: true },
    ];
    const { rps, cpu } = await alternateLoad(targets, { ...settings, log });
    const rows = [];
    for (const kind of ["valid", "invalid"]) {
      const a = `ours-${kind}`;
      const b = `theirs-${kind}`;
      const label = kind === "valid" ? "valid request" : `invalid request (${items} item(s) in our 422, 1 in fastify's 400)`;
      rows.push(
        ratioRow(`Validation ${label} vs plain fastify`, { measured: rate(median(rps[a])), baseline: `${rate(median(rps[b]))} fastify`, ratio: pairedRatio(rps[a], rps[b]) }),
        ratioRow("  (server CPU per request)", { measured: micros(median(cpu[a])), baseline: `${micros(median(cpu[b]))} fastify`, ratio: pairedRatio(cpu[a], cpu[b]) }),
      );
    }
    printTable("Validation: requests/s with @depends/fastify vs plain fastify, same schemas (median of rounds)", rows);
    return rows;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runValidationBench({ quick: process.argv.includes("--quick") });
