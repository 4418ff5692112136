// HTTP load with autocannon's programmatic API, alternating the contenders (A B ... then ... B A)
// so that machine noise and drift hit every server alike.
import autocannon from "autocannon";
import { median } from "./measure.mjs";

/**
 * One request to check before any load: the status and, when given, the exact body. A server that
 * answers wrongly must stop the benchmark, not produce a flattering figure.
 */
export async function expectResponse(origin, { path, headers = {}, status, body, label }) {
  const response = await fetch(origin + path, { headers });
  const text = await response.text();
  if (response.status !== status || (body !== undefined && text !== body)) {
    throw new Error(`${label}: expected ${status}${body === undefined ? "" : ` ${body}`}, got ${response.status} ${text.slice(0, 300)}`);
  }
}

/**
 * One autocannon run against `target` (a started server plus the request to send): requests per
 * second, the server's CPU time per request, and every kind of failure.
 */
async function loadOnce(target, { duration, connections }) {
  const cpuBefore = await target.server.cpuMicros();
  const result = await autocannon({
    url: target.server.origin + target.path,
    headers: target.headers,
    connections,
    pipelining: 1,
    duration,
    // autocannon counts a body that differs as a mismatch: every response is checked, not just one.
    expectBody: target.body,
  });
  const cpu = (await target.server.cpuMicros()) - cpuBefore;
  const seconds = (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000;
  return {
    rps: result.requests.total / seconds,
    cpuPerRequest: cpu / result.requests.total,
    // A target that expects an error status (a 422) counts only wrong bodies, errors and timeouts.
    failures: (target.errorStatus ? 0 : result.non2xx) + result.errors + result.timeouts + result.mismatches,
    detail: `non2xx=${result.non2xx} errors=${result.errors} timeouts=${result.timeouts} mismatches=${result.mismatches}`,
  };
}

/**
 * Loads each target once to warm it up (discarded), then `rounds` rounds in alternating order.
 * Returns, per target name, the per-round requests/s and server CPU µs per request. Throws when
 * any response failed (non-2xx, socket error, timeout or a body other than `target.body`).
 */
export async function alternateLoad(targets, { rounds, duration, warmup, connections = 50, log = () => {} }) {
  for (const target of targets) await loadOnce(target, { duration: warmup, connections });
  const rps = Object.fromEntries(targets.map((t) => [t.name, []]));
  const cpu = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const run = await loadOnce(target, { duration, connections });
      if (run.failures > 0) throw new Error(`${target.name}: ${run.failures} failed responses under load (${run.detail})`);
      rps[target.name].push(run.rps);
      cpu[target.name].push(run.cpuPerRequest);
    }
    log(`  round ${round + 1}/${rounds}: ${targets.map((t) => `${t.name} ${Math.round(rps[t.name][round])} req/s ${cpu[t.name][round].toFixed(1)} µs`).join(", ")}`);
  }
  return { rps, cpu };
}
