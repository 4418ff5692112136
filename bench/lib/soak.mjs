// The soak load shared by `npm run soak` (bench/soak.mjs, the built example in a child process,
// 60 s) and the short version in the test run (examples/oauth2-scopes/test/hardening-soak.test.ts,
// in-process from source, ~8 s): a fixed mix of valid, invalid, under-scoped and anonymous requests
// driven by autocannon, every answer checked against the status and detail it must have, the
// server's heap sampled after a forced GC, and a verdict against stated bounds.
import { createHmac, randomBytes } from "node:crypto";
import autocannon from "autocannon";

/** The guide's SECRET_KEY (HS256 keys are the UTF-8 bytes of this string, as PyJWT uses it). */
export const SOAK_SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";

/**
 * The heap bound: the heap after a forced GC may grow by at most this much between the end of the
 * warm-up and the end of the load. The verified-token cache is the only structure meant to grow
 * with traffic and the mix presents a handful of valid tokens, so a steady server stays far below.
 */
export const HEAP_GROWTH_BOUND_BYTES = 8 * 1024 * 1024;

const SECRETS = ["argon2", "hashed_password", SOAK_SECRET_KEY];

const b64u = (text) => Buffer.from(text).toString("base64url");

function hs256(claims, secret = SOAK_SECRET_KEY) {
  const input = `${b64u(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${createHmac("sha256", Buffer.from(secret, "utf8")).update(input).digest("base64url")}`;
}

/** Logs in through /token (real argon2) and returns the access token. */
async function login(origin, username, password, scope) {
  const response = await fetch(`${origin}/token`, { method: "POST", body: new URLSearchParams({ username, password, scope }) });
  const body = await response.json();
  if (response.status !== 200 || typeof body.access_token !== "string") throw new Error(`login ${username}: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * The mix, one entry per kind of request, each with the status and detail it must get. autocannon
 * cycles every connection through the list in order. Forged tokens are fresh for every request
 * (`setupRequest`), so nothing about them can be cached or accumulate.
 */
async function requestMix(origin) {
  const full = await login(origin, "johndoe", "secret", "me items");
  const meOnly = await login(origin, "johndoe", "secret", "me");
  const disabled = await login(origin, "alice", "secretalice", "me items");
  const now = Math.floor(Date.now() / 1000);
  const expired = hs256({ sub: "johndoe", scope: "me items", exp: now - 60 });
  const [h, p, s] = full.split(".");
  const tampered = `${h}.${p}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`;
  const bearer = (token) => ({ authorization: `Bearer ${token}` });
  const forged = (req) => ({ ...req, headers: bearer(hs256({ sub: "johndoe", scope: "me items", exp: now + 3600, jti: randomBytes(8).toString("hex") }, "not-the-key-but-long-enough-0123456789abcdef")) });
  const garbage = (req) => ({ ...req, headers: bearer(randomBytes(24).toString("base64url")) });
  const nopeAlg = `${b64u('{"alg":"none","typ":"JWT"}')}.${b64u(JSON.stringify({ sub: "johndoe", scope: "me items", exp: now + 3600 }))}.`;
  return [
    { name: "valid: items", method: "GET", path: "/users/me/items/", headers: bearer(full), status: 200 },
    { name: "valid: me", method: "GET", path: "/users/me/", headers: bearer(meOnly), status: 200 },
    { name: "valid: status", method: "GET", path: "/status/", headers: bearer(full), status: 200 },
    { name: "under-scoped", method: "GET", path: "/users/me/items/", headers: bearer(meOnly), status: 401, detail: "Not enough permissions" },
    { name: "disabled user", method: "GET", path: "/users/me/", headers: bearer(disabled), status: 400, detail: "Inactive user" },
    { name: "no auth", method: "GET", path: "/users/me/", headers: {}, status: 401, detail: "Not authenticated" },
    { name: "expired", method: "GET", path: "/users/me/", headers: bearer(expired), status: 401, detail: "Could not validate credentials" },
    { name: "tampered signature", method: "GET", path: "/status/", headers: bearer(tampered), status: 401, detail: "Could not validate credentials" },
    { name: "forged, fresh each time", method: "GET", path: "/users/me/items/", setupRequest: forged, status: 401, detail: "Could not validate credentials" },
    { name: "garbage, fresh each time", method: "GET", path: "/status/", setupRequest: garbage, status: 401, detail: "Could not validate credentials" },
    { name: "alg none", method: "GET", path: "/users/me/", headers: bearer(nopeAlg), status: 401, detail: "Could not validate credentials" },
    { name: "invalid login form", method: "POST", path: "/token", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=foo", status: 422 },
    { name: "unknown path", method: "GET", path: "/nowhere", headers: {}, status: 404, detail: "Not Found" },
  ];
}

/** Real logins (argon2, ~100 ms each) trickled alongside the load: right and wrong passwords, unknown users. */
function loginTrickle(origin, counts) {
  let stopped = false;
  const tries = [
    ["johndoe", "secret", 200],
    ["johndoe", "wrong", 400],
    ["nobody", "secret", 400],
  ];
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      const [username, password, status] = tries[i % tries.length];
      try {
        const response = await fetch(`${origin}/token`, { method: "POST", body: new URLSearchParams({ username, password }) });
        await response.arrayBuffer();
        counts[response.status === status ? "ok" : "wrong"]++;
      } catch {
        counts.failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return async () => {
    stopped = true;
    await done;
  };
}

/**
 * Runs the soak against `origin` and returns the figures and the verdict.
 *
 * - `seconds`: total load time; `warmupSeconds`: the first part, after which the reference heap is taken.
 * - `heap()`: resolves to the server's heapUsed in bytes after a forced GC.
 * - `errorLogLines()`: the server's log lines at level error or above so far.
 */
export async function runSoak({ origin, seconds, warmupSeconds, connections = 16, heap, errorLogLines, log = () => {} }) {
  const mix = await requestMix(origin);
  const mismatches = new Map();
  let leaks = 0;
  const requests = mix.map((entry) => {
    const request = { method: entry.method, path: entry.path, headers: entry.headers ?? {}, body: entry.body };
    if (entry.setupRequest) request.setupRequest = entry.setupRequest;
    request.onResponse = (status, body) => {
      if (SECRETS.some((secret) => String(body).includes(secret))) leaks++;
      let detail;
      try {
        detail = JSON.parse(body)?.detail;
      } catch {
        detail = undefined;
      }
      const fits = status === entry.status && (entry.status === 200 || (typeof detail !== "undefined" && (entry.detail === undefined || detail === entry.detail)));
      if (!fits) mismatches.set(entry.name, { count: (mismatches.get(entry.name)?.count ?? 0) + 1, example: `${status} ${String(body).slice(0, 120)}` });
    };
    return request;
  });

  const logins = { ok: 0, wrong: 0, failed: 0 };
  const stopLogins = loginTrickle(origin, logins);
  const load = (duration) => autocannon({ url: origin, connections, pipelining: 1, duration, requests });

  log(`warm-up: ${warmupSeconds} s`);
  const warm = await load(warmupSeconds);
  const heapAfterWarmup = await heap();
  const samples = [{ at: warmupSeconds, heap: heapAfterWarmup }];
  log(`load: ${seconds - warmupSeconds} s, ${connections} connections, ${mix.length} kinds of request`);
  const started = Date.now();
  const sampler = setInterval(async () => {
    try {
      samples.push({ at: Math.round((Date.now() - started) / 1000) + warmupSeconds, heap: await heap() });
    } catch {
      // The last sample below is the one that counts.
    }
  }, 5_000);
  const main = await load(seconds - warmupSeconds);
  clearInterval(sampler);
  await stopLogins();
  const heapAtEnd = await heap();
  samples.push({ at: "end", heap: heapAtEnd });

  const statuses = {};
  for (const result of [warm, main]) {
    for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = (statuses[code] ?? 0) + count;
  }
  const total = warm.requests.total + main.requests.total;
  const serverErrors = Object.entries(statuses).filter(([code]) => Number(code) >= 500).reduce((sum, [, n]) => sum + n, 0);
  const errorLines = errorLogLines();
  const growth = heapAtEnd - heapAfterWarmup;
  const report = {
    seconds,
    requests: total,
    requestsPerSecond: Math.round(main.requests.total / (seconds - warmupSeconds)),
    statuses,
    serverErrors,
    socketErrors: warm.errors + main.errors,
    timeouts: warm.timeouts + main.timeouts,
    mismatches: Object.fromEntries(mismatches),
    leaks,
    logins,
    errorLogLines: errorLines.length,
    heap: { afterWarmup: heapAfterWarmup, atEnd: heapAtEnd, growth, bound: HEAP_GROWTH_BOUND_BYTES, samples },
  };
  const failures = [];
  if (serverErrors > 0) failures.push(`${serverErrors} responses >= 500`);
  if (report.socketErrors + report.timeouts > 0) failures.push(`${report.socketErrors} socket errors, ${report.timeouts} timeouts`);
  if (mismatches.size > 0) failures.push(`unexpected answers: ${JSON.stringify(report.mismatches)}`);
  if (leaks > 0) failures.push(`${leaks} responses carried a secret`);
  if (errorLines.length > 0) failures.push(`${errorLines.length} log lines at error level, e.g. ${JSON.stringify(errorLines[0]).slice(0, 300)}`);
  if (logins.wrong + logins.failed > 0) failures.push(`logins under load: ${JSON.stringify(logins)}`);
  if (growth > HEAP_GROWTH_BOUND_BYTES) failures.push(`heap grew by ${mb(growth)} after warm-up (bound ${mb(HEAP_GROWTH_BOUND_BYTES)})`);
  return { report, failures };
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** A human-readable summary of a soak report. */
export function describeSoak({ report, failures }) {
  const lines = [
    `requests: ${report.requests} in ${report.seconds} s (${report.requestsPerSecond} req/s after warm-up)`,
    `statuses: ${JSON.stringify(report.statuses)}; >= 500: ${report.serverErrors}; socket errors ${report.socketErrors}, timeouts ${report.timeouts}`,
    `answers that differ from the expected status/detail: ${Object.keys(report.mismatches).length === 0 ? "none" : JSON.stringify(report.mismatches)}`,
    `real logins alongside (argon2): ${JSON.stringify(report.logins)}`,
    `log lines at error level: ${report.errorLogLines}`,
    `heap after GC: ${mb(report.heap.afterWarmup)} after warm-up, ${mb(report.heap.atEnd)} at the end, growth ${mb(report.heap.growth)} (bound ${mb(report.heap.bound)})`,
    `heap samples: ${report.heap.samples.map((s) => `${typeof s.at === "number" ? `${s.at}s` : s.at}=${mb(s.heap)}`).join(", ")}`,
    failures.length === 0 ? "verdict: PASS" : `verdict: FAIL\n  - ${failures.join("\n  - ")}`,
  ];
  return lines.join("\n");
}
