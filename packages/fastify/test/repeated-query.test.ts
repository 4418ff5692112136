// Issue 20, item 14: a repeated scalar query parameter (`?q=a&q=b`) was a 422; FastAPI takes the
// last value (as this library's APIKeyQuery and Form already did). Lists stay lists.
import t from "tap";
import { Type } from "typebox";
import { Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";

async function app() {
  const fastify = Fastify();
  await fastify.register(dependsPlugin);
  const api = router();
  api.get("/items/", { q: Query(Type.String()), limit: Query(Type.Integer({ maximum: 100 }), { default: 10 }) }, ({ q, limit }) => ({ q, limit }));
  api.get("/tags/", { tag: Query(Type.Array(Type.String()), { default: [] }) }, ({ tag }) => ({ tag }));
  await fastify.register(api.plugin());
  return fastify;
}

t.test("regression: a repeated scalar query parameter takes the last value, as FastAPI", async (t) => {
  const fastify = await app();
  t.teardown(() => fastify.close());
  const repeated = await fastify.inject("/items/?q=a&q=b");
  t.equal(repeated.statusCode, 200);
  t.same(repeated.json(), { q: "b", limit: 10 });
  t.same((await fastify.inject("/items/?q=a&limit=5&limit=7")).json(), { q: "a", limit: 7 }, "coerced after folding");
  t.same((await fastify.inject("/items/?q=only")).json(), { q: "only", limit: 10 });
});

t.test("the last value is the one validated", async (t) => {
  const fastify = await app();
  t.teardown(() => fastify.close());
  const invalid = await fastify.inject("/items/?q=a&limit=5&limit=500");
  t.equal(invalid.statusCode, 422);
  t.match(invalid.json(), { detail: [{ loc: ["query", "limit"], input: 500 }] });
  t.equal((await fastify.inject("/items/?q=a&limit=500&limit=5")).statusCode, 200);
});

t.test("list-typed query parameters keep every value", async (t) => {
  const fastify = await app();
  t.teardown(() => fastify.close());
  t.same((await fastify.inject("/tags/?tag=a&tag=b")).json(), { tag: ["a", "b"] });
  t.same((await fastify.inject("/tags/?tag=a")).json(), { tag: ["a"] });
  const doc = (await fastify.inject("/openapi.json")).json() as { paths: Record<string, { get: { parameters: { name: string; schema: unknown }[] } }> };
  t.match(doc.paths["/items/"]?.get.parameters, [{ name: "q", schema: { type: "string" } }, { name: "limit", schema: { type: "integer" } }], "OpenAPI still documents scalars");
  t.match(doc.paths["/tags/"]?.get.parameters, [{ name: "tag", schema: { type: "array" } }]);
});
