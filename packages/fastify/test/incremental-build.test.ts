// `npm run build` (scripts/build.mjs) is incremental, and its check of dist/ against src/ covers
// what tsc -b alone misses: outputs of a deleted source are deleted, an output deleted by hand is
// rebuilt; `--clean` builds from nothing. Run on a tiny copy of the layout (scripts/, a
// tsconfig.build.json referencing one project), never on this repository's dist/.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));

t.test("npm run build: incremental, with stale and missing outputs handled", async (t) => {
  const repo = await mkdtemp(join(tmpdir(), "depends-build-"));
  t.teardown(() => rm(repo, { recursive: true, force: true }));
  await cp(join(root, "scripts"), join(repo, "scripts"), { recursive: true });
  await symlink(join(root, "node_modules"), join(repo, "node_modules"));
  await writeFile(join(repo, "tsconfig.build.json"), JSON.stringify({ files: [], references: [{ path: "./pkg" }] }));
  await mkdir(join(repo, "pkg/src/sub"), { recursive: true });
  await writeFile(
    join(repo, "pkg/tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, composite: true, declaration: true, declarationMap: true, sourceMap: true, rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo", types: [] },
      include: ["src/**/*.ts"],
    }),
  );
  await writeFile(join(repo, "pkg/src/a.ts"), `export const a = 1;\n`);
  await writeFile(join(repo, "pkg/src/sub/b.ts"), `export const b = 2;\n`);
  const build = async (...args: string[]) => (await run(process.execPath, [join(repo, "scripts/build.mjs"), ...args], { cwd: repo })).stdout;
  const dist = async () => (await readdir(join(repo, "pkg/dist"), { recursive: true })).sort();
  const all = [".tsbuildinfo", "a.d.ts", "a.d.ts.map", "a.js", "a.js.map", "sub", "sub/b.d.ts", "sub/b.d.ts.map", "sub/b.js", "sub/b.js.map"];

  t.equal(await build(), "", "a first build says nothing but tsc's errors");
  t.strictSame(await dist(), all);
  const info = (await stat(join(repo, "pkg/dist/.tsbuildinfo"))).mtimeMs;
  await build();
  t.equal((await stat(join(repo, "pkg/dist/.tsbuildinfo"))).mtimeMs, info, "a repeated build with no change rewrites nothing");

  await rm(join(repo, "pkg/src/sub/b.ts"));
  t.match(await build(), /deleted 4 stale output\(s\) in pkg\/dist: sub\/b\.d\.ts, sub\/b\.d\.ts\.map, sub\/b\.js, sub\/b\.js\.map/);
  t.strictSame(await dist(), all.slice(0, 5), "the outputs of a deleted source go, with their emptied folder");

  await rm(join(repo, "pkg/dist/a.js"));
  t.match(await build(), /pkg\/dist lacks the outputs of a\.ts: rebuilding pkg/);
  t.strictSame(await dist(), all.slice(0, 5), "an output deleted by hand is built again (tsc -b alone would call the project up to date)");

  await writeFile(join(repo, "pkg/dist/stray.txt"), "x");
  await build("--clean");
  t.strictSame(await dist(), all.slice(0, 5), "--clean builds from an empty dist/");
});
