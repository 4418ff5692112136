// Standard Schema sources (issue 18, item 2) in the core: zod 4 and valibot 1 validators next to
// typebox schemas, coerced from text by their derived JSON Schema, their issues in FastAPI's 422
// shape, async validators, and the registration errors of a validator without a JSON Schema.
import t from "tap";
import Type from "typebox";
import * as v from "valibot";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import * as z from "zod";
import {
  Body, compileRoute, Cookie, createRequest, DeclarationError, Depends, dependency, Form, Header, isStandardSchema, Path, Query, RequestValidationError,
  type StandardSchemaV1, type ValidationErrorItem,
} from "@depends/core";

async function errorsOf(promise: Promise<unknown>): Promise<ValidationErrorItem[]> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof RequestValidationError)) throw new Error(`expected a RequestValidationError, got ${String(error)}`);
  return [...error.errors];
}

function declarationError(fn: () => unknown): DeclarationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeclarationError) return error;
    throw error;
  }
  throw new Error("expected a DeclarationError");
}

const shapes = (items: readonly ValidationErrorItem[]) => items.map((item) => [item.type, ...item.loc]);

/** A Standard Schema validator of no known vendor, without a JSON Schema. */
function acmeInteger(): StandardSchemaV1<unknown, number> {
  return {
    "~standard": {
      version: 1,
      vendor: "acme",
      validate: (value) => (Number.isInteger(value) ? { value: value as number } : { issues: [{ message: "not an integer", code: "acme_int" } as StandardSchemaV1.Issue] }),
    },
  };
}

t.test("isStandardSchema tells validators from typebox schemas", async (t) => {
  t.ok(isStandardSchema(z.string()));
  t.ok(isStandardSchema(v.string()));
  t.notOk(isStandardSchema(Type.String()));
  t.notOk(isStandardSchema(null));
  t.notOk(isStandardSchema({ "~standard": {} }));
});

for (const [vendor, s] of [
  ["zod", { int: z.number().int(), str: z.string().min(2), bool: z.boolean(), list: z.array(z.number().int()), limit: z.number().int().default(10), opt: z.string().optional() }],
  [
    "valibot",
    {
      int: v.pipe(v.number(), v.integer()),
      str: v.pipe(v.string(), v.minLength(2)),
      bool: v.boolean(),
      list: v.array(v.pipe(v.number(), v.integer())),
      limit: v.optional(v.pipe(v.number(), v.integer()), 10),
      opt: v.optional(v.string()),
    },
  ],
] as const) {
  t.test(`${vendor}: path, query, header and cookie text is coerced by the derived JSON Schema; defaults and optionals come from the validator`, async (t) => {
    const route = compileRoute({
      method: "GET",
      path: "/items/{itemId}",
      sources: { itemId: Path(s.int), q: Query(s.str), flag: Query(s.bool), ids: Query(s.list), limit: Query(s.limit), opt: Query(s.opt), agent: Header(s.str), sid: Cookie(s.str) },
      handler: (values) => values,
    });
    const value = await route.execute(createRequest({ params: { itemId: "42" }, query: { q: "books", flag: "false", ids: ["1", "2"] }, headers: { agent: "curl" }, cookies: { sid: "abc" } }));
    t.same(value, { itemId: 42, q: "books", flag: false, ids: [1, 2], limit: 10, opt: undefined, agent: "curl", sid: "abc" });
    t.same(route.requestSchemas.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), [
      "path:itemId:true", "query:q:true", "query:flag:true", "query:ids:true", "query:limit:false", "query:opt:false", "header:agent:true", "cookie:sid:true",
    ]);
    t.equal(route.requestSchemas.query?.properties && (route.requestSchemas.query.properties as Record<string, { type?: unknown }>).q?.type, "string", "documented by the derived JSON Schema");
    t.notOk("$schema" in (route.requestSchemas.parameters[0]?.schema ?? {}), "no $schema inside an OpenAPI document");
    const single = await route.execute(createRequest({ params: { itemId: "1" }, query: { q: "ab", flag: "true", ids: "7", limit: "3" }, headers: { agent: "x1" }, cookies: { sid: "abc" } }));
    t.same(single, { itemId: 1, q: "ab", flag: true, ids: [7], limit: 3, opt: undefined, agent: "x1", sid: "abc" }, "a single value of a list parameter is a list of one");
  });

  t.test(`${vendor}: every problem of every location in one 422, in FastAPI's order`, async (t) => {
    const item = vendor === "zod" ? z.object({ name: z.string(), dims: z.object({ w: z.number() }), tags: z.array(z.string()) }) : v.object({ name: v.string(), dims: v.object({ w: v.number() }), tags: v.array(v.string()) });
    let ran = false;
    const dep = dependency({ q: Query(s.str) }, () => void (ran = true));
    const route = compileRoute({
      method: "POST",
      path: "/items/{itemId}",
      sources: { itemId: Path(s.int), d: Depends(dep), page: Query(Type.Integer({ minimum: 1 })), agent: Header(s.str), sid: Cookie(s.str), item: Body(item) },
      handler: () => "unreachable",
    });
    const errors = await errorsOf(route.execute(createRequest({ params: { itemId: "abc" }, query: { q: "x", page: "0" }, headers: {}, cookies: { sid: "a" }, body: { dims: { w: "wide" }, tags: ["a", 2] } })));
    t.strictSame(shapes(errors), [
      ["int_parsing", "path", "itemId"],
      ["string_too_short", "query", "q"],
      ["greater_than_equal", "query", "page"],
      ["missing", "header", "agent"],
      ["string_too_short", "cookie", "sid"],
      ["missing", "body", "name"],
      ["float_parsing", "body", "dims", "w"],
      ["string_type", "body", "tags", 1],
    ]);
    t.notOk(ran, "no dependency ran");
    const byLoc = new Map(errors.map((e) => [e.loc.join("."), e]));
    t.same(byLoc.get("path.itemId")?.input, "abc");
    t.same(byLoc.get("header.agent"), { type: "missing", loc: ["header", "agent"], msg: "Field required", input: null });
    t.same(byLoc.get("body.tags.1")?.input, 2);
    t.equal(typeof byLoc.get("query.q")?.msg, "string");
    t.ok((byLoc.get("query.q")?.msg.length ?? 0) > 0, "the library's message");
    const missingBody = await errorsOf(route.execute(createRequest({ params: { itemId: "1" }, query: { q: "xy", page: "1" }, headers: { agent: "ok" }, cookies: { sid: "abc" } })));
    t.strictSame(shapes(missingBody), [["missing", "body"]], "an absent whole body is missing as a whole");
  });

  t.test(`${vendor}: a form's fields are coerced from text; empty values are missing`, async (t) => {
    const route = compileRoute({ method: "POST", path: "/login", sources: { username: Form(s.str), age: Form(s.int) }, handler: (values) => values });
    t.same(await route.execute(createRequest({ body: { username: "johndoe", age: "42" } })), { username: "johndoe", age: 42 });
    t.strictSame(shapes(await errorsOf(route.execute(createRequest({ body: { username: "", age: "old" } })))), [["missing", "body", "username"], ["int_parsing", "body", "age"]]);
  });
}

t.test("zod: a whole body's output is injected (transforms and defaults run)", async (t) => {
  const Item = z.object({ name: z.string().trim(), qty: z.number().int().default(1) });
  const route = compileRoute({ method: "POST", path: "/items", sources: { item: Body(Item) }, handler: ({ item }) => item });
  t.same(await route.execute(createRequest({ body: { name: "  pen " } })), { name: "pen", qty: 1 });
  t.same(route.requestSchemas.body, { type: "object", properties: { name: { type: "string" }, qty: { type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, default: 1 } }, required: ["name"] });
});

t.test("an optional whole body: absent, the validator's default is injected", async (t) => {
  const route = compileRoute({ method: "POST", path: "/", sources: { opts: Body(z.object({ dryRun: z.boolean() }).default({ dryRun: true })) }, handler: ({ opts }) => opts });
  t.same(await route.execute(createRequest({})), { dryRun: true });
  t.same(await route.execute(createRequest({ body: { dryRun: false } })), { dryRun: false });
  t.equal(route.requestSchemas.bodyRequired, false);
});

t.test("embedded bodies of different libraries validate side by side", async (t) => {
  const route = compileRoute({
    method: "PUT",
    path: "/items",
    sources: { item: Body(z.object({ name: z.string() })), user: Body(v.object({ username: v.string() })), importance: Body(Type.Integer()) },
    handler: (values) => values,
  });
  t.same(await route.execute(createRequest({ body: { item: { name: "pen" }, user: { username: "amy" }, importance: 3 } })), { item: { name: "pen" }, user: { username: "amy" }, importance: 3 });
  t.strictSame(shapes(await errorsOf(route.execute(createRequest({ body: { item: {}, user: { username: 5 } } })))), [
    ["missing", "body", "item", "name"],
    ["string_type", "body", "user", "username"],
    ["missing", "body", "importance"],
  ]);
});

t.test("issue types follow pydantic's where one means the same", async (t) => {
  const cases: [StandardSchemaV1, unknown, string][] = [
    [z.string().max(2), "abc", "string_too_long"],
    [z.number().gt(3), 3, "greater_than"],
    [z.number().lt(3), 3, "less_than"],
    [z.number().max(3), 4, "less_than_equal"],
    [z.number().multipleOf(5), 7, "multiple_of"],
    [z.array(z.string()).min(2), ["a"], "too_short"],
    [z.enum(["a", "b"]), "c", "enum"],
    [z.literal("a"), "b", "literal_error"],
    [z.string().regex(/^a/), "b", "string_pattern_mismatch"],
    [z.email(), "nope", "string_format"],
    [z.string().refine((x) => x === "y", "must be y"), "x", "value_error"],
    [z.number().int(), 1.5, "int_from_float"],
    [z.boolean(), 3, "bool_type"],
    [v.pipe(v.string(), v.maxLength(2)), "abc", "string_too_long"],
    [v.pipe(v.number(), v.minValue(3)), 2, "greater_than_equal"],
    [v.pipe(v.number(), v.maxValue(3)), 4, "less_than_equal"],
    [v.picklist(["a", "b"]), "c", "enum"],
    [v.literal("a"), "b", "literal_error"],
    [v.pipe(v.string(), v.regex(/^a/)), "b", "string_pattern_mismatch"],
    [v.pipe(v.string(), v.email()), "nope", "string_format"],
    [v.pipe(v.string(), v.check((x) => x === "y", "must be y")), "x", "value_error"],
    [v.pipe(v.number(), v.integer()), 1.5, "int_from_float"],
  ];
  for (const [schema, input, type] of cases) {
    const route = compileRoute({ method: "POST", path: "/", sources: { value: Body(schema, { embed: true }) }, handler: () => 1 });
    const [item] = await errorsOf(route.execute(createRequest({ body: { value: input } })));
    t.same(item && { type: item.type, loc: item.loc, input: item.input }, { type, loc: ["body", "value"], input }, `${schema["~standard"].vendor}: ${type}`);
  }
  const custom = compileRoute({ method: "POST", path: "/", sources: { value: Body(z.string().refine((x) => x === "y", "must be y"), { embed: true }) }, handler: () => 1 });
  t.equal((await errorsOf(custom.execute(createRequest({ body: { value: "x" } }))))[0]?.msg, "must be y", "msg is the schema's own message");
  const strict = compileRoute({ method: "POST", path: "/", sources: { item: Body(z.strictObject({ a: z.number() })) }, handler: () => 1 });
  t.strictSame(
    (await errorsOf(strict.execute(createRequest({ body: { a: 1, b: 2, c: 3 } })))).map((e) => [e.type, e.loc, e.input]),
    [["extra_forbidden", ["body", "b"], 2], ["extra_forbidden", ["body", "c"], 3]],
    "zod's unrecognized keys: one item per key, as pydantic",
  );
  const vstrict = compileRoute({ method: "POST", path: "/", sources: { item: Body(v.strictObject({ a: v.number() })) }, handler: () => 1 });
  t.strictSame((await errorsOf(vstrict.execute(createRequest({ body: { a: 1, b: 2 } })))).map((e) => [e.type, e.loc]), [["extra_forbidden", ["body", "b"]]]);
});

t.test("async validators: awaited before any dependency runs, their problems in the same 422 as the others', in order", async (t) => {
  const taken = new Set(["admin"]);
  let ran = 0;
  const dep = dependency({ page: Query(Type.Integer({ minimum: 1 })) }, () => void ran++);
  const route = compileRoute({
    method: "GET",
    path: "/users/{name}",
    sources: {
      name: Path(z.string().refine(async (n) => (await Promise.resolve(!taken.has(n))), "Name taken")),
      d: Depends(dep),
      nick: Query(v.pipeAsync(v.string(), v.checkAsync(async (n) => n.length > 2, "Nick too short"))),
      agent: Header(z.string()),
    },
    handler: ({ name, nick }) => `${name}/${nick}`,
  });
  t.equal(await route.execute(createRequest({ params: { name: "amy" }, query: { page: "1", nick: "amers" }, headers: { agent: "x" } })), "amy/amers");
  t.equal(ran, 1);
  const errors = await errorsOf(route.execute(createRequest({ params: { name: "admin" }, query: { page: "0", nick: "a" }, headers: {} })));
  t.strictSame(shapes(errors), [["value_error", "path", "name"], ["greater_than_equal", "query", "page"], ["value_error", "query", "nick"], ["missing", "header", "agent"]]);
  t.same(errors.map((e) => e.msg).slice(0, 3), ["Name taken", "Input should be greater than or equal to 1", "Nick too short"]);
  t.equal(ran, 1, "no dependency ran for the invalid request");
});

t.test("a route whose validators are all synchronous answers without a promise; an async one with a promise", async (t) => {
  const sync = compileRoute({ method: "GET", path: "/", sources: { q: Query(z.string()), n: Query(v.number()) }, handler: ({ q, n }) => `${q}${n}` });
  const result = sync.run(createRequest({ query: { q: "a", n: "1" } }));
  t.notOk(result instanceof Promise, "no promise");
  t.equal(result, "a1");
  t.throws(() => sync.run(createRequest({ query: {} })), RequestValidationError, "a sync 422 is thrown, as on typebox routes");
  const interpreted = compileRoute({ method: "GET", path: "/", sources: { q: Query(z.string()) }, handler: ({ q }) => q }, { codegen: false });
  t.equal(interpreted.run(createRequest({ query: { q: "b" } })), "b", "the interpreter reads the same inputs");
  const slow = compileRoute({ method: "GET", path: "/", sources: { q: Query(z.string().refine(async () => true)) }, handler: ({ q }) => q });
  const pending = slow.run(createRequest({ query: { q: "c" } }));
  t.ok(pending instanceof Promise);
  t.equal(await pending, "c");
});

t.test("concurrent requests on one route never see each other's inputs", async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { q: Query(z.string().refine(async (q) => (q === "slow" ? (await gate, true) : true))) },
    handler: ({ q }) => q,
  });
  const first = route.run(createRequest({ query: { q: "slow" } }));
  const second = route.run(createRequest({ query: { q: "fast" } }));
  t.equal(await second, "fast");
  release();
  t.equal(await first, "slow");
});

t.test("JSON Schema: the interface first, valibot's converter, the jsonSchema option; DEPENDS_NO_JSON_SCHEMA naming route and source", async (t) => {
  const wrapped = compileRoute({ method: "GET", path: "/", sources: { n: Query(toStandardJsonSchema(v.pipe(v.number(), v.integer()))) }, handler: ({ n }) => n });
  t.same(wrapped.requestSchemas.parameters[0]?.schema, { type: "integer" }, "valibot's toStandardJsonSchema");
  t.equal(await wrapped.execute(createRequest({ query: { n: "5" } })), 5);
  const plain = compileRoute({ method: "GET", path: "/", sources: { n: Query(v.number()) }, handler: ({ n }) => n });
  t.same(plain.requestSchemas.parameters[0]?.schema, { type: "number" }, "@valibot/to-json-schema, found as an optional peer");

  const noSchema = dependency({ n: Query(acmeInteger()) }, ({ n }) => n);
  const error = declarationError(() => compileRoute({ method: "GET", path: "/acme", sources: { value: Depends(noSchema) }, handler: ({ value }) => value }));
  t.equal(error.code, "DEPENDS_NO_JSON_SCHEMA");
  t.equal(error.route, "GET /acme");
  t.same(error.path, ["handler", "value"]);
  t.match(error.message, /query source "n" \(a acme schema\) has no JSON Schema/);
  t.match(error.message, /jsonSchema/);

  const given = compileRoute({ method: "GET", path: "/acme", sources: { n: Query(acmeInteger(), { jsonSchema: { type: "integer" } }) }, handler: ({ n }) => n });
  t.equal(await given.execute(createRequest({ query: { n: "7" } })), 7, "coerced by the given JSON Schema");
  t.strictSame(shapes(await errorsOf(given.execute(createRequest({ query: { n: "x" } })))), [["acme_int", "query", "n"]], "an unknown vendor's `code` is the type");
  const made = compileRoute({ method: "GET", path: "/acme", sources: { n: Query(acmeInteger(), { jsonSchema: () => ({ type: "integer", $schema: "x" }) }) }, handler: ({ n }) => n });
  t.same(made.requestSchemas.parameters[0]?.schema, { type: "integer" }, "a function of the validator; $schema dropped");

  const refused = declarationError(() => compileRoute({ method: "POST", path: "/d", sources: { when: Body(z.date()) }, handler: () => 1 }));
  t.equal(refused.code, "DEPENDS_NO_JSON_SCHEMA");
  t.match(refused.message, /Date cannot be represented in JSON Schema/, "the converter's own reason");
  const typebox = declarationError(() => Query(Type.String(), { jsonSchema: { type: "string" } }));
  t.equal(typebox.code, "DEPENDS_INVALID_SCHEMA");
});

t.test("a parameter declared twice: the same validator is one parameter, two different ones conflict", async (t) => {
  const Q = z.string().min(2);
  const a = dependency({ q: Query(Q) }, ({ q }) => q);
  const b = dependency({ q: Query(Q) }, ({ q }) => q.toUpperCase());
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(a), b: Depends(b) }, handler: (values) => values });
  t.same(await route.execute(createRequest({ query: { q: "ab" } })), { a: "ab", b: "AB" });
  const c = dependency({ q: Query(z.string().min(2)) }, ({ q }) => q);
  t.equal(declarationError(() => compileRoute({ method: "GET", path: "/", sources: { a: Depends(a), c: Depends(c) }, handler: () => 1 })).code, "DEPENDS_CONFLICTING_PARAM");
});
