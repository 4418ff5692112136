// Every error answered in FastAPI's shape, and logged through fastify's logger.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Body, Cookie, Depends, dependency, Header, HTTPException, Path, Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

type Log = { level: number; msg: string; err?: { type: string; message: string; stack: string } };

async function errorApp(options: { bodyLimit?: number } = {}) {
  const logs: Log[] = [];
  const app = Fastify({ bodyLimit: options.bodyLimit ?? 1024 * 1024, logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line) as Log) } } });
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/teapot", () => {
    throw new HTTPException(418, "I'm a teapot", { "x-brew": "earl grey" });
  });
  api.get("/reason", () => {
    throw new HTTPException(404);
  });
  api.get("/structured", () => {
    throw new HTTPException(409, { code: "taken", fields: ["name"] });
  });
  api.get("/no-content", () => {
    throw new HTTPException(204, "ignored", { "x-why": "bodyless" });
  });
  api.get("/items/{itemId}", { itemId: Path(Type.Integer()) }, ({ itemId }) => ({ itemId }));
  api.get("/search", { q: Query(Type.String()), limit: Query(Type.Integer({ maximum: 100 }), { default: 10 }) }, ({ q, limit }) => ({ q, limit }));
  api.get("/header", { x_token: Header(Type.String()) }, ({ x_token }) => ({ x_token }));
  api.get("/cookie", { session: Cookie(Type.String({ minLength: 3 })) }, ({ session }) => ({ session }));
  const Item = Type.Object({ name: Type.String(), price: Type.Number() });
  api.post("/items/", { item: Body(Item) }, ({ item }) => item);
  api.post("/embedded", { item: Body(Item), note: Body(Type.String()) }, ({ item, note }) => ({ item, note }));
  api.post("/optional", { item: Body(Item, { required: false }) }, ({ item }) => ({ got: item ?? "nothing" }));
  api.get("/boom", () => {
    throw new Error("database password is hunter2");
  });
  api.get("/gone", () => {
    throw Object.assign(new Error("Gone fishing"), { statusCode: 410 });
  });
  const failing = dependency(async () => {
    throw new TypeError("a dependency broke");
  });
  api.get("/dependency-boom", { value: Depends(failing) }, ({ value }) => value);
  await app.register(api.plugin());
  await app.ready();
  return { app, logs };
}

t.test("HTTPException: its status, {detail} and headers", async (t) => {
  const { app, logs } = await errorApp();
  t.teardown(() => app.close());
  const teapot = await app.inject("/teapot");
  t.equal(teapot.statusCode, 418);
  t.strictSame(teapot.json(), { detail: "I'm a teapot" });
  t.equal(teapot.headers["x-brew"], "earl grey");
  t.match(teapot.headers["content-type"], /^application\/json/);
  t.strictSame((await app.inject("/reason")).json(), { detail: "Not Found" }, "no detail: the reason phrase, as Starlette");
  t.strictSame((await app.inject("/structured")).json(), { detail: { code: "taken", fields: ["name"] } });
  const noContent = await app.inject("/no-content");
  t.equal(noContent.statusCode, 204);
  t.equal(noContent.body, "");
  t.equal(noContent.headers["x-why"], "bodyless");
  t.ok(logs.some((l) => l.level === 30 && l.msg === "I'm a teapot"), "client errors are logged at info");
});

t.test("validation errors: 422 with FastAPI items, loc starting with the location", async (t) => {
  const { app } = await errorApp();
  t.teardown(() => app.close());
  const path = await app.inject("/items/abc");
  t.equal(path.statusCode, 422);
  t.strictSame(path.json(), {
    detail: [{ type: "int_parsing", loc: ["path", "itemId"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" }],
  });
  t.strictSame((await app.inject("/items/7")).json(), { itemId: 7 }, "path values are coerced");
  t.strictSame((await app.inject("/search")).json(), { detail: [{ type: "missing", loc: ["query", "q"], msg: "Field required", input: null }] });
  const limit = await app.inject("/search?q=x&limit=500");
  t.strictSame(limit.json(), { detail: [{ type: "less_than_equal", loc: ["query", "limit"], msg: "Input should be less than or equal to 100", input: 500, ctx: { le: 100 } }] });
  t.strictSame((await app.inject("/search?q=x")).json(), { q: "x", limit: 10 }, "defaults apply");
  t.strictSame((await app.inject("/header")).json(), { detail: [{ type: "missing", loc: ["header", "x-token"], msg: "Field required", input: null }] });
  t.strictSame((await app.inject({ url: "/header", headers: { "X-Token": "abc" } })).json(), { x_token: "abc" });
  t.strictSame((await app.inject({ url: "/cookie", headers: { cookie: "session=ab" } })).json(), {
    detail: [{ type: "string_too_short", loc: ["cookie", "session"], msg: "String should have at least 3 characters", input: "ab", ctx: { min_length: 3 } }],
  });
  t.strictSame((await app.inject({ url: "/cookie", headers: { cookie: "theme=dark; session=abcdef" } })).json(), { session: "abcdef" });
});

t.test("JSON bodies: missing, invalid and optional, as FastAPI reports them", async (t) => {
  const { app } = await errorApp();
  t.teardown(() => app.close());
  const missing = await app.inject({ method: "POST", url: "/items/" });
  t.equal(missing.statusCode, 422);
  t.strictSame(missing.json(), { detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] });
  const empty = await app.inject({ method: "POST", url: "/items/", headers: { "content-type": "application/json" }, payload: "" });
  t.strictSame(empty.json(), { detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] }, "an empty JSON body is no body");
  const wrong = await app.inject({ method: "POST", url: "/items/", payload: { name: "Foo", price: "cheap" } });
  t.strictSame(wrong.json(), {
    detail: [{ type: "float_parsing", loc: ["body", "price"], msg: "Input should be a valid number, unable to parse string as a number", input: "cheap" }],
  });
  const embedded = await app.inject({ method: "POST", url: "/embedded" });
  t.strictSame(embedded.json(), {
    detail: [
      { type: "missing", loc: ["body", "item"], msg: "Field required", input: null },
      { type: "missing", loc: ["body", "note"], msg: "Field required", input: null },
    ],
  }, "several body sources: each one is missing");
  t.strictSame((await app.inject({ method: "POST", url: "/optional" })).json(), { got: "nothing" });
  t.strictSame((await app.inject({ method: "POST", url: "/optional", payload: { name: "A", price: 1 } })).json(), { got: { name: "A", price: 1 } });
  const badOptional = await app.inject({ method: "POST", url: "/optional", payload: { name: "A" } });
  t.strictSame(badOptional.json(), { detail: [{ type: "missing", loc: ["body", "price"], msg: "Field required", input: null }] });
  const vendor = await app.inject({ method: "POST", url: "/items/", headers: { "content-type": "application/vnd.api+json" }, payload: '{"name":"V","price":2}' });
  t.strictSame(vendor.json(), { name: "V", price: 2 }, "application/*+json is JSON, as in FastAPI");
});

t.test("malformed JSON: 422 json_invalid with Python's position and message", async (t) => {
  const { app } = await errorApp();
  t.teardown(() => app.close());
  const cases: [string, number, string][] = [
    ["{some broken json}", 1, "Expecting property name enclosed in double quotes"],
    ['{"name": }', 9, "Expecting value"],
    ['{"name" "x"}', 8, "Expecting ':' delimiter"],
    ['{"name": "x" "price": 1}', 13, "Expecting ',' delimiter"],
    ['{"name": "x",}', 12, "Illegal trailing comma before end of object"],
    ["[1, 2,]", 5, "Illegal trailing comma before end of array"],
    ['{"name": "x"} extra', 14, "Extra data"],
    ['{"name": "unterminated', 9, "Unterminated string starting at"],
    ['{"name": "tab\there"}', 13, "Invalid control character at"],
    ['{"name": "\\q"}', 10, "Invalid \\escape"],
    ['{"é": "ü", x}', 11, "Expecting property name enclosed in double quotes"],
    ["   ", 3, "Expecting value"],
  ];
  for (const [payload, pos, error] of cases) {
    const res = await app.inject({ method: "POST", url: "/items/", headers: { "content-type": "application/json" }, payload });
    t.equal(res.statusCode, 422, payload);
    t.strictSame(res.json(), { detail: [{ type: "json_invalid", loc: ["body", pos], msg: "JSON decode error", input: {}, ctx: { error } }] }, payload);
  }
  const poisoned = await app.inject({ method: "POST", url: "/items/", headers: { "content-type": "application/json" }, payload: '{"__proto__": {"admin": true}}' });
  t.equal(poisoned.statusCode, 400, "fastify's prototype-poisoning protection still applies");
  t.strictSame(poisoned.json(), { detail: "There was an error parsing the body" });
});

t.test("body too large and unsupported media types keep their status with a detail", async (t) => {
  const { app } = await errorApp({ bodyLimit: 32 });
  t.teardown(() => app.close());
  const large = await app.inject({ method: "POST", url: "/items/", payload: { name: "x".repeat(100), price: 1 } });
  t.equal(large.statusCode, 413);
  t.strictSame(large.json(), { detail: "Request body is too large" });
  const text = await app.inject({ method: "POST", url: "/items/", headers: { "content-type": "text/csv" }, payload: "name,price" });
  t.equal(text.statusCode, 415);
  t.match(text.json(), { detail: /^Unsupported Media Type/ });
  const gone = await app.inject("/gone");
  t.equal(gone.statusCode, 410);
  t.strictSame(gone.json(), { detail: "Gone fishing" }, "other client errors keep their message");
});

t.test("unexpected errors: 500 Internal Server Error, the stack only in the log", async (t) => {
  const { app, logs } = await errorApp();
  t.teardown(() => app.close());
  const boom = await app.inject("/boom");
  t.equal(boom.statusCode, 500);
  t.strictSame(boom.json(), { detail: "Internal Server Error" });
  t.notMatch(boom.body, /hunter2/);
  const logged = logs.find((l) => l.level === 50 && l.err?.message === "database password is hunter2");
  t.ok(logged, "logged at error level");
  t.match(logged?.err?.stack ?? "", /errors\.test\.ts/, "with the stack");
  const dep = await app.inject("/dependency-boom");
  t.equal(dep.statusCode, 500);
  t.strictSame(dep.json(), { detail: "Internal Server Error" });
  t.ok(logs.some((l) => l.level === 50 && l.err?.type === "TypeError" && l.err.message === "a dependency broke"));
});
