// HTTP benchmarks: each server in its own process (bench/servers/), autocannon in this one,
// alternating servers round by round; each ratio is the median of the per-round ratios of
// requests/s, shown with the server CPU time per request (steadier on a shared machine).
import { SignJWT } from "jose";
import { startServer, tickShape } from "./lib/child.mjs";
import { ITEMS_BODY, ITEMS_PATH, SECRET_KEY } from "./lib/guide.mjs";
import { alternateLoad, expectResponse } from "./lib/load.mjs";
import { median, pairedRatio, printTable, ratioRow } from "./lib/measure.mjs";

// Many short rounds rather than a few long ones: on a shared machine a burst of foreign load
// (a test run, a build) lasts seconds; short rounds put the contenders of one round under the same
// conditions more often, and the median of paired rounds drops the rounds a burst split.
const FULL = { rounds: 10, duration: 2, warmup: 2 };
const QUICK = { rounds: 3, duration: 1, warmup: 1 };

const rate = (rps) => `${Math.round(rps).toLocaleString("en-US")} req/s`;
const micros = (us) => `${us.toFixed(1)} µs CPU/req`;

/**
 * Two rows for "ours against theirs": requests/s (the target; the ratio is the median of paired
 * rounds) and, as information, the server's CPU time per request (lower is better).
 */
function comparisonRows(name, load, ours, theirs, label, atLeast) {
  const { rps, cpu } = load;
  return [
    ratioRow(name, {
      measured: rate(median(rps[ours])), baseline: `${rate(median(rps[theirs]))} ${label}`, ratio: pairedRatio(rps[ours], rps[theirs]), atLeast,
    }),
    ratioRow(`  (server CPU per request)`, {
      measured: micros(median(cpu[ours])), baseline: `${micros(median(cpu[theirs]))} ${label}`, ratio: pairedRatio(cpu[ours], cpu[theirs]),
    }),
  ];
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** Starts servers by name, runs `body` with them, and always stops them. */
async function withServers(names, body) {
  const servers = await Promise.all(names.map((name) => startServer(name)));
  try {
    return await body(Object.fromEntries(servers.map((s) => [s.name, s])));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function chainGroup(settings, log) {
  return withServers(["chain-depends", "chain-hand"], async (servers) => {
    // "/chain".length, plus one per link after the first.
    const request = { path: "/chain", status: 200, body: JSON.stringify({ value: 10 }) };
    for (const server of Object.values(servers)) await expectResponse(server.origin, { ...request, label: server.name });
    log("chain: 5-deep sync chain, @depends/fastify vs one hand-written handler");
    const load = await alternateLoad(Object.values(servers).map((server) => ({ ...request, name: server.name, server })), { ...settings, log });
    return comparisonRows("HTTP 5-deep sync chain vs hand-written handler", load, "chain-depends", "chain-hand", "hand", 0.97);
  });
}

/** Logs in through the example's own `/token` (argon2, once), as a client would. */
async function loginToken(origin) {
  const form = new URLSearchParams({ username: "johndoe", password: "secret", scope: "me items" });
  const response = await fetch(`${origin}/token`, { method: "POST", body: form });
  if (response.status !== 200) throw new Error(`items-depends: /token answered ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

/** Tokens the guide's checks must refuse: valid signatures, wrong scope or a disabled user. */
async function refusedTokens() {
  const key = new TextEncoder().encode(SECRET_KEY);
  const sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setExpirationTime("30m").sign(key);
  return { underScoped: await sign({ sub: "johndoe", scope: "me" }), disabled: await sign({ sub: "alice", scope: "me items" }) };
}

/** Every server doing auth must answer the guide's four cases identically: it does the same work. */
async function checkGuideAnswers(server, token, refused) {
  const cases = [
    { headers: bearer(token), status: 200, body: ITEMS_BODY },
    { headers: {}, status: 401, body: JSON.stringify({ detail: "Not authenticated" }) },
    { headers: bearer(refused.underScoped), status: 401, body: JSON.stringify({ detail: "Not enough permissions" }) },
    { headers: bearer(refused.disabled), status: 400, body: JSON.stringify({ detail: "Inactive user" }) },
  ];
  for (const c of cases) await expectResponse(server.origin, { ...c, path: ITEMS_PATH, label: `${server.name} ${c.status}` });
}

async function itemsGroup(settings, log) {
  const names = ["items-depends", "items-fastify-jwt", "items-hand", "items-hand-cached", "items-bare"];
  return withServers(names, async (servers) => {
    const token = await loginToken(servers["items-depends"].origin);
    const refused = await refusedTokens();
    for (const name of ["items-depends", "items-fastify-jwt", "items-hand", "items-hand-cached"]) await checkGuideAnswers(servers[name], token, refused);
    await expectResponse(servers["items-bare"].origin, { path: ITEMS_PATH, status: 200, body: ITEMS_BODY, label: "items-bare" });
    log(`items: GET ${ITEMS_PATH} with a valid token, example app vs fastify + @fastify/jwt + @fastify/auth vs fastify + jose by hand vs bare route`);
    const targets = names.map((name) => ({ name, server: servers[name], path: ITEMS_PATH, headers: bearer(token), body: ITEMS_BODY }));
    const load = await alternateLoad(targets, { ...settings, log });
    return [
      // Issue 17: the rival a fastify user writes today, with the same verified-token Map.
      ...comparisonRows("HTTP items (token cache) vs @fastify/jwt + @fastify/auth + Map cache", load, "items-depends", "items-fastify-jwt", "@fastify/jwt + cache", 1.05),
      ...comparisonRows("HTTP items (token cache) vs hand-written today", load, "items-depends", "items-hand", "hand, no cache", 0.95),
      ...comparisonRows("HTTP items (token cache) vs hand-written + Map cache", load, "items-depends", "items-hand-cached", "hand + cache", 0.95),
      ...comparisonRows("HTTP items (token cache) vs bare route (ceiling)", load, "items-depends", "items-bare", "bare", 0.9),
    ];
  });
}

export async function runHttpBench({ quick = false, log = console.log } = {}) {
  const settings = quick ? QUICK : FULL;
  log(`\nHTTP: ${settings.rounds} alternating rounds of ${settings.duration} s per server (warm-up ${settings.warmup} s), 50 connections`);
  log(tickShape ? "Every server preloads @depends/fastify/tick-shape (DEPENDS_TICK_SHAPE=1)" : "No server preloads @depends/fastify/tick-shape (DEPENDS_TICK_SHAPE=1 preloads it in all)");
  const rows = [...(await chainGroup(settings, log)), ...(await itemsGroup(settings, log))];
  printTable("HTTP: requests/s with @depends/fastify vs the same route without it (median of rounds)", rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runHttpBench({ quick: process.argv.includes("--quick") });
