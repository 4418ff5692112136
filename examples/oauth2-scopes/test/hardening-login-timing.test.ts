// Login timing: an unknown username and a known one with a wrong password must take statistically
// similar time, or /token tells an attacker which usernames exist. The example verifies a dummy
// argon2 hash (the guide's parameters) for unknown users; this measures it with the real verifier.
// Robust to a noisy, shared machine through interleaving, not a looser bound: attempts alternate
// (A B, B A, ...) and each pair is measured back to back, so each time is divided by its pair's mean
// before the medians are compared. On a machine whose speed jumps between two levels (other
// processes come and go) raw medians of 50 land on either level by chance; pair-normalised ones
// compare the two kinds under the same conditions. A real difference survives the normalisation:
// were unknown users 30% faster, every pair would say so. Raw medians are reported too.
import t from "tap";
import { PasswordVerifier } from "../src/passwords.js";
import { exclusively, fuzzedApp, injectAnswer } from "./support/hardening.js";

const TRIES = 50;
const BOUND = 1.2;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

t.test(`unknown username vs known username with a wrong password: medians within ${Math.round((BOUND - 1) * 100)}% over ${TRIES} tries each`, async (t) => {
  const { app, errors } = await fuzzedApp(t, { passwords: new PasswordVerifier() });
  const attempt = async (username: string, password: string): Promise<number> => {
    const started = process.hrtime.bigint();
    const answer = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams({ username, password }).toString() });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (answer.status !== 400 || JSON.parse(answer.body).detail !== "Incorrect username or password") throw new Error(`${username}: ${answer.status} ${answer.body}`);
    return elapsed;
  };
  const unknown = (i: number) => attempt(`nobody-${i}`, `guess-${i}`);
  const known = (i: number) => attempt("johndoe", `guess-${i}`);

  const times = { unknown: [] as number[], known: [] as number[] };
  // Not while the soak test saturates the CPU on purpose (tap runs files in parallel).
  await exclusively(async () => {
    // Warm-up (discarded): the first verifications pay for allocating argon2's 64 MiB.
    for (let i = 1; i <= 2; i++) {
      await unknown(-i);
      await known(-i);
    }
    for (let i = 0; i < TRIES; i++) {
      // A B on even rounds, B A on odd ones: neither kind always runs first, drift hits both alike.
      if (i % 2 === 0) {
        times.unknown.push(await unknown(i));
        times.known.push(await known(i));
      } else {
        times.known.push(await known(i));
        times.unknown.push(await unknown(i));
      }
    }
  });
  const mUnknown = median(times.unknown);
  const mKnown = median(times.known);
  const rawRatio = Math.max(mUnknown, mKnown) / Math.min(mUnknown, mKnown);
  const pairMean = (i: number) => (times.unknown[i]! + times.known[i]!) / 2;
  const nUnknown = median(times.unknown.map((u, i) => u / pairMean(i)));
  const nKnown = median(times.known.map((k, i) => k / pairMean(i)));
  const ratio = Math.max(nUnknown, nKnown) / Math.min(nUnknown, nKnown);
  t.comment(`raw medians: unknown user ${mUnknown.toFixed(1)} ms, known user + wrong password ${mKnown.toFixed(1)} ms (ratio ${rawRatio.toFixed(3)})`);
  t.comment(`pair-normalised medians: unknown ${nUnknown.toFixed(3)}, known ${nKnown.toFixed(3)} (ratio ${ratio.toFixed(3)}, bound ${BOUND})`);
  t.equal(times.unknown.length, TRIES);
  t.equal(times.known.length, TRIES);
  t.ok(mUnknown > 10 && mKnown > 10, "both paths really verify an argon2 hash (tens of ms)");
  t.ok(ratio <= BOUND, `pair-normalised medians within ${Math.round((BOUND - 1) * 100)}% (ratio ${ratio.toFixed(3)})`);
  t.strictSame(errors(), []);
});
