// Issue 20, item 13, through fastify: `xToken` reads, validates and documents the header `x-token`.
import t from "tap";
import { Type } from "typebox";
import { Header } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";

t.test("regression: a camelCase header key reads x-token through fastify, and OpenAPI names x-token", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin);
  const api = router();
  api.get("/items/", { xToken: Header(Type.String()) }, ({ xToken }) => ({ xToken }));
  await app.register(api.plugin());
  t.teardown(() => app.close());
  t.same((await app.inject({ url: "/items/", headers: { "x-token": "secret" } })).json(), { xToken: "secret" });
  const missing = await app.inject({ url: "/items/", headers: { xtoken: "secret" } });
  t.equal(missing.statusCode, 422);
  t.match(missing.json(), { detail: [{ type: "missing", loc: ["header", "x-token"] }] });
  const doc = (await app.inject("/openapi.json")).json() as { paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> };
  t.match(doc.paths["/items/"]?.get.parameters, [{ name: "x-token", in: "header", required: true }]);
});
