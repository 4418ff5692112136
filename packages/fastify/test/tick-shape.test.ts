// The opt-in @depends/fastify/tick-shape module keeps process.nextTick's inline caches monomorphic
// through full collections while the tick queue is empty. Without that, V8 marks them megamorphic
// for the rest of the process and every request pays 4 to 5 µs more CPU
// (docs/performance.md#nexttick-shape). It changes process-wide state, so the package's entry must
// not load it.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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
async function scenario(dir: string, module?: string, how: "import" | "--import" = "import"): Promise<Report> {
  const output = join(dir, `stdout-${module === undefined ? "plain" : how}.txt`);
  const file = await open(output, "w");
  try {
    // tap's process-info hook puts its loader into every child's NODE_OPTIONS (at spawn time, so
    // filtering our env is not enough): `env -u` takes it out of the node process itself.
    const loaded = module === undefined ? { before: [], after: [] } : how === "import" ? { before: [], after: [module] } : { before: ["--import", module], after: [] };
    const args = ["-u", "NODE_OPTIONS", "-u", "NODE_V8_COVERAGE", process.execPath, "--expose-gc", "--allow-natives-syntax", ...loaded.before, fixture, ...loaded.after];
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

t.test(
  "preloaded with node --import, the module keeps nextTick's caches monomorphic too",
  { skip: nothingToProtect ? `V8 ${process.versions.v8} keeps nextTick's caches by itself` : false },
  async (t) => {
    const kept = await scenario(dir, pathToFileURL(compiled).href, "--import");
    t.equal(kept.atEnd.length, plain.atEnd.length, "the same definitions are reported");
    t.strictSame(kept.atEnd, kept.atEnd.map(() => "MONOMORPHIC"), `with --import: ${kept.atEnd.join(", ")}`);
  },
);

/** Every module of this repository's packages that importing `specifier` loads, in resolution order (core's probe). */
async function packageImports(specifier: string): Promise<string[]> {
  const probe = fileURLToPath(new URL("../../core/test/fixtures/imports-of.mjs", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", probe, specifier]);
  return (JSON.parse(stdout) as string[]).filter((url) => url.includes("/packages/"));
}

t.test("importing @depends/fastify does not load the tick-shape module (it is opt-in)", async (t) => {
  const urls = await packageImports("@depends/fastify");
  t.match(urls[0], /\/packages\/fastify\/src\/index\.ts$/, "the entry");
  t.ok(urls.length > 5, `the probe saw the package's modules (${urls.length})`);
  t.same(urls.filter((url) => url.includes("tick-shape")), [], "no tick-shape module among them");
});

t.test("@depends/fastify/tick-shape is the module, alone, with its types in the built exports", async (t) => {
  t.same(await packageImports("@depends/fastify/tick-shape"), [pathToFileURL(source).href], "the subpath loads the module and nothing else of the package");
  const manifest = JSON.parse(await readFile(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8")) as { exports: Record<string, unknown> };
  t.strictSame(manifest.exports["./tick-shape"], { "@depends/source": "./src/tick-shape.ts", types: "./dist/tick-shape.d.ts", default: "./dist/tick-shape.js" });
});
