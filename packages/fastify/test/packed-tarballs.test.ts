// SLOW (about 30-60 s): builds both packages, `npm pack`s them, installs the tarballs into an empty
// project with fastify, and proves there that ESM imports run and that the types resolve, from
// dist/ only (the "@depends/source" condition of the workspace plays no part).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");

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

t.test("SLOW: the packed tarballs install into an empty project and work there (ESM and types)", async (t) => {
  t.setTimeout(240_000);
  const work = await mkdtemp(join(tmpdir(), "depends-pack-"));
  t.teardown(() => rm(work, { recursive: true, force: true }));

  await sh(process.execPath, [tsc, "-b", "packages/core", "packages/fastify"], root);
  for (const pkg of ["core", "fastify"]) await sh("npm", ["pack", "--silent", "--pack-destination", work], join(root, "packages", pkg));
  const tarballs = (await readdir(work)).filter((f) => f.endsWith(".tgz")).sort();
  t.strictSame(tarballs, ["depends-core-0.1.0.tgz", "depends-fastify-0.1.0.tgz"]);

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
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: ["node"], skipLibCheck: true }, files: ["check.ts"] }),
  );
  await sh(process.execPath, [tsc, "-p", "."], project);
  t.pass("types resolve from the installed dist/ declarations");
});
