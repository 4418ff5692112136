// Type-check cost of typed scopes: generates an app of N routes (each with its own dependency tree
// reaching an OAuth2 scheme with declared scopes, typed handler values, response schemas) and the
// same number of plain fastify routes, then times `tsc --noEmit` on each (alternating, medians).
// The target (issue 17): tsc's check time per typed route, 200 routes minus 1, at most 5 ms.
// It type-checks against the built declarations (dist/*.d.ts), as an application does: run
// `npm run build` first (npm run bench does).
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median, printTable } from "./lib/measure.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = fileURLToPath(new URL("./.generated/", import.meta.url));
const tsc = `${root}node_modules/typescript/bin/tsc`;

function dependsApp(n) {
  const lines = [
    'import Type from "typebox";',
    'import { Depends, dependency, Path, Query, Security, SecurityScopes } from "@depends/core";',
    'import { OAuth2PasswordBearer } from "@depends/core/security";',
    'import { router } from "@depends/fastify";',
    'const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read.", write: "Write.", admin: "Admin." } });',
    "export const api = router();",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `const user${i} = dependency({ s: SecurityScopes, token: Depends(scheme) }, ({ s, token }) => ({ id: ${i}, name: token, scopes: s.scopes }));`,
      `const active${i} = dependency({ u: Security(user${i}, { scopes: ["read"] }) }, ({ u }) => u);`,
      `const page${i} = dependency({ limit: Query(Type.Integer(), { default: 10 }) }, ({ limit }) => limit);`,
      `api.get("/r${i}/:id", { sources: { u: Security(active${i}, { scopes: ["write"] }), limit: Depends(page${i}), id: Path(Type.Integer()) }, response: { 200: Type.Object({ id: Type.Integer(), name: Type.String() }) } }, ({ u, limit, id }) => ({ id: u.id + limit + id, name: u.name }));`,
    );
  }
  return lines.join("\n");
}

function fastifyApp(n) {
  const lines = ['import Fastify from "fastify";', "export const app = Fastify();"];
  for (let i = 0; i < n; i++) {
    lines.push(
      `app.get<{ Params: { id: number }; Querystring: { limit?: number } }>("/r${i}/:id", async (request) => ({ id: request.params.id + (request.query.limit ?? 10), name: String(request.headers.authorization) }));`,
    );
  }
  return lines.join("\n");
}

function project(name, source) {
  const dir = `${out}${name}/`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}app.ts`, source);
  writeFileSync(
    `${dir}tsconfig.json`,
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, incremental: false, skipLibCheck: true },
      files: ["app.ts"],
    }),
  );
  return dir;
}

/**
 * One `tsc --noEmit --extendedDiagnostics` run: its wall time, and what tsc reports of itself
 * (check time, instantiations). Check time leaves out parsing and binding the same 600-odd
 * declaration files in every project, which on a busy machine is most of the noise.
 */
function timeTsc(dir) {
  const start = process.hrtime.bigint();
  const output = execFileSync(process.execPath, [tsc, "-p", `${dir}tsconfig.json`, "--extendedDiagnostics"], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const figure = (name) => Number(output.match(new RegExp(`^${name}:\\s+([\\d.]+)`, "m"))?.[1]);
  return { wall, check: figure("Check time"), instantiations: figure("Instantiations") };
}

export function runTypecheckBench({ routes = 200, rounds = 3 } = {}) {
  rmSync(out, { recursive: true, force: true });
  const projects = {
    depends: project("depends", dependsApp(routes)),
    // One typed route: the baseline of the per-route cost. The first use of typebox's and the
    // library's types in a program costs about a second once (resolving their declarations), which
    // a project without any route never pays and which is not a cost per route.
    one: project("one", dependsApp(1)),
    empty: project("empty", "export {};\n" + dependsApp(0)),
    plain: project("fastify", fastifyApp(routes)),
  };
  const samples = Object.fromEntries(Object.keys(projects).map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(projects);
    for (const name of r % 2 === 0 ? names : names.reverse()) samples[name].push(timeTsc(projects[name]));
  }
  const med = (name, key) => median(samples[name].map((sample) => sample[key]));
  const perRouteMs = ((med("depends", "check") - med("one", "check")) / (routes - 1)) * 1000;
  const perRouteWallMs = ((med("depends", "wall") - med("empty", "wall")) / routes) * 1000;
  const perRouteInstantiations = (med("depends", "instantiations") - med("one", "instantiations")) / (routes - 1);
  const rows = [
    { case: `${routes} typed routes (tsc --noEmit)`, measured: `${med("depends", "wall").toFixed(2)} s`, baseline: `${med("empty", "wall").toFixed(2)} s with 0 routes`, ratio: med("depends", "wall") / med("empty", "wall") },
    { case: `${routes} plain fastify routes`, measured: `${med("plain", "wall").toFixed(2)} s`, baseline: "-", ratio: med("plain", "wall") / med("empty", "wall") },
    // Issue 17's target: at most 5 ms of type-checking per typed route; shown as the cost against that budget.
    { case: "check time per typed route vs the 5 ms budget", measured: `${perRouteMs.toFixed(1)} ms`, baseline: "5.0 ms budget", ratio: perRouteMs / 5, target: "<= 1.00x", ok: perRouteMs <= 5 },
    { case: "  (whole tsc run per typed route, 200 minus 0 routes)", measured: `${perRouteWallMs.toFixed(1)} ms`, baseline: "-" },
    { case: "  (type instantiations per typed route)", measured: perRouteInstantiations.toFixed(0), baseline: "-" },
  ];
  printTable(`Type-check time: ${routes} routes with typed scopes vs plain fastify routes (median of ${rounds})`, rows);
  console.log(`Per typed route: ${perRouteMs.toFixed(1)} ms of check time (${routes} routes minus 1, tsc's own figure); ${perRouteWallMs.toFixed(1)} ms of the whole run (${routes} minus 0 routes); ${perRouteInstantiations.toFixed(0)} instantiations.`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) runTypecheckBench({ routes: Number(process.argv[2] ?? 200) });
