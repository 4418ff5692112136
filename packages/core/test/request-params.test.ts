import t from "tap";
import Type from "typebox";
import { Body, compileRoute, Cookie, createRequest, Depends, dependency, Form, Header, Path, Query, RequestValidationError } from "@depends/core";

async function errorsOf(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof RequestValidationError)) throw new Error(`expected a RequestValidationError, got ${String(error)}`);
  return error.errors;
}

t.test("path, query, header and cookie values are coerced from text and defaults filled", async (t) => {
  const paging = dependency({ limit: Query(Type.Integer({ maximum: 100 }), { default: 10 }), offset: Query(Type.Integer(), { required: false }) }, (v) => v);
  const route = compileRoute({
    method: "GET",
    path: "/items/{itemId}",
    sources: {
      itemId: Path(Type.Integer()),
      paging: Depends(paging),
      user_agent: Header(Type.String()),
      session: Cookie(Type.String(), { alias: "sid" }),
    },
    handler: (values) => values,
  });
  const value = await route.execute(createRequest({ params: { itemId: "42" }, headers: { "User-Agent": "curl", cookie: "sid=abc" } }));
  t.same(value, { itemId: 42, paging: { limit: 10, offset: undefined }, user_agent: "curl", session: "abc" });
  t.same(route.requestSchemas.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), [
    "path:itemId:true",
    "query:limit:false",
    "query:offset:false",
    "header:user-agent:true",
    "cookie:sid:true",
  ]);
});

t.test("every invalid location is reported at once, in FastAPI's shape, before any dependency runs", async (t) => {
  let ran = false;
  const dep = dependency({ q: Query(Type.Integer()) }, () => {
    ran = true;
  });
  const route = compileRoute({
    method: "GET",
    path: "/items/:itemId",
    sources: { itemId: Path(Type.Integer()), d: Depends(dep), token: Header(Type.String({ minLength: 3 }), { alias: "X-Token" }) },
    handler: () => 1,
  });
  const errors = await errorsOf(route.execute(createRequest({ params: { itemId: "abc" }, query: {}, headers: { "x-token": "ab" } })));
  t.same(errors, [
    { type: "int_parsing", loc: ["path", "itemId"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" },
    { type: "missing", loc: ["query", "q"], msg: "Field required", input: null },
    { type: "string_too_short", loc: ["header", "x-token"], msg: "String should have at least 3 characters", input: "ab", ctx: { min_length: 3 } },
  ]);
  t.notOk(ran);
});

t.test("one non-embedded Body source is the whole body; several are embedded by name", async (t) => {
  const Item = Type.Object({ name: Type.String(), price: Type.Number() });
  const whole = compileRoute({ method: "POST", path: "/", sources: { item: Body(Item) }, handler: ({ item }) => item.price });
  t.equal(await whole.execute(createRequest({ body: { name: "a", price: 2 } })), 2);
  t.same(await errorsOf(whole.execute(createRequest({ body: { name: "a" } }))), [{ type: "missing", loc: ["body", "price"], msg: "Field required", input: null }]);
  t.same(await errorsOf(whole.execute(createRequest())), [{ type: "missing", loc: ["body"], msg: "Field required", input: null }]);

  const embedded = compileRoute({ method: "POST", path: "/", sources: { item: Body(Item), importance: Body(Type.Integer()) }, handler: (v) => v });
  t.same(await embedded.execute(createRequest({ body: { item: { name: "a", price: 1 }, importance: 5 } })), { item: { name: "a", price: 1 }, importance: 5 });
  t.same(await errorsOf(embedded.execute(createRequest({ body: { item: { name: "a", price: "x" }, importance: 5 } }))), [
    { type: "float_parsing", loc: ["body", "item", "price"], msg: "Input should be a valid number, unable to parse string as a number", input: "x" },
  ]);
  const single = compileRoute({ method: "POST", path: "/", sources: { item: Body(Item, { embed: true }) }, handler: ({ item }) => item.name });
  t.equal(await single.execute(createRequest({ body: { item: { name: "n", price: 1 } } })), "n");
});

t.test("form fields: empty values count as missing, patterns report FastAPI's message", async (t) => {
  const route = compileRoute({
    method: "POST",
    path: "/token",
    sources: { username: Form(Type.String()), grant_type: Form(Type.String({ pattern: "^password$" }), { required: false }) },
    handler: (v) => v,
  });
  t.same(await route.execute(createRequest({ body: { username: "u", grant_type: "" } })), { username: "u", grant_type: undefined });
  t.same(await errorsOf(route.execute(createRequest({ body: { username: "", grant_type: "foo" } }))), [
    { type: "missing", loc: ["body", "username"], msg: "Field required", input: null },
    { type: "string_pattern_mismatch", loc: ["body", "grant_type"], msg: "String should match pattern '^password$'", input: "foo", ctx: { pattern: "^password$" } },
  ]);
  t.same(await errorsOf(route.execute(createRequest())), [{ type: "missing", loc: ["body", "username"], msg: "Field required", input: null }], "no body: an empty form");
  t.equal(route.requestSchemas.bodyKind, "form");
});

t.test("the core validates every location and one 422 lists every problem, in FastAPI's location order", async (t) => {
  const route = compileRoute({ method: "GET", path: "/", sources: { c: Cookie(Type.Integer()), q: Query(Type.Integer()), h: Header(Type.Integer()) }, handler: (v) => v });
  t.same(await route.execute(createRequest({ query: { q: "5" }, headers: { h: "6" }, cookies: { c: "7" } })), { c: 7, q: 5, h: 6 });
  t.same(await errorsOf(route.execute(createRequest({ query: { q: "x" }, cookies: {} }))), [
    { type: "int_parsing", loc: ["query", "q"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" },
    { type: "missing", loc: ["header", "h"], msg: "Field required", input: null },
    { type: "missing", loc: ["cookie", "c"], msg: "Field required", input: null },
  ]);
});

t.test("parameters named like Object.prototype members read only what the request sent", async (t) => {
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { toString: Query(Type.String(), { required: false }), constructor: Query(Type.Unknown(), { required: false }), valueOf: Header(Type.String(), { required: false }) },
    handler: (v) => ({ ...v }),
  });
  t.strictSame(await route.execute(createRequest()), { toString: undefined, constructor: undefined, valueOf: undefined }, "absent: undefined, not a 422 or Object");
  t.strictSame(await route.execute(createRequest({ query: { toString: "a", constructor: "b" }, headers: { "value-of": "c" } })), { toString: "a", constructor: "b", valueOf: "c" });
  t.strictSame(await compileRoute({ method: "GET", path: "/", sources: { toString: Query(Type.String(), { required: false }) }, handler: (v) => ({ ...v }) }, { codegen: false }).execute(createRequest()), { toString: undefined }, "the interpreter too");
});
