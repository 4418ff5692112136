// `npm run pack`: builds from nothing (`build:clean`) and `npm pack`s every published package
// (packages/*) into dist-packages/ (git-ignored), the tarballs one installs before a release:
//   npm install ./dist-packages/depends-core-0.1.0.tgz ./dist-packages/depends-fastify-0.1.0.tgz
// Options: --out DIR (another folder); --incremental (the incremental `npm run build` instead of a
// clean one: packages/fastify/test/packed-tarballs.test.ts uses it, since other tests run from dist/
// beside it). Prints the tarballs' paths, one a line, last.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { projects, root } from "./projects.mjs";

const args = process.argv.slice(2);
const outArg = args.indexOf("--out");
const out = resolve(outArg >= 0 && args[outArg + 1] ? args[outArg + 1] : join(root, "dist-packages"));
const build = join(root, "scripts/build.mjs");
execFileSync(process.execPath, args.includes("--incremental") ? [build] : [build, "--clean"], { stdio: "inherit" });

mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f.endsWith(".tgz")) rmSync(join(out, f));
const tarballs = [];
for (const dir of projects.filter((p) => p.startsWith("packages/"))) {
  const json = execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: join(root, dir), encoding: "utf8" });
  const [{ filename }] = JSON.parse(json);
  tarballs.push(join(out, filename));
}
console.log(tarballs.join("\n"));
