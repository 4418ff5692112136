// Swagger UI is loaded on its first request (not at every boot), and answers as if it were mounted.
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

t.test("@fastify/swagger-ui is not loaded at boot, only by the first request to the docs", async (t) => {
  const fixture = fileURLToPath(new URL("./fixtures/docs-imports.mts", import.meta.url));
  const { stdout } = await run(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", fixture]);
  t.strictSame(JSON.parse(stdout), { atReady: false, afterRequest: true, status: 200 });
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

t.test("a docs path under a prefix, and closing before and after the UI was loaded", async (t) => {
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
