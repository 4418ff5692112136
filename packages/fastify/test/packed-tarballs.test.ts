// SLOW (about 30-90 s): `npm run pack`'s script (incrementally built: other tests run from dist/
// beside this one) packs both packages; the tarballs pass publint and attw (are-the-types-wrong,
// ESM-only: node16 from ESM and bundler resolution of every export, offline); installed into an
// empty project with fastify, they prove there that ESM imports run, that the types resolve from
// dist/ only (the "@depends/source" condition of the workspace plays no part), and that README's
// sample compiles and runs as it is written.
import { execFile, execFileSync } from "node:child_process";
import { readFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import t from "tap";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const require = createRequire(import.meta.url);
const attw = join(root, "node_modules/@arethetypeswrong/cli", (require("@arethetypeswrong/cli/package.json") as { bin: { attw: string } }).bin.attw);

/** Runs a command without network where the machine allows it (a fresh network namespace, as root). */
const offline: string[] = (() => {
  try {
    execFileSync("unshare", ["-n", "true"], { stdio: "ignore" });
    return ["unshare", "-n"];
  } catch {
    return [];
  }
})();

async function sh(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "" } });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`);
  }
}

const SMOKE = `
import Fastify from "fastify";
import Type from "typebox";
import { Depends, dependency, HTTPException, Security, SecurityScopes } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

const scheme = dependency(function bearer() { return "good"; });
const getUser = dependency({ scopes: SecurityScopes, token: Depends(scheme) }, ({ scopes, token }) => {
  if (token !== "good") throw new HTTPException(401, "Could not validate credentials");
  return { username: "johndoe", scopes: scopes.scopes, hashed_password: "x" };
});
const api = router({ prefix: "/users" });
api.get("/me/", { sources: { user: Security(getUser, { scopes: ["me"] }) }, response: { 200: Type.Object({ username: Type.String() }) } }, ({ user }) => user);
const app = Fastify();
await app.register(dependsPlugin);
await app.register(api.plugin());
const me = await app.inject("/users/me/");
const missing = await app.inject("/nowhere");
const doc = (await app.inject("/openapi.json")).json();
console.log(JSON.stringify({ me: [me.statusCode, me.json()], missing: [missing.statusCode, missing.json()], openapi: doc.openapi }));
await app.close();
`;

const CHECK = `
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import Type from "typebox";
import { Depends, type DependencyOverrides, dependency, Query, RawReply, RawRequest } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const proof = <T extends true>(): void => undefined;

const getCount = dependency({ n: Query(Type.Integer()) }, ({ n }) => n * 2);
const api = router({ prefix: "/x" });
api.get("/", { sources: { count: Depends(getCount), reply: RawReply, req: RawRequest }, response: { 200: Type.Object({ count: Type.Number() }) } }, ({ count, reply, req }) => {
  proof<Equal<typeof count, number>>();
  proof<Equal<typeof reply, FastifyReply>>();
  proof<Equal<typeof req, FastifyRequest>>();
  return { count };
});
// @ts-expect-error: the 200 schema wants a number
api.get("/bad", { sources: {}, response: { 200: Type.Object({ count: Type.Number() }) } }, () => ({ count: "many" }));
const app = Fastify();
await app.register(dependsPlugin, { openapi: { info: { title: "t", version: "1" } } });
await app.register(api.plugin());
proof<Equal<typeof app.dependencyOverrides, DependencyOverrides>>();
`;

/** README's ```ts block that follows its "readme-sample" marker, as it is written. */
async function readmeSample(): Promise<string> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const match = /<!-- readme-sample:[^>]*-->\s*```ts\n([\s\S]*?)\n```/.exec(readme);
  if (!match?.[1]) throw new Error("README.md has no ```ts block after a <!-- readme-sample: ... --> marker");
  return match[1];
}

// What README leaves to the reader ("your check"), then requests through the sample's app.
const README_HARNESS = `
async function verify(token: string, scopes: readonly string[]) {
  return token === "good" && scopes.includes("items") ? { username: "johndoe" } : null;
}
const anonymous = await app.inject("/users/me/items/");
const good = await app.inject({ url: "/users/me/items/", headers: { authorization: "Bearer good" } });
const bad = await app.inject({ url: "/users/me/items/", headers: { authorization: "Bearer bad" } });
const doc = (await app.inject("/openapi.json")).json();
const ui = await app.inject("/docs/");
console.log(JSON.stringify({
  anonymous: [anonymous.statusCode, anonymous.headers["www-authenticate"], anonymous.json()],
  good: [good.statusCode, good.json()],
  bad: [bad.statusCode, bad.headers["www-authenticate"], bad.json()],
  security: doc.paths["/users/me/items/"].get.security,
  ui: [ui.statusCode, String(ui.headers["content-type"]).split(";")[0]],
}));
await app.close();
`;

interface AttwProblem { kind: string; entrypoint?: string; resolutionKind?: string }
interface AttwResult {
  analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
  problems: Record<string, AttwProblem[]>;
}

t.test("SLOW: the packed tarballs install into an empty project and work there (ESM and types)", async (t) => {
  t.setTimeout(240_000);
  const work = await mkdtemp(join(tmpdir(), "depends-pack-"));
  t.teardown(() => rm(work, { recursive: true, force: true }));

  const packed = (await sh(process.execPath, [join(root, "scripts/pack.mjs"), "--incremental", "--out", work], root)).trim().split("\n").slice(-2);
  const tarballs = (await readdir(work)).filter((f) => f.endsWith(".tgz")).sort();
  t.strictSame(tarballs, ["depends-core-0.1.0.tgz", "depends-fastify-0.1.0.tgz"]);
  t.strictSame(packed, tarballs.map((f) => join(work, f)), "pack.mjs prints the tarballs' paths last");

  for (const [tarball, exports] of [
    ["depends-core-0.1.0.tgz", [".", "./adapter", "./security", "./jwt", "./package.json"]],
    ["depends-fastify-0.1.0.tgz", [".", "./tick-shape", "./package.json"]],
  ] as const) {
    const files = (await sh("tar", ["tzf", join(work, tarball)], work)).trim().split("\n").map((f) => f.replace(/^package\//, ""));
    t.ok(["package.json", "README.md", "LICENSE"].every((f) => files.includes(f)), `${tarball} holds package.json, README.md and LICENSE`);
    const orphans = files.filter((f) => f.startsWith("dist/") && !files.includes(f.replace(/^dist\//, "src/").replace(/(\.d)?\.(ts|js)(\.map)?$/, ".ts")));
    t.strictSame(orphans, [], `${tarball}: every dist/ file has its source (no stale output of a deleted one)`);

    const lint = await publint({ pack: { tarball: (await readFile(join(work, tarball))).buffer as ArrayBuffer }, level: "suggestion", strict: true });
    t.strictSame(lint.messages.map((m) => formatMessage(m, lint.pkg)), [], `publint finds nothing in ${tarball}`);

    const out = await sh(offline[0] ?? process.execPath, [...offline.slice(1), ...(offline.length ? [process.execPath] : []), attw, join(work, tarball), "--profile", "esm-only", "--no-definitely-typed", "--format", "json"], work);
    const result = JSON.parse(out) as AttwResult;
    const checked = ["node16-esm", "bundler"];
    const problems = Object.values(result.problems).flat().filter((p) => p.resolutionKind === undefined || checked.includes(p.resolutionKind));
    t.strictSame(problems, [], `attw (${offline.length ? "without network, " : ""}node16 from ESM and bundler) finds nothing in ${tarball}`);
    t.strictSame(Object.keys(result.analysis.entrypoints).sort(), [...exports].sort(), `attw checks every export of ${tarball}`);
    for (const [entry, { resolutions }] of Object.entries(result.analysis.entrypoints)) {
      for (const kind of checked) {
        const file = resolutions[kind]?.resolution?.fileName ?? "";
        t.ok(entry === "./package.json" ? file.endsWith("/package.json") : /\/dist\/.*\.d\.ts$/.test(file), `${tarball} ${entry} (${kind}) resolves to ${entry === "./package.json" ? "the manifest" : "declarations in dist/"}: ${file}`);
      }
    }
  }

  const project = join(work, "project");
  await sh("mkdir", ["-p", project], work);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const install = ["install", "--no-audit", "--no-fund", ...tarballs.map((f) => join(work, f)), "fastify@^5.12.8", "typebox@^1.4.3", "@types/node@^20.19.0"];
  try {
    await sh("npm", [...install, "--offline"], project);
  } catch {
    await sh("npm", [...install, "--prefer-offline"], project);
  }

  await writeFile(join(project, "smoke.mjs"), SMOKE);
  const out = JSON.parse((await sh(process.execPath, ["smoke.mjs"], project)).trim()) as unknown;
  t.strictSame(out, { me: [200, { username: "johndoe" }], missing: [404, { detail: "Not Found" }], openapi: "3.1.0" });

  await writeFile(join(project, "check.ts"), CHECK);
  await writeFile(join(project, "readme.ts"), `${await readmeSample()}\n${README_HARNESS}`);
  // getting-started.md's tsconfig.json, with both files.
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", skipLibCheck: true, types: ["node"] }, files: ["check.ts", "readme.ts"] }),
  );
  await sh(process.execPath, [tsc, "-p", "."], project);
  t.pass("types resolve from the installed dist/ declarations, and README's sample compiles");

  const readme = JSON.parse((await sh(process.execPath, ["dist/readme.js"], project)).trim()) as unknown;
  t.strictSame(readme, {
    anonymous: [401, "Bearer", { detail: "Not authenticated" }],
    good: [200, [{ item_id: "Foo", owner: "johndoe" }]],
    bad: [401, "Bearer", { detail: "Could not validate credentials" }],
    security: [{ OAuth2PasswordBearer: ["items"] }],
    ui: [200, "text/html"],
  }, "README's sample runs: the route, its 401s, its OpenAPI security, Swagger UI at /docs");
});
