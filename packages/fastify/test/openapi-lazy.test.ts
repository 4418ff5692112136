// The OpenAPI document is built, and what builds it loaded, on its first request: @fastify/swagger
// loads `yaml` when registered, which slows every request of the process (docs/performance.md).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import Fastify, { type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import Type from "typebox";
import { registerLazySwagger } from "../src/lazy-swagger.js";

const run = promisify(execFile);

t.test("yaml is not loaded at boot, only when the document is first built", async (t) => {
  const fixture = fileURLToPath(new URL("./fixtures/swagger-imports.mts", import.meta.url));
  const { stdout } = await run(process.execPath, ["--conditions=@depends/source", "--import", "@tapjs/typescript/import", fixture]);
  t.strictSame(JSON.parse(stdout), { atReady: false, afterRequest: true, status: 200, yaml: true });
});

async function routesOn(app: FastifyInstance): Promise<void> {
  app.addSchema({ $id: "Item", type: "object", properties: { id: Type.Integer() }, required: ["id"] });
  app.get("/items/:id", { schema: { params: Type.Object({ id: Type.Integer() }), response: { 200: { $ref: "Item#" } }, tags: ["items"], summary: "One item" } }, () => ({ id: 1 }));
  app.post("/items", { schema: { body: Type.Object({ name: Type.String() }), querystring: Type.Object({ dry: Type.Optional(Type.Boolean()) }), security: [{ key: [] }] } }, () => ({ id: 2 }));
  app.get("/hidden", { schema: { hide: true } }, () => "no");
  app.get("/plain", () => "yes");
  await app.register(async (child) => {
    child.addSchema({ $id: "Token", type: "string", minLength: 8 });
    child.get("/nested", { schema: { headers: Type.Object({ "x-token": Type.String() }), response: { 200: { $ref: "Token#" } } } }, () => "nnnnnnnn");
  }, { prefix: "/v1" });
}

t.test("the document is the one @fastify/swagger builds when registered itself", async (t) => {
  const options = {
    openapi: { openapi: "3.1.0", info: { title: "Same", version: "1.0.0" }, components: { securitySchemes: { key: { type: "apiKey", name: "k", in: "header" } } } },
    transformObject: ({ openapiObject }: { openapiObject?: Record<string, unknown> }) => ({ ...openapiObject, "x-final": true }),
  } as never;
  const ours = Fastify();
  await registerLazySwagger(ours, options);
  await routesOn(ours);
  const theirs = Fastify();
  await theirs.register(swagger, options);
  await routesOn(theirs);
  await Promise.all([ours.ready(), theirs.ready()]);
  t.teardown(() => Promise.all([ours.close(), theirs.close()]));
  t.strictSame(ours.swagger(), theirs.swagger());
  t.equal(ours.swagger({ yaml: true }), theirs.swagger({ yaml: true }));
  t.match(ours.swagger(), { "x-final": true, paths: { "/items/{id}": { get: { summary: "One item" } }, "/v1/nested": {} } });
  t.ok(ours.hasPlugin("@fastify/swagger"), "registered under @fastify/swagger's name, for plugins that depend on it");
  t.ok(JSON.stringify(ours.swagger()).includes("minLength"), "a schema shared in an encapsulated instance is resolved");
});

t.test("the document cannot be asked for before ready, as with @fastify/swagger", async (t) => {
  const app = Fastify();
  await registerLazySwagger(app, { openapi: { info: { title: "x", version: "1" } } } as never);
  t.throws(() => app.swagger(), { message: ".swagger() must be called after .ready()" });
  await app.ready();
  t.match(app.swagger(), { info: { title: "x" } });
  await app.close();
});
