// Named schemas: a typebox schema with `$id` is one `components.schemas` entry and every use of it a
// `$ref`, as FastAPI does for pydantic models (tests/test_schema_extra_examples.py,
// tests/test_openapi_separate_input_output_schemas.py with separate_input_output_schemas=False:
// a typebox schema is the same for input and output). fastify still serialises with them.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Body, DeclarationError, Query } from "@depends/core";
import { dependsPlugin, named, router, type DependsPluginOptions, type OpenApiOptions } from "@depends/fastify";

type Json = Record<string, any>;

const SubItem = Type.Object({ subname: Type.String(), tags: Type.Array(Type.String()) }, { $id: "SubItem" });
const Item = Type.Object(
  { name: Type.String(), description: Type.Optional(Type.Union([Type.String(), Type.Null()])), sub: Type.Optional(SubItem) },
  { $id: "Item", examples: [{ name: "Plumbus" }] },
);
const Order = Type.Enum(["asc", "desc"], { $id: "Order" });

function itemsRouter() {
  const api = router();
  api.post("/items/", { sources: { item: Body(Item) }, response: { 200: Item } }, function create_item({ item }) {
    return { ...item, secret: "dropped by the serialiser" };
  });
  api.post("/items-list/", { sources: { items: Body(Type.Array(Item)) } }, function create_item_list({ items }) {
    return items;
  });
  api.get("/items/", { sources: { order: Query(Order, { required: false }) }, response: { 200: Type.Array(Item) } }, function read_items() {
    return [{ name: "Portal Gun", sub: { subname: "subname", tags: [], hidden: 1 }, hidden: 2 }, { name: "Plumbus" }];
  });
  api.get("/items/both", { response: { 200: Type.Object({ first: Item, rest: Type.Array(Item) }) } }, function read_both() {
    return { first: { name: "a", x: 1 }, rest: [{ name: "b", sub: { subname: "s", tags: [], y: 2 } }] };
  });
  api.post("/pair/", { sources: { left: Body(Item), right: Body(Item) } }, function make_pair({ left, right }) {
    return [left.name, right.name];
  });
  return api;
}

async function appOf(api: ReturnType<typeof router>, options: DependsPluginOptions = {}) {
  const app = Fastify();
  await app.register(dependsPlugin, options);
  await app.register(api.plugin());
  await app.ready();
  return app;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

t.test("models are components; bodies, responses, arrays, nested properties and parameters refer to them", async (t) => {
  const app = await appOf(itemsRouter());
  t.teardown(() => app.close());
  const doc = (await app.inject("/openapi.json")).json() as Json;
  const schemas = doc.components.schemas as Json;
  t.strictSame(Object.keys(schemas).sort(), ["Body_make_pair_pair__post", "HTTPValidationError", "Item", "Order", "SubItem", "ValidationError"]);
  t.strictSame(schemas.Item, {
    title: "Item",
    type: "object",
    required: ["name"],
    properties: { name: { type: "string" }, description: { anyOf: [{ type: "string" }, { type: "null" }] }, sub: ref("SubItem") },
    examples: [{ name: "Plumbus" }],
  }, "the model, titled with its name, its nested model as a $ref, its examples kept");
  t.strictSame(schemas.SubItem, { title: "SubItem", type: "object", required: ["subname", "tags"], properties: { subname: { type: "string" }, tags: { type: "array", items: { type: "string" } } } });
  t.strictSame(schemas.Order, { title: "Order", enum: ["asc", "desc"] });
  const create = doc.paths["/items/"].post;
  t.strictSame(create.requestBody, { required: true, content: { "application/json": { schema: ref("Item") } } });
  t.strictSame(create.responses["200"], { description: "Successful Response", content: { "application/json": { schema: ref("Item") } } });
  t.strictSame(doc.paths["/items-list/"].post.requestBody.content["application/json"].schema, { type: "array", items: ref("Item") });
  const read = doc.paths["/items/"].get;
  t.strictSame(read.responses["200"].content["application/json"].schema, { type: "array", items: ref("Item") });
  t.strictSame(read.parameters, [{ schema: ref("Order"), in: "query", name: "order", required: false }]);
  // Several body fields: FastAPI's Body_<operationId>, whose fields refer to the model.
  t.strictSame(doc.paths["/pair/"].post.requestBody.content["application/json"].schema, ref("Body_make_pair_pair__post"));
  t.strictSame(schemas.Body_make_pair_pair__post, { title: "Body_make_pair_pair__post", type: "object", properties: { left: ref("Item"), right: ref("Item") }, required: ["left", "right"] });
  t.notMatch(JSON.stringify(doc), /"\$id"|def-\d/, "no $id and no @fastify/swagger def-N name left");
  t.strictSame((await app.inject("/docs/json")).json(), doc, "Swagger UI reads the same document");
  const yaml = (app.swagger({ yaml: true }) as unknown as string);
  t.match(yaml, /\$ref: "?#\/components\/schemas\/Item"?/);
  t.notMatch(yaml, /[&*]a\d/, "no YAML anchors: the references are fresh objects");
});

t.test("fastify validates and serialises with the named schemas, across routes and nested", async (t) => {
  const app = await appOf(itemsRouter());
  t.teardown(() => app.close());
  const created = await app.inject({ method: "POST", url: "/items/", payload: { name: "Plumbus", sub: { subname: "s", tags: ["a"] } } });
  t.equal(created.statusCode, 200);
  t.strictSame(created.json(), { name: "Plumbus", sub: { subname: "s", tags: ["a"] } }, "fields the model does not declare are dropped");
  const read = await app.inject("/items/?order=asc");
  t.strictSame(read.json(), [{ name: "Portal Gun", sub: { subname: "subname", tags: [] } }, { name: "Plumbus" }], "arrays of models, nested models filtered");
  const bad = await app.inject({ method: "POST", url: "/items/", payload: { name: "x", sub: { subname: 3, tags: [] } } });
  t.equal(bad.statusCode, 422);
  t.match(bad.json(), { detail: [{ type: "string_type", loc: ["body", "sub", "subname"] }] });
  const order = await app.inject("/items/?order=sideways");
  t.equal(order.statusCode, 422);
  const both = await app.inject("/items/both");
  t.strictSame(both.json(), { first: { name: "a" }, rest: [{ name: "b", sub: { subname: "s", tags: [] } }] }, "one $id twice in one response");
  const pair = await app.inject({ method: "POST", url: "/pair/", payload: { left: { name: "a" }, right: { name: "b" } } });
  t.strictSame(pair.json(), ["a", "b"]);
});

t.test("two different schemas under one name fail at registration, naming both routes", async (t) => {
  const api = router();
  api.get("/users/", { response: { 200: Type.Object({ name: Type.String() }, { $id: "User" }) } }, function list_users() {
    return { name: "x" };
  });
  api.post("/users/", { user: Body(Type.Object({ login: Type.String() }, { $id: "User" })) }, function create_user() {
    return null;
  });
  const error = await appOf(api).then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof DeclarationError);
  t.equal((error as DeclarationError).code, "DEPENDS_SCHEMA_NAME_CONFLICT");
  t.match((error as Error).message, /"User".*GET \/users\/.*POST \/users\//);
  t.equal((error as DeclarationError).route, "POST /users/");
});

t.test("the same name for equal schemas is one component; a clash deep inside is found too", async (t) => {
  const api = router();
  const make = () => Type.Object({ name: Type.String() }, { $id: "User" });
  api.get("/a", { response: { 200: make() } }, () => ({ name: "a" }));
  api.get("/b", { response: { 200: Type.Array(make()) } }, () => [{ name: "b" }]);
  const app = await appOf(api);
  const doc = app.swagger() as Json;
  await app.close();
  t.strictSame(doc.components.schemas.User, { title: "User", type: "object", required: ["name"], properties: { name: { type: "string" } } });
  const clash = router();
  clash.get("/a", { response: { 200: make() } }, () => ({ name: "a" }));
  clash.get("/team", { response: { 200: Type.Object({ lead: Type.Object({ id: Type.Integer() }, { $id: "User" }) }) } }, () => ({ lead: { id: 1 } }));
  await t.rejects(appOf(clash), { code: "DEPENDS_SCHEMA_NAME_CONFLICT", message: /GET \/a.*GET \/team/ });
});

t.test("a name OpenAPI cannot hold is refused; hidden routes and inlined documents take no name", async (t) => {
  const uri = router();
  uri.get("/u", { response: { 200: Type.Object({}, { $id: "https://example.com/user.json" }) } }, () => ({}));
  await t.rejects(appOf(uri), { code: "DEPENDS_INVALID_SCHEMA_NAME", message: /https:\/\/example\.com\/user\.json/ });

  const hidden = router();
  hidden.get("/a", { response: { 200: Type.Object({ a: Type.String() }, { $id: "Thing" }) } }, () => ({ a: "a" }));
  hidden.get("/b", { includeInSchema: false, response: { 200: Type.Object({ b: Type.String() }, { $id: "Thing" }) } }, () => ({ b: "b" }));
  const app = await appOf(hidden);
  t.strictSame(Object.keys((app.swagger() as Json).components.schemas.Thing.properties), ["a"]);
  t.strictSame((await app.inject("/b")).json(), { b: "b" }, "the hidden route still serialises with its schema");
  await app.close();

  for (const openapi of [{ inlineSchemas: true }, false] satisfies (OpenApiOptions | false)[]) {
    const clash = router();
    clash.get("/a", { response: { 200: Type.Object({ a: Type.String() }, { $id: "Thing" }) } }, () => ({ a: "a", z: 1 }));
    clash.get("/b", { response: { 200: Type.Object({ b: Type.String() }, { $id: "Thing" }) } }, () => ({ b: "b", z: 1 }));
    const inlined = await appOf(clash, { openapi });
    t.strictSame((await inlined.inject("/a")).json(), { a: "a" }, `openapi: ${JSON.stringify(openapi)}: no name is taken, fastify serialises`);
    t.strictSame((await inlined.inject("/b")).json(), { b: "b" });
    if (openapi !== false) {
      const doc = inlined.swagger() as Json;
      t.strictSame(doc.paths["/a"].get.responses["200"].content["application/json"].schema, { type: "object", required: ["a"], properties: { a: { type: "string" } } });
      t.notOk(doc.components?.schemas?.Thing);
    }
    await inlined.close();
  }
});

t.test("named() names a schema built elsewhere; the original stays anonymous", async (t) => {
  const Person = Type.Object({ name: Type.String(), age: Type.Optional(Type.Integer()) });
  const NamedPerson = named("Person", Person);
  t.notOk("$id" in Person, "the original is not changed");
  t.equal(NamedPerson.$id, "Person");
  const api = router();
  api.post("/people/", { sources: { person: Body(NamedPerson) }, response: { 201: NamedPerson }, status: 201 }, function add_person({ person }) {
    return { ...person, extra: true };
  });
  api.get("/people/", { response: { 200: Type.Object({ people: Type.Array(NamedPerson), anonymous: Type.Optional(Person) }) } }, () => ({ people: [{ name: "a", x: 1 }] }));
  const app = await appOf(api);
  t.teardown(() => app.close());
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(doc.components.schemas.Person, { title: "Person", type: "object", required: ["name"], properties: { name: { type: "string" }, age: { type: "integer" } } });
  t.strictSame(doc.paths["/people/"].post.requestBody.content["application/json"].schema, ref("Person"));
  t.strictSame(doc.paths["/people/"].post.responses["201"].content["application/json"].schema, ref("Person"));
  const list = doc.paths["/people/"].get.responses["200"].content["application/json"].schema as Json;
  t.strictSame(list.properties.people, { type: "array", items: ref("Person") });
  t.match(list.properties.anonymous, { type: "object", properties: { name: { type: "string" } } }, "the unnamed original stays inline");
  const created = await app.inject({ method: "POST", url: "/people/", payload: { name: "Ann", age: "x" } });
  t.equal(created.statusCode, 422, "validated as the original");
  const ok = await app.inject({ method: "POST", url: "/people/", payload: { name: "Ann" } });
  t.strictSame([ok.statusCode, ok.json()], [201, { name: "Ann" }]);
  t.strictSame((await app.inject("/people/")).json(), { people: [{ name: "a" }] });
  t.throws(() => named("not a name", Person), { code: "DEPENDS_INVALID_SCHEMA_NAME" });
});
