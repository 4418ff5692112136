// Regression (issue 20, item 18): a 422 listed only the first error of the first failing location
// (fastify's Ajv stops there) unless the app set `ajv.customOptions.allErrors`. FastAPI lists
// every problem, location by location (path, query, header, cookie, body), each location's fields
// in declaration order. The plugin's routes now do by default; the app's other routes keep fastify's.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Body, Cookie, Header, Path, Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

const Item = Type.Object({ name: Type.String(), price: Type.Number(), tags: Type.Array(Type.String()) });

async function app(options: { allErrors?: boolean; ajv?: object } = {}) {
  const server = Fastify({ ...(options.ajv ? { ajv: options.ajv } : {}) });
  await server.register(dependsPlugin, { openapi: false, ...(options.allErrors === undefined ? {} : { allErrors: options.allErrors }) });
  const api = router();
  api.post(
    "/items/{itemId}",
    {
      itemId: Path(Type.Integer()),
      q: Query(Type.String()),
      limit: Query(Type.Integer({ maximum: 100 }), { default: 10 }),
      x_token: Header(Type.String()),
      session: Cookie(Type.String({ minLength: 3 })),
      item: Body(Item),
    },
    (values) => values,
  );
  api.get("/multi", { q: Query(Type.Array(Type.Integer())) }, ({ q }) => q);
  api.get("/search", { q: Query(Type.String({ minLength: 2 })), page: Query(Type.Integer({ minimum: 1 })) }, (values) => values);
  await server.register(api.plugin());
  server.get("/plain", { schema: { querystring: { type: "object", properties: { a: { type: "integer" }, b: { type: "integer" } }, required: ["a", "b"] } } }, async () => "plain");
  await server.ready();
  return server;
}

const EVERY_PROBLEM = { method: "POST" as const, url: "/items/abc?limit=500", headers: { cookie: "session=a" }, payload: { tags: { a: 1 }, price: "cheap" } };

t.test("regression: one 422 lists every problem, in FastAPI's location and field order", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const res = await server.inject(EVERY_PROBLEM);
  t.equal(res.statusCode, 422);
  const detail = res.json().detail as { type: string; loc: (string | number)[] }[];
  t.strictSame(
    detail.map((item) => [item.type, ...item.loc]),
    [
      ["int_parsing", "path", "itemId"],
      ["missing", "query", "q"],
      ["less_than_equal", "query", "limit"],
      ["missing", "header", "x-token"],
      ["string_too_short", "cookie", "session"],
      ["missing", "body", "name"],
      ["float_parsing", "body", "price"],
      ["list_type", "body", "tags"],
    ],
  );
  const search = await server.inject("/search?q=a&page=0");
  t.strictSame(search.json().detail.map((item: { loc: unknown[] }) => item.loc), [["query", "q"], ["query", "page"]], "two problems in one location");
  // FastAPI's tests/test_multi_query_errors.py: each bad item of a list, in order.
  const multi = await server.inject("/multi?q=five&q=six");
  t.strictSame(
    multi.json().detail.map((item: { type: string; loc: unknown[]; input: unknown }) => [item.type, item.loc, item.input]),
    [["int_parsing", ["query", "q", 0], "five"], ["int_parsing", ["query", "q", 1], "six"]],
    "FastAPI's multi-query errors",
  );
  const ok = await server.inject({ method: "POST", url: "/items/3?q=a", headers: { cookie: "session=abc", "x-token": "t" }, payload: { name: "n", price: 1, tags: [] } });
  t.equal(ok.statusCode, 200, "a valid request still passes, coerced");
  t.same(ok.json(), { itemId: 3, q: "a", limit: 10, x_token: "t", session: "abc", item: { name: "n", price: 1, tags: [] } });
});

t.test("the app's other fastify routes keep fastify's validator (first error, fastify's 400 mapped)", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const res = await server.inject("/plain");
  t.equal(res.statusCode, 422);
  t.equal(res.json().detail.length, 1, "plain fastify route: fastify's Ajv, first error only");
});

t.test("a 422 lists at most 100 problems: a huge invalid body cannot become a huge answer", async (t) => {
  const server = Fastify();
  await server.register(dependsPlugin, { openapi: false });
  const api = router();
  api.post("/list", { items: Body(Type.Array(Type.String())) }, ({ items }) => items.length);
  await server.register(api.plugin());
  t.teardown(() => server.close());
  const res = await server.inject({ method: "POST", url: "/list", headers: { "content-type": "application/json" }, payload: `[${Array(50_000).fill("{}").join(",")}]` });
  t.equal(res.statusCode, 422, res.body.slice(0, 200));
  t.equal(res.json().detail.length, 100);
  t.strictSame(res.json().detail[0].loc, ["body", 0]);
});
