// The OpenAPI document is built by @fastify/swagger's public plugin, and the adapter reaches
// @fastify/swagger and @fastify/swagger-ui only through their entry points: no private file a
// minor release could move (issue 13).
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import Fastify from "fastify";
import { dependsPlugin, router } from "@depends/fastify";

const run = promisify(execFile);
const sources = fileURLToPath(new URL("../src/", import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)])));
  return nested.flat().filter((file) => file.endsWith(".ts"));
}

t.test("the adapter's sources use only the entry points of @fastify/swagger and @fastify/swagger-ui", async (t) => {
  const files = await sourceFiles(sources);
  t.ok(files.length > 10, `read ${files.length} source files`);
  const specifiers: string[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    // Static imports, dynamic imports and requires alike.
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|require(?:\.resolve)?\s*\(\s*)["'](@fastify\/swagger[^"']*)["']/g)) specifiers.push(match[1] ?? "");
    t.notMatch(text, /createRequire/, `${file.slice(sources.length)}: no require of package files`);
  }
  t.ok(specifiers.includes("@fastify/swagger") && specifiers.includes("@fastify/swagger-ui"), `both packages are imported: ${specifiers.join(", ")}`);
  t.same(specifiers.filter((specifier) => specifier !== "@fastify/swagger" && specifier !== "@fastify/swagger-ui"), [], "no subpath of either package");
});

t.test("the document is @fastify/swagger's, served at /openapi.json and as YAML by its own option", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { docs: false, openapi: { info: { title: "Same", version: "1.0.0" } } });
  const api = router();
  api.get("/ping", () => "pong");
  await app.register(api.plugin());
  await app.ready();
  t.teardown(() => app.close());
  t.ok(app.hasPlugin("@fastify/swagger"), "registered under @fastify/swagger's name, for plugins that depend on it");
  t.strictSame((await app.inject("/openapi.json")).json(), app.swagger(), "/openapi.json serves app.swagger()");
  t.match(app.swagger({ yaml: true }) as unknown as string, /^openapi: 3\.1\.0\n/, "and YAML through the plugin's own option");
  t.match(app.swagger(), { info: { title: "Same" }, paths: { "/ping": { get: { operationId: "ping_get" } } } });
});

t.test("the document cannot be asked for before ready, as with @fastify/swagger", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { docs: false });
  t.throws(() => app.swagger(), { message: ".swagger() must be called after .ready()" });
  await app.ready();
  t.match(app.swagger(), { info: { title: "API" } });
  await app.close();
});

t.test("openapi: false loads neither @fastify/swagger's document builder nor yaml", async (t) => {
  const fixture = fileURLToPath(new URL("./fixtures/loaded-at-ready.mts", import.meta.url));
  const probe = async (options: object) => JSON.parse((await run(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", fixture, JSON.stringify(options), "/node_modules/yaml/"])).stdout) as { atReady: boolean };
  t.strictSame(await probe({ openapi: false }), { atReady: false });
  t.strictSame(await probe({ docs: false }), { atReady: true }, "the control: the public plugin loads it when registered");
});
