// `npm run start:heroes`'s entry point as a real process, on PGlite in a data directory: it listens
// on PORT, serves the API, and a second start on the same directory finds the data of the first
// (migrations not applied twice). Run from source through tap's TypeScript loader (see the guide
// example's main.test.ts for why not from dist/).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { GUIDE_SECRET_KEY } from "./support/server.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function start(env: Record<string, string>): Promise<{ child: ChildProcess; stopped: () => Promise<number | null> }> {
  const inherited = { ...process.env };
  for (const name of ["NODE_ENV", "SECRET_KEY", "PORT", "HOST", "DATABASE_URL", "PGLITE_DATA_DIR", "NODE_OPTIONS"]) delete inherited[name];
  for (const name of Object.keys(inherited)) if (name.startsWith("TAP") || name.startsWith("_TAPJS")) delete inherited[name];
  const child = spawn(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", "examples/heroes/src/main.ts"], {
    cwd: repoRoot,
    env: { ...inherited, TS_NODE_TRANSPILE_ONLY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.teardown(() => void child.kill("SIGKILL"));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Swagger UI: http://")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => reject(new Error(`exited (${code}) before listening:\n${output}`)));
  });
  return {
    child,
    stopped: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

t.test("serves on PORT from a PGlite data directory, which keeps the data across restarts", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "heroes-main-"));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env = { PORT: String(port), SECRET_KEY: GUIDE_SECRET_KEY, PGLITE_DATA_DIR: dataDir };
  const base = `http://127.0.0.1:${port}`;

  const first = await start(env);
  const login = async () => ((await (await fetch(`${base}/token`, { method: "POST", body: new URLSearchParams({ username: "johndoe", password: "secret", scope: "heroes:read heroes:write" }) })).json()) as { access_token: string }).access_token;
  const token = await login();
  const created = await fetch(`${base}/heroes/`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Persistent", secret_name: "x" }) });
  t.equal(created.status, 200);
  const { id } = (await created.json()) as { id: number };
  t.equal(await first.stopped(), 0, "SIGTERM closes cleanly");

  const second = await start(env);
  const read = await fetch(`${base}/heroes/${id}`, { headers: { authorization: `Bearer ${token}` } });
  t.strictSame({ status: read.status, body: await read.json() }, { status: 200, body: { name: "Persistent", age: null, id } }, "the hero (and the token, same key) survive the restart");
  t.equal(await second.stopped(), 0);
});
