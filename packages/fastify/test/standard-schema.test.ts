// Standard Schema routes on fastify (issue 18, item 2): zod 4 and valibot 1 sources and response
// schemas, through inject and over real sockets (HTTP and WebSocket): values, 422 shapes, async
// refinements, the OpenAPI document, and registration errors.
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify from "fastify";
import formbody from "@fastify/formbody";
import websocket from "@fastify/websocket";
import Type from "typebox";
import * as v from "valibot";
import * as z from "zod";
import { Body, Cookie, DeclarationError, Depends, dependency, Form, Header, Path, Query, type StandardSchemaV1, WebSocket } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import { connect, listen, within } from "./support/ws-client.js";

type Json = Record<string, any>;

const ZItem = z.object({ name: z.string(), price: z.number().positive(), tags: z.array(z.string()), dims: z.object({ w: z.number(), h: z.number() }).optional() });
const VItem = v.object({ name: v.string(), price: v.pipe(v.number(), v.gtValue(0)), tags: v.array(v.string()), dims: v.optional(v.object({ w: v.number(), h: v.number() })) });
const ZOut = z.object({ itemId: z.number(), q: z.string(), limit: z.number() });
const VOut = v.object({ itemId: v.number(), q: v.string(), limit: v.number() });

const taken = new Set(["admin"]);
const zAvailable = z.string().refine(async (name) => !taken.has(name), "Name taken");
const vAvailable = v.pipeAsync(v.string(), v.checkAsync(async (name) => !taken.has(name), "Name taken"));

async function app() {
  const server = Fastify();
  await server.register(formbody);
  await server.register(websocket);
  await server.register(dependsPlugin, { openapi: { info: { title: "Standard", version: "1.0.0" } } });
  const api = router();
  for (const [lib, s] of [
    ["zod", { id: z.number().int().min(1), q: z.string().min(2), limit: z.number().int().max(100).default(10), token: z.string(), sid: z.string().min(3), item: ZItem, out: ZOut, age: z.number().int(), available: zAvailable }],
    ["valibot", { id: v.pipe(v.number(), v.integer(), v.minValue(1)), q: v.pipe(v.string(), v.minLength(2)), limit: v.optional(v.pipe(v.number(), v.integer(), v.maxValue(100)), 10), token: v.string(), sid: v.pipe(v.string(), v.minLength(3)), item: VItem, out: VOut, age: v.pipe(v.number(), v.integer()), available: vAvailable }],
  ] as const) {
    api.get(`/${lib}/items/{itemId}`, {
      sources: { itemId: Path(s.id), q: Query(s.q), limit: Query(s.limit), xToken: Header(s.token), sid: Cookie(s.sid) },
      response: { 200: s.out },
      public: true,
    }, function readItem({ itemId, q, limit }) {
      return { itemId, q, limit, secret: "dropped by the response schema" };
    });
    api.post(`/${lib}/items`, { item: Body(s.item) }, ({ item }) => ({ received: item }));
    api.post(`/${lib}/login`, { username: Form(s.q), age: Form(s.age) }, (values) => values);
    api.get(`/${lib}/users/{name}`, { name: Path(s.available), page: Query(Type.Integer({ minimum: 1 })), xToken: Header(s.token) }, ({ name, page }) => ({ name, page }));
    api.websocket(`/${lib}/ws`, { sources: { socket: WebSocket, q: Query(s.q), limit: Query(s.limit) }, public: true }, ({ socket, q, limit }) => {
      socket.send(JSON.stringify({ q, limit }));
      socket.close(1000);
    });
  }
  await server.register(api.plugin());
  await server.ready();
  t.teardown(() => server.close());
  return server;
}

const shapes = (detail: Json[]) => detail.map((item) => [item.type, ...item.loc]);

for (const lib of ["zod", "valibot"]) {
  t.test(`${lib} (inject): values coerced from text, defaults, and the response filtered by its schema`, async (t) => {
    const server = await app();
    const res = await server.inject({ url: `/${lib}/items/42?q=books`, headers: { "x-token": "t", cookie: "sid=abcdef" } });
    t.equal(res.statusCode, 200);
    t.strictSame(res.json(), { itemId: 42, q: "books", limit: 10 });
  });

  t.test(`${lib} (inject): 422 for missing values, wrong types, nested body errors, several locations at once`, async (t) => {
    const server = await app();
    const several = await server.inject({ url: `/${lib}/items/abc?q=x&limit=500`, headers: { cookie: "sid=a" } });
    t.equal(several.statusCode, 422);
    t.strictSame(shapes(several.json().detail), [
      ["int_parsing", "path", "itemId"],
      ["string_too_short", "query", "q"],
      ["less_than_equal", "query", "limit"],
      ["missing", "header", "x-token"],
      ["string_too_short", "cookie", "sid"],
    ]);
    t.same(several.json().detail[0], { type: "int_parsing", loc: ["path", "itemId"], msg: several.json().detail[0].msg, input: "abc" });
    t.same(several.json().detail[3], { type: "missing", loc: ["header", "x-token"], msg: "Field required", input: null });

    const nested = await server.inject({ method: "POST", url: `/${lib}/items`, payload: { price: -1, tags: ["a", 2], dims: { w: 1, h: "tall" } } });
    t.equal(nested.statusCode, 422);
    t.strictSame(shapes(nested.json().detail), [
      ["missing", "body", "name"],
      ["greater_than", "body", "price"],
      ["string_type", "body", "tags", 1],
      ["float_parsing", "body", "dims", "h"],
    ]);
    const ok = await server.inject({ method: "POST", url: `/${lib}/items`, payload: { name: "pen", price: 2, tags: [] } });
    t.strictSame(ok.json(), { received: { name: "pen", price: 2, tags: [] } });
    const noBody = await server.inject({ method: "POST", url: `/${lib}/items` });
    t.strictSame(shapes(noBody.json().detail), [["missing", "body"]]);

    const form = await server.inject({ method: "POST", url: `/${lib}/login`, payload: "username=&age=old", headers: { "content-type": "application/x-www-form-urlencoded" } });
    t.strictSame(shapes(form.json().detail), [["missing", "body", "username"], ["int_parsing", "body", "age"]]);
    const formOk = await server.inject({ method: "POST", url: `/${lib}/login`, payload: "username=johndoe&age=42", headers: { "content-type": "application/x-www-form-urlencoded" } });
    t.strictSame(formOk.json(), { username: "johndoe", age: 42 });
  });

  t.test(`${lib} (inject): an async refinement is awaited; its problem joins the others' in one 422`, async (t) => {
    const server = await app();
    const ok = await server.inject({ url: `/${lib}/users/amy?page=2`, headers: { "x-token": "t" } });
    t.strictSame(ok.json(), { name: "amy", page: 2 });
    const bad = await server.inject({ url: `/${lib}/users/admin?page=0` });
    t.equal(bad.statusCode, 422);
    t.strictSame(bad.json().detail.map((d: Json) => [d.type, d.loc.join("."), d.msg]), [
      ["value_error", "path.name", "Name taken"],
      ["greater_than_equal", "query.page", "Input should be greater than or equal to 1"],
      ["missing", "header.x-token", "Field required"],
    ]);
  });

  t.test(`${lib} (real sockets): HTTP over TCP and a WebSocket route`, async (t) => {
    const server = await app();
    const wsBase = await listen(server);
    const httpBase = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const ok = await fetch(`${httpBase}/${lib}/items/7?q=pens&limit=3`, { headers: { "x-token": "t", cookie: "sid=abcdef" } });
    t.equal(ok.status, 200);
    t.strictSame(await ok.json(), { itemId: 7, q: "pens", limit: 3 });
    const bad = await fetch(`${httpBase}/${lib}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: 5, price: 1, tags: [] }) });
    t.equal(bad.status, 422);
    t.strictSame(shapes(((await bad.json()) as Json).detail), [["string_type", "body", "name"]]);
    const slow = await fetch(`${httpBase}/${lib}/users/admin?page=1`, { headers: { "x-token": "t" } });
    t.equal(slow.status, 422);
    t.equal(((await slow.json()) as Json).detail[0].msg, "Name taken");

    const client = connect(`${wsBase}/${lib}/ws?q=hello&limit=5`);
    t.strictSame(JSON.parse(await client.next()), { q: "hello", limit: 5 });
    const refused = connect(`${wsBase}/${lib}/ws?q=h`);
    await refused.opened;
    const closed = await within(refused.closed);
    t.equal(closed.code, 1008, "a validation error closes the socket with 1008, as FastAPI");
    t.strictSame(JSON.parse(closed.reason), [{ type: "string_too_short", loc: ["query", "q"] }]);
  });

  t.test(`${lib}: the OpenAPI document shows the derived JSON Schemas`, async (t) => {
    const server = await app();
    const doc = server.swagger() as Json;
    const read = doc.paths[`/${lib}/items/{itemId}`].get;
    t.strictSame(read.parameters.map((p: Json) => [p.in, p.name, p.required]), [
      ["path", "itemId", true],
      ["query", "q", true],
      ["query", "limit", false],
      ["header", "x-token", true],
      ["cookie", "sid", true],
    ]);
    t.match(read.parameters[0].schema, { type: "integer", minimum: 1 });
    t.match(read.parameters[1].schema, { type: "string", minLength: 2 });
    t.match(read.parameters[2].schema, { type: "integer", maximum: 100, default: 10 });
    const out = read.responses["200"].content["application/json"].schema;
    t.match(out, { type: "object", properties: { itemId: { type: "number" }, q: { type: "string" }, limit: { type: "number" } }, required: ["itemId", "q", "limit"] });
    t.notOk("$schema" in out);
    t.ok(read.responses["422"], "FastAPI's 422 response");
    const create = doc.paths[`/${lib}/items`].post;
    const body = create.requestBody.content["application/json"].schema;
    t.match(body, { type: "object", properties: { name: { type: "string" }, price: { type: "number" }, tags: { type: "array", items: { type: "string" } } } });
    t.same([...body.required].sort(), ["name", "price", "tags"]);
    t.equal(create.requestBody.required, true);
    // A form body is FastAPI's `Body_<operationId>` component (openapi.md, named schemas).
    const loginRef = doc.paths[`/${lib}/login`].post.requestBody.content["application/x-www-form-urlencoded"].schema.$ref as string;
    t.match(loginRef, /^#\/components\/schemas\/Body_/);
    const login = doc.components.schemas[loginRef.slice("#/components/schemas/".length)];
    t.match(login, { type: "object", properties: { username: { type: "string" }, age: { type: "integer" } }, required: ["username", "age"] });
  });
}

t.test("registration errors: a validator without a JSON Schema, for a source and for a response", async (t) => {
  const acme: StandardSchemaV1<unknown, string> = { "~standard": { version: 1, vendor: "acme", validate: (value) => ({ value: String(value) }) } };
  const server = Fastify();
  await server.register(dependsPlugin, { openapi: false });
  const api = router();
  const lookup = dependency({ code: Query(acme) }, function lookup({ code }) {
    return code;
  });
  api.get("/acme", { found: Depends(lookup) }, ({ found }) => found);
  const error = await server.register(api.plugin()).ready().then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof DeclarationError);
  const e = error as DeclarationError;
  t.equal(e.code, "DEPENDS_NO_JSON_SCHEMA");
  t.equal(e.route, "GET /acme");
  t.same(e.path, ["GET /acme", "lookup"], "the dependency path to the source");
  t.match(e.message, /query source "code" \(a acme schema\)/);

  const other = Fastify();
  await other.register(dependsPlugin, { openapi: false });
  const dates = router();
  dates.get("/when", { response: { 200: z.object({ at: z.date() }) }, sources: {} }, () => ({ at: new Date() }));
  await t.rejects(async () => other.register(dates.plugin()).ready(), { code: "DEPENDS_NO_JSON_SCHEMA", route: "GET /when", path: ["response 200"] });

  const given = Fastify();
  await given.register(dependsPlugin, { openapi: false });
  const fixed = router();
  fixed.get("/acme", { code: Query(acme, { jsonSchema: { type: "string" } }) }, ({ code }) => ({ code }));
  await given.register(fixed.plugin());
  t.strictSame((await given.inject("/acme?code=x1")).json(), { code: "x1" }, "the jsonSchema option makes it work");
  await Promise.all([server.close(), other.close(), given.close()]);
});
