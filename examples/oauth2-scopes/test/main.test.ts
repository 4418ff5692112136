// `npm start`'s entry point as a real process: it refuses to start without a key in production,
// listens on PORT with SECRET_KEY, and warns when it made its own key (readSettings' other mistakes
// are unit-tested in settings.test.ts). main.ts runs from source through the TypeScript loader tap
// uses, 4-5 s a start: building dist/ here instead would race with
// packages/fastify/test/packed-tarballs.test.ts, which rebuilds the packages' dist/ in parallel.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import t, { type Test } from "tap";
import { GUIDE_SECRET_KEY } from "./support/settings.js";
import { inHalfAnHour, pyjwtToken } from "./support/tokens.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const MAIN = "examples/oauth2-scopes/src/main.ts";
const START_TIMEOUT_MS = 30_000;

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const inherited = { ...process.env };
  for (const name of ["NODE_ENV", "SECRET_KEY", "PORT", "HOST", "ACCESS_TOKEN_EXPIRE_MINUTES", "NODE_OPTIONS"]) delete inherited[name];
  // Not a tap child: no coverage collection, which would slow each start down several times.
  for (const name of Object.keys(inherited)) if (name.startsWith("TAP") || name.startsWith("_TAPJS")) delete inherited[name];
  const child = spawn(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", MAIN], {
    cwd: repoRoot,
    env: { ...inherited, TS_NODE_TRANSPILE_ONLY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  t.teardown(() => void child.kill("SIGKILL"));
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the server logs that it listens; rejects if it exits or takes too long. */
async function listening(started: Started): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!/Server listening at/.test(started.output())) {
    if (started.child.exitCode !== null) throw new Error(`exited with ${started.child.exitCode} before listening:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`not listening after ${START_TIMEOUT_MS} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(t: Test, started: Started): Promise<void> {
  started.child.kill("SIGTERM");
  t.equal(await started.exited, 0, "SIGTERM closes the server and exits 0");
}

// All three start at once: each spends seconds loading TypeScript.
const [keyPort, generatedPort] = await Promise.all([freePort(), freePort()]);
const runs = {
  productionWithoutKey: start({ NODE_ENV: "production" }),
  withKey: start({ NODE_ENV: "production", SECRET_KEY: GUIDE_SECRET_KEY, HOST: "127.0.0.1", PORT: String(keyPort) }),
  generatedKey: start({ PORT: String(generatedPort) }),
};

t.test("NODE_ENV=production without SECRET_KEY: exit 1 with a clear message, never listens", async (t) => {
  const started = runs.productionWithoutKey;
  t.equal(await started.exited, 1);
  t.match(started.output(), /Cannot start: SECRET_KEY is not set: refusing to start with NODE_ENV=production \(generate one with `openssl rand -hex 32`\)/);
  t.notMatch(started.output(), /Server listening/);
});

t.test("with SECRET_KEY: listens on HOST:PORT and accepts tokens signed with that key", async (t) => {
  const started = runs.withKey;
  await listening(started);
  const base = `http://127.0.0.1:${keyPort}`;
  const anonymous = await fetch(`${base}/status/`);
  t.equal(anonymous.status, 401);
  t.strictSame(await anonymous.json(), { detail: "Not authenticated" });
  const token = pyjwtToken({ sub: "johndoe", scope: "", exp: inHalfAnHour() });
  const status = await fetch(`${base}/status/`, { headers: { authorization: `Bearer ${token}` } });
  t.strictSame(await status.json(), { status: "ok" }, "the guide's key signs valid tokens");
  t.notMatch(started.output(), /SECRET_KEY is not set/, "no warning");
  await stop(t, started);
});

t.test("without SECRET_KEY outside production: starts with a generated key and logs a warning", async (t) => {
  const started = runs.generatedKey;
  await listening(started);
  const warning = started.output().split("\n").find((line) => line.includes("SECRET_KEY is not set"));
  t.ok(warning, "a warning line");
  t.match(JSON.parse(warning ?? "{}"), { level: 40 }, "logged at warn level");
  const token = pyjwtToken({ sub: "johndoe", scope: "", exp: inHalfAnHour() });
  const status = await fetch(`http://127.0.0.1:${generatedPort}/status/`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(status.status, 401, "the guide's key is not the key in use");
  await stop(t, started);
});
