// Type-check cost of typed scopes: generates an app of N routes (each with its own dependency tree
// reaching an OAuth2 scheme with declared scopes, typed handler values, response schemas) and the
// same number of plain fastify routes, then times `tsc --noEmit` on each (alternating, medians).
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

function timeTsc(dir) {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, [tsc, "-p", `${dir}tsconfig.json`], { stdio: "inherit" });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function runTypecheckBench({ routes = 200, rounds = 3 } = {}) {
  rmSync(out, { recursive: true, force: true });
  const depends = project("depends", dependsApp(routes));
  const empty = project("empty", "export {};\n" + dependsApp(0));
  const plain = project("fastify", fastifyApp(routes));
  const samples = { depends: [], empty: [], plain: [] };
  for (let r = 0; r < rounds; r++) {
    samples.depends.push(timeTsc(depends));
    samples.empty.push(timeTsc(empty));
    samples.plain.push(timeTsc(plain));
  }
  const d = median(samples.depends), e = median(samples.empty), p = median(samples.plain);
  // Issue 17's target: at most 5 ms of type-checking per typed route (the 200 routes minus the
  // same project without them, divided by 200). A ratio row: the cost against the 5 ms budget.
  const perRouteMs = ((d - e) / routes) * 1000;
  const rows = [
    { case: `${routes} typed routes (tsc --noEmit)`, measured: `${d.toFixed(2)} s`, baseline: `${e.toFixed(2)} s with 0 routes`, ratio: d / e },
    { case: `${routes} plain fastify routes`, measured: `${p.toFixed(2)} s`, baseline: "-", ratio: p / e },
    { case: "per typed route vs the 5 ms budget", measured: `${perRouteMs.toFixed(1)} ms`, baseline: "5.0 ms budget", ratio: perRouteMs / 5, target: "<= 1.00x", ok: perRouteMs <= 5 },
  ];
  printTable(`Type-check time: ${routes} routes with typed scopes vs plain fastify routes (median of ${rounds})`, rows);
  console.log(`Per typed route: ${perRouteMs.toFixed(1)} ms of type-checking.`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) runTypecheckBench({ routes: Number(process.argv[2] ?? 200) });
