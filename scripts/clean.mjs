// Empties every project's dist/ (outputs and dist/.tsbuildinfo): `npm run build:clean` then builds
// from nothing, as CI and releases (`npm run pack`) do.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projects, root } from "./projects.mjs";

export function clean() {
  for (const dir of projects) rmSync(join(root, dir, "dist"), { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) clean();
