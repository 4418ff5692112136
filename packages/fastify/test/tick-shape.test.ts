// Importing @depends/fastify keeps process.nextTick's inline caches monomorphic through full
// collections while the tick queue is empty. Without that, V8 marks them megamorphic for the rest
// of the process and every request pays 4 to 5 µs more CPU (docs/performance.md#nexttick-shape).
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import ts from "typescript";

const fixture = fileURLToPath(new URL("./fixtures/tick-shape.mjs", import.meta.url));
const source = fileURLToPath(new URL("../src/tick-shape.ts", import.meta.url));
const states = (report: string): string[] => [...report.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((match) => match[1] ?? "");

interface Report {
  readonly atStart: string[];
  readonly atEnd: string[];
}

/**
 * Runs the fixture's scenario in plain node (no loader, no coverage: either one's boot can degrade
 * nextTick before the fixture starts, depending on when its collections run), importing `module`
 * first when given. %DebugPrint writes with C stdio, which loses output on a non-blocking pipe:
 * the child writes to a file.
 */
async function scenario(dir: string, module?: string): Promise<Report> {
  const output = join(dir, `stdout-${module === undefined ? "plain" : "module"}.txt`);
  const file = await open(output, "w");
  try {
    // tap's process-info hook puts its loader into every child's NODE_OPTIONS (at spawn time, so
    // filtering our env is not enough): `env -u` takes it out of the node process itself.
    const args = ["-u", "NODE_OPTIONS", "-u", "NODE_V8_COVERAGE", process.execPath, "--expose-gc", "--allow-natives-syntax", fixture, ...(module === undefined ? [] : [module])];
    const child = spawn("env", args, { stdio: ["ignore", file.fd, "inherit"] });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`the fixture exited with ${code}`);
  } finally {
    await file.close();
  }
  const [start = "", end = ""] = (await readFile(output, "utf8")).split("--- end of the report at start ---");
  return { atStart: states(start), atEnd: states(end) };
}

const dir = await mkdtemp(join(tmpdir(), "depends-tick-"));
t.teardown(() => rm(dir, { recursive: true, force: true }));
// The module as the package ships it, compiled the way the build compiles it (to plain ESM).
const compiled = join(dir, "tick-shape.mjs");
const { outputText } = ts.transpileModule(await readFile(source, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
await writeFile(compiled, outputText);

// The control: without the module, the scenario must degrade nextTick on this V8, or the test
// below would prove nothing (a V8 that keeps the caches by itself has nothing to protect).
const plain = await scenario(dir);
const nothingToProtect = plain.atEnd.length > 0 && !plain.atEnd.includes("MEGAMORPHIC");

t.test(
  "after idle full collections, nextTick's caches stay monomorphic once the tick-shape module ran",
  { skip: nothingToProtect ? `V8 ${process.versions.v8} keeps nextTick's caches by itself (${plain.atEnd.join(", ")})` : false },
  async (t) => {
    // A V8 whose %DebugPrint no longer lists feedback slots leaves nothing to read: say so.
    t.ok(plain.atEnd.length > 0, `V8 ${process.versions.v8} printed nextTick's DefineKeyedOwnPropertyInLiteral feedback`);
    t.ok(plain.atEnd.includes("MEGAMORPHIC"), `without the module the scenario degrades nextTick: ${plain.atEnd.join(", ")}`);
    const kept = await scenario(dir, compiled);
    t.notOk(kept.atStart.includes("MEGAMORPHIC"), `not degraded before the import: ${kept.atStart.join(", ") || "no feedback yet"}`);
    t.equal(kept.atEnd.length, plain.atEnd.length, "the same definitions are reported");
    t.strictSame(kept.atEnd, kept.atEnd.map(() => "MONOMORPHIC"), `with the module: ${kept.atEnd.join(", ")}`);
  },
);

t.test("importing @depends/fastify runs the tick-shape module before anything else of the package", async (t) => {
  // The import graph in resolution order (core's probe): the entry's first import is tick-shape.
  const probe = fileURLToPath(new URL("../../core/test/fixtures/imports-of.mjs", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", probe, "@depends/fastify"]);
  const urls = (JSON.parse(stdout) as string[]).filter((url) => url.includes("/packages/"));
  t.match(urls[0], /\/packages\/fastify\/src\/index\.ts$/, "the entry");
  t.match(urls[1], /\/packages\/fastify\/src\/tick-shape\.ts$/, "then the tick-shape module, first of its imports");
});
