// Swagger UI is @fastify/swagger-ui's public plugin, registered in dependsPlugin's context: it
// answers as mounted on the app, and its misses and errors are the app's.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import Fastify from "fastify";
import { dependsPlugin, router } from "@depends/fastify";

const run = promisify(execFile);

async function app(options: Parameters<typeof dependsPlugin>[1] = {}) {
  const fastify = Fastify();
  await fastify.register(dependsPlugin, options);
  const api = router();
  api.get("/ping", () => "pong");
  await fastify.register(api.plugin());
  await fastify.ready();
  return fastify;
}

/** Whether booting dependsPlugin with `options` loads a module whose path contains `needle` (in a child process). */
async function loadedAtReady(options: object, needle: string): Promise<boolean> {
  const fixture = fileURLToPath(new URL("./fixtures/loaded-at-ready.mts", import.meta.url));
  const { stdout } = await run(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", fixture, JSON.stringify(options), needle]);
  return (JSON.parse(stdout) as { atReady: boolean }).atReady;
}

t.test("the UI is @fastify/swagger-ui's public plugin, and docs: false never loads the package", async (t) => {
  const fastify = await app();
  t.teardown(() => fastify.close());
  t.ok(fastify.printPlugins().includes("@fastify/swagger-ui"), "registered under its own name");
  t.equal(await loadedAtReady({}, "/@fastify/swagger-ui/"), true, "loaded by the default options");
  t.equal(await loadedAtReady({ docs: false }, "/@fastify/swagger-ui/"), false, "not loaded with docs: false");
});

t.test("the docs answer as @fastify/swagger-ui mounted on the app would", async (t) => {
  const fastify = await app();
  t.teardown(() => fastify.close());
  t.match((await fastify.inject("/docs")).headers["content-type"], /text\/html/);
  const moved = await fastify.inject("/docs/static/index.html");
  t.equal(moved.statusCode, 302);
  t.equal(moved.headers.location, "/docs/");
  t.equal(moved.headers["content-type"], undefined, "no body, no content type");
  const bundle = await fastify.inject("/docs/static/swagger-ui-bundle.js");
  t.equal(bundle.statusCode, 200);
  t.match(bundle.headers["content-type"], /javascript/);
  const cached = await fastify.inject({ url: "/docs/static/swagger-ui-bundle.js", headers: { "if-none-match": String(bundle.headers.etag) } });
  t.equal(cached.statusCode, 304);
  t.equal(cached.rawPayload.length, 0);
  const head = await fastify.inject({ method: "HEAD", url: "/docs/static/swagger-ui-bundle.js" });
  t.equal(head.headers["content-length"], String(bundle.rawPayload.length), "HEAD gives the length GET sends");
  t.equal(head.rawPayload.length, 0);
  t.match((await fastify.inject("/docs/yaml")).body, /openapi: 3\.1\.0/);
  t.same((await fastify.inject("/docs/json")).json().paths["/ping"].get.operationId, "ping_get");
});

t.test("what the docs do not serve is the app's 404, their errors its errors, and other methods its 405", async (t) => {
  const fastify = await app();
  t.teardown(() => fastify.close());
  for (const url of ["/docs/static/missing.js", "/docs/nothing"]) {
    const missing = await fastify.inject(url);
    t.equal(missing.statusCode, 404, url);
    t.strictSame(missing.json(), { detail: "Not Found" });
  }
  const refused = await fastify.inject(`/docs/static/${"a".repeat(300)}`);
  t.equal(refused.statusCode, 403, "@fastify/static refuses the name");
  t.strictSame(refused.json(), { detail: "Forbidden" }, "in the app's error shape");
  const post = await fastify.inject({ method: "POST", url: "/docs/json" });
  t.equal(post.statusCode, 405);
  t.equal(post.headers.allow, "GET, HEAD");
});

t.test("a docs path under a prefix, and closing with and without a request to the UI", async (t) => {
  const outer = Fastify();
  await outer.register(async (scoped) => {
    await scoped.register(dependsPlugin, { docs: "/ui" });
  }, { prefix: "/api" });
  await outer.ready();
  t.match((await outer.inject("/api/ui/")).headers["content-type"], /text\/html/);
  t.match((await outer.inject("/api/ui/static/swagger-initializer.js")).body, /"persistAuthorization":true/);
  await outer.close();
  const unused = await app();
  await unused.close();
  t.pass("both closed");
});

t.test("the application's hooks, added after dependsPlugin, apply to the docs as to its routes", async (t) => {
  const fastify = Fastify();
  await fastify.register(dependsPlugin);
  fastify.addHook("onRequest", async (request, reply) => {
    if (request.headers.authorization !== "Basic ok") return reply.code(401).send({ detail: "Not authenticated" });
  });
  await fastify.ready();
  t.teardown(() => fastify.close());
  for (const url of ["/docs", "/docs/", "/docs/static/swagger-ui-bundle.js", "/docs/json", "/openapi.json"]) {
    t.equal((await fastify.inject(url)).statusCode, 401, `${url} without credentials`);
  }
  t.equal((await fastify.inject({ url: "/docs/", headers: { authorization: "Basic ok" } })).statusCode, 200, "with them");
});
