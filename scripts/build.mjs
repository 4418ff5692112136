// `npm run build`: an incremental `tsc -b tsconfig.build.json` (dist/ and dist/.tsbuildinfo are kept
// between runs, so a repeated build recompiles only what changed), made safe by a cheap check of
// dist/ against src/ first. tsc -b alone trusts its .tsbuildinfo: it never deletes the outputs of a
// deleted or renamed source (they would still be imported at run time, and packed), and it does not
// notice an output deleted by hand. So, for each project:
// - an output (.js, .d.ts, their maps) whose source src/X.ts no longer exists is deleted;
// - a source whose outputs are not all there drops the project's .tsbuildinfo, and tsc -b rebuilds
//   that project (and, through references, those that depend on it).
// `--clean` (`npm run build:clean`) empties every dist/ first: CI and releases build from nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { clean } from "./clean.mjs";
import { projects, root } from "./projects.mjs";

const OUTPUTS = [".js", ".js.map", ".d.ts", ".d.ts.map"];
const BUILD_INFO = ".tsbuildinfo";

/** Every file under dir, as paths relative to it ("/"-separated). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"));
}

/** The source an output was compiled from (src-relative, e.g. "a/b.ts"), or undefined for a file tsc does not emit. */
function sourceOf(output) {
  const suffix = [".d.ts.map", ".d.ts", ".js.map", ".js"].find((e) => output.endsWith(e));
  return suffix === undefined ? undefined : `${output.slice(0, -suffix.length)}.ts`;
}

/** Deletes stale outputs, drops the .tsbuildinfo when outputs are missing; returns what it found, for the log. */
function checkProject(dir) {
  const src = join(root, dir, "src");
  const dist = join(root, dir, "dist");
  const sources = new Set(filesUnder(src).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")));
  const outputs = filesUnder(dist).filter((f) => f !== BUILD_INFO);
  const stale = outputs.filter((f) => {
    const source = sourceOf(f);
    return source === undefined || !sources.has(source);
  });
  for (const f of stale) rmSync(join(dist, f));
  removeEmptyFolders(dist);
  // Without a .tsbuildinfo, tsc -b builds the whole project anyway.
  if (!existsSync(join(dist, BUILD_INFO))) return { stale, missing: [] };
  const present = new Set(outputs);
  const missing = [...sources].filter((s) => OUTPUTS.some((ext) => !present.has(s.slice(0, -".ts".length) + ext)));
  if (missing.length > 0) rmSync(join(dist, BUILD_INFO));
  return { stale, missing };
}

function removeEmptyFolders(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = join(dir, entry.name);
    removeEmptyFolders(sub);
    if (readdirSync(sub).length === 0) rmdirSync(sub);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv.includes("--clean")) clean();
  else {
    for (const dir of projects) {
      const { stale, missing } = checkProject(dir);
      if (stale.length > 0) console.log(`build: deleted ${stale.length} stale output(s) in ${dir}/dist: ${stale.join(", ")}`);
      if (missing.length > 0) console.log(`build: ${dir}/dist lacks the outputs of ${missing.join(", ")}: rebuilding ${dir}`);
    }
  }
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const { status } = spawnSync(process.execPath, [tsc, "-b", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  process.exit(status ?? 1);
}
