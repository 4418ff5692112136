// Micro-benchmark helpers: alternate the contenders (A B A B ...) so that machine noise hits both,
// and report medians. Timed tests are not used anywhere: these numbers are for people.

/** Runs `fn` `iterations` times and returns nanoseconds per call (awaiting when it returns a promise). */
export async function timePerCall(fn, iterations) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    let v = fn();
    if (v instanceof Promise) v = await v;
    if (v !== undefined) sink++;
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return elapsed / iterations;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The median of round-by-round ratios a[i] / b[i]. Runs of one round are neighbours in time, so
 * each ratio compares like with like; the median then drops the rounds a burst of load disturbed.
 */
export function pairedRatio(a, b) {
  return median(a.map((value, i) => value / b[i]));
}

/** Alternates contenders for `rounds` rounds; returns the median ns/op of each. */
export async function compare(contenders, { rounds = 15, iterations = 200_000, warmup = 50_000 } = {}) {
  for (const fn of Object.values(contenders)) await timePerCall(fn, warmup);
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) samples[name].push(await timePerCall(fn, iterations));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/** Prints a table: name, figures, ratio, target, verdict. Rows without a target are informative ("-"). */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  const header = ["case", "measured", "baseline", "ratio", "target", "ok"];
  const verdict = (r) => (r.ok === undefined ? "-" : r.ok ? "yes" : "NO");
  const lines = rows.map((r) => [r.case, r.measured, r.baseline, typeof r.ratio === "number" ? r.ratio.toFixed(2) + "x" : "-", r.target ?? "-", verdict(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cols) => cols.map((c, i) => String(c).padEnd(widths[i])).join("  ").trimEnd();
  console.log(fmt(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(fmt(l));
}

/**
 * A table row for "measured / baseline against a target": `atLeast` for throughput (higher is
 * better), `atMost` for costs (lower is better). `ratio` defaults to value / base.
 */
export function ratioRow(name, { measured, baseline, value, base, ratio = value / base, atLeast, atMost }) {
  if (atLeast !== undefined) return { case: name, measured, baseline, ratio, target: `>= ${atLeast.toFixed(2)}x`, ok: ratio >= atLeast };
  if (atMost !== undefined) return { case: name, measured, baseline, ratio, target: `<= ${atMost.toFixed(2)}x`, ok: ratio <= atMost };
  return { case: name, measured, baseline, ratio };
}
