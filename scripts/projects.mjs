// The projects `tsc -b tsconfig.build.json` builds, in its order, read from that file's references,
// and where each keeps its sources and outputs (every project has rootDir src, outDir dist).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../", import.meta.url));
const build = JSON.parse(readFileSync(new URL("../tsconfig.build.json", import.meta.url), "utf8"));
/** @type {string[]} project folders relative to the repository root, e.g. "packages/core" */
export const projects = build.references.map((/** @type {{ path: string }} */ ref) => ref.path.replace(/^\.\//, ""));
