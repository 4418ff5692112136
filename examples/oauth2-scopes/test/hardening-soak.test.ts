// The soak in the test run: the same load as `npm run soak` (bench/lib/soak.mjs) for ~8 s, on the
// example built from source in this process (the CI test run has no build). No response >= 500,
// every answer the status and detail it must have, nothing logged at error level, and the heap
// after a forced GC growing less than the stated bound after the warm-up.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import t from "tap";
import { describeSoak, HEAP_GROWTH_BOUND_BYTES, runSoak } from "../../../bench/lib/soak.mjs";
import { PasswordVerifier } from "../src/passwords.js";
import { exclusively, fuzzedApp, listen } from "./support/hardening.js";

const SECONDS = Number(process.env.SOAK_TEST_SECONDS ?? 8);

// A forced GC without --expose-gc on the command line (tap starts this process).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

t.test(`soak: ${SECONDS} s of mixed load on the example`, async (t) => {
  const { app, errors } = await fuzzedApp(t, { passwords: new PasswordVerifier() });
  const wire = await listen(t, app);
  const heap = async (): Promise<number> => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  // Not while the login-timing test measures (tap runs files in parallel).
  const result = await exclusively(() =>
    runSoak({ origin: `http://127.0.0.1:${wire.port}`, seconds: SECONDS, warmupSeconds: 2, connections: 8, heap, errorLogLines: errors }),
  );
  t.comment(describeSoak(result));
  const { report } = result;
  t.ok(report.requests > 1_000, `load was applied (${report.requests} requests)`);
  t.equal(report.serverErrors, 0, "no response >= 500");
  t.equal(report.socketErrors + report.timeouts, 0, "no socket error or timeout");
  t.strictSame(report.mismatches, {}, "every answer had the status and detail it must have");
  t.equal(report.leaks, 0, "no secret in any response");
  t.equal(report.errorLogLines, 0, "no log line at error level");
  t.ok(report.logins.ok > 0 && report.logins.wrong === 0 && report.logins.failed === 0, `real logins kept working under load (${JSON.stringify(report.logins)})`);
  t.ok(report.heap.growth <= HEAP_GROWTH_BOUND_BYTES, `heap growth after warm-up ${(report.heap.growth / 1024 / 1024).toFixed(2)} MB <= ${HEAP_GROWTH_BOUND_BYTES / 1024 / 1024} MB`);
  t.strictSame(result.failures, []);
});
