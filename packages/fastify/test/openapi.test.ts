// The OpenAPI document: parameters, bodies and responses from the routes' sources and schemas,
// security from their dependency trees (AND in one requirement object), only used schemes.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Body, Cookie, Depends, dependency, Form, Header, Path, Query, Security } from "@depends/core";
import { APIKeyHeader, HTTPBearer, OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router, type DependsPluginOptions } from "@depends/fastify";

type Json = Record<string, any>;

async function documentOf(api: ReturnType<typeof router>, options: DependsPluginOptions = {}): Promise<Json> {
  const app = Fastify();
  await app.register(dependsPlugin, options);
  await app.register(api.plugin());
  await app.ready();
  const doc = app.swagger() as Json;
  await app.close();
  return doc;
}

t.test("parameters in FastAPI's order, with their schemas and requiredness", async (t) => {
  const api = router();
  const paging = dependency({ limit: Query(Type.Integer({ maximum: 100 }), { default: 10, description: "Page size" }) }, ({ limit }) => limit);
  api.get("/items/{itemId}", {
    itemId: Path(Type.Integer()),
    q: Query(Type.String(), { required: false }),
    limit: Depends(paging),
    x_token: Header(Type.String()),
    session: Cookie(Type.String()),
  }, function read_item() {
    return {};
  });
  const doc = await documentOf(api);
  const op = doc.paths["/items/{itemId}"].get;
  t.strictSame(op.parameters.map((p: Json) => [p.in, p.name, p.required]), [
    ["path", "itemId", true],
    ["query", "q", false],
    ["query", "limit", false],
    ["header", "x-token", true],
    ["cookie", "session", true],
  ]);
  t.match(op.parameters[2], { schema: { type: "integer", maximum: 100, default: 10 }, description: "Page size" });
  t.strictSame(Object.keys(op.responses), ["200", "422"], "FastAPI's 422 for routes that read the request");
  t.equal(op.operationId, "read_item_items__itemId__get");
});

t.test("JSON bodies: required or not; forms as application/x-www-form-urlencoded", async (t) => {
  const Item = Type.Object({ name: Type.String(), price: Type.Number() });
  const api = router();
  api.post("/items/", { item: Body(Item) }, ({ item }) => item);
  api.put("/items/", { item: Body(Item, { required: false }) }, ({ item }) => item ?? null);
  api.post("/login", { username: Form(Type.String()), password: Form(Type.String({ format: "password" })) }, ({ username }) => username);
  for (const inlineSchemas of [false, true]) {
    const doc = await documentOf(api, { openapi: { inlineSchemas } });
    t.match(doc.paths["/items/"].post.requestBody, { required: true, content: { "application/json": { schema: { type: "object", required: ["name", "price"] } } } });
    t.match(doc.paths["/items/"].put.requestBody, { required: false, content: { "application/json": { schema: { type: "object" } } } });
    const login = doc.paths["/login"].post.requestBody;
    t.strictSame(Object.keys(login.content), ["application/x-www-form-urlencoded"]);
    // FastAPI names a form body (or one of several fields) Body_<operationId>; inlined on request.
    const schema = login.content["application/x-www-form-urlencoded"].schema;
    if (!inlineSchemas) t.strictSame(schema, { $ref: "#/components/schemas/Body_login_post" });
    const form = inlineSchemas ? schema : doc.components.schemas.Body_login_post;
    t.match(form, { required: ["username", "password"], properties: { password: { format: "password" } } });
    t.equal(form.title, inlineSchemas ? undefined : "Body_login_post");
  }
});

t.test("responses: declared schemas by status, FastAPI's descriptions, no body for 204", async (t) => {
  const User = Type.Object({ name: Type.String() });
  const api = router();
  api.post("/users/", { sources: {}, status: 201, response: { 201: User, 409: Type.Object({ detail: Type.String() }) }, responseDescription: "The new user" }, () => ({ name: "x" }));
  api.delete("/users/{id}", { sources: { id: Path(Type.String()) }, status: 204 }, () => undefined);
  api.get("/plain", () => "x");
  const doc = await documentOf(api);
  const created = doc.paths["/users/"].post.responses;
  t.strictSame(Object.keys(created).sort(), ["201", "409"]);
  t.equal(created["201"].description, "The new user");
  t.match(created["201"].content["application/json"].schema, { type: "object", properties: { name: { type: "string" } } });
  t.notOk("x-response-description" in created["201"].content["application/json"].schema);
  t.equal(created["409"].description, "Conflict");
  const deleted = doc.paths["/users/{id}"].delete.responses;
  t.strictSame(deleted["204"], { description: "Successful Response" });
  t.strictSame(doc.paths["/plain"].get.responses, { "200": { description: "Successful Response", content: { "application/json": { schema: {} } } } });
});

t.test("security: AND of several schemes in one requirement object, only used schemes listed", async (t) => {
  const apiKey = new APIKeyHeader({ name: "x-key" });
  const bearer = new HTTPBearer();
  const unused = new OAuth2PasswordBearer({ tokenUrl: "token" });
  const api = router();
  api.get("/both", { sources: { key: Depends(apiKey), token: Depends(bearer) } }, () => "ok");
  api.get("/key", { dependencies: [Depends(apiKey)] }, () => "ok");
  api.get("/open", () => "ok");
  const hiddenUser = dependency({ token: Depends(unused) }, ({ token }) => token);
  api.get("/hidden", { sources: { user: Security(hiddenUser) }, includeInSchema: false }, () => "ok");
  const doc = await documentOf(api);
  t.strictSame(doc.paths["/both"].get.security, [{ APIKeyHeader: [], HTTPBearer: [] }], "both are required: one object (fastapi #2835)");
  t.strictSame(doc.paths["/key"].get.security, [{ APIKeyHeader: [] }]);
  t.notOk("security" in doc.paths["/open"].get);
  t.notOk("/hidden" in doc.paths);
  t.strictSame(doc.components.securitySchemes, { APIKeyHeader: { type: "apiKey", in: "header", name: "x-key" }, HTTPBearer: { type: "http", scheme: "bearer" } });
  t.notOk(doc.paths["/both"].get.parameters, "credentials read by schemes are not parameters");
});

t.test("summaries, descriptions, tags, deprecation and operation ids", async (t) => {
  const api = router({ tags: ["items"] });
  api.get("/items/", { sources: {}, summary: "List", description: "All of them", tags: ["public", "items"], deprecated: true, operationId: "listItems" }, () => []);
  api.get("/camel/", function readOwnItems() {
    return [];
  });
  const doc = await documentOf(api);
  t.match(doc.paths["/items/"].get, { summary: "List", description: "All of them", tags: ["items", "public"], deprecated: true, operationId: "listItems" });
  t.match(doc.paths["/camel/"].get, { summary: "Read Own Items", operationId: "read_own_items_camel__get" });
});

t.test("document options: info, path, and what is empty is left out", async (t) => {
  const api = router();
  api.get("/ping", () => "pong");
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: { info: { title: "Pinger", version: "2.0.0" }, path: "/spec.json", servers: [{ url: "https://api.example" }] }, docs: false });
  await app.register(api.plugin());
  t.teardown(() => app.close());
  const doc = (await app.inject("/spec.json")).json() as Json;
  t.strictSame(doc.info, { title: "Pinger", version: "2.0.0" });
  t.strictSame(doc.servers, [{ url: "https://api.example" }]);
  t.notOk("components" in doc, "no schemes, no validation schemas: no components");
  t.notOk("/spec.json" in doc.paths, "the document does not document itself");
  t.equal((await app.inject("/openapi.json")).statusCode, 404);
  t.equal((await app.inject("/docs/")).statusCode, 404);
  const yaml = app.swagger({ yaml: true });
  t.match(yaml, /title: Pinger/);
});

t.test("openapi: false registers no document", async (t) => {
  const api = router();
  api.get("/ping", () => "pong");
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  t.teardown(() => app.close());
  t.equal((await app.inject("/openapi.json")).statusCode, 404);
  t.equal((await app.inject("/ping")).body, '"pong"');
});

t.test("routes that share security are documented with their own copies: the YAML has no anchors", async (t) => {
  const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { items: "Read items." } });
  const user = dependency({ token: Depends(scheme) }, ({ token }) => token);
  const api = router({ tags: ["items"] });
  api.get("/a", { user: Security(user, { scopes: ["items"] }) }, function readA() { return 1; });
  api.get("/b", { user: Security(user, { scopes: ["items"] }) }, function readB() { return 2; });
  const app = Fastify();
  await app.register(dependsPlugin, { docs: false });
  await app.register(api.plugin());
  t.teardown(() => app.close());
  await app.ready();
  const doc = app.swagger() as Json;
  t.strictSame(doc.paths["/a"].get.security, [{ OAuth2PasswordBearer: ["items"] }]);
  t.strictSame(doc.paths["/b"].get.security, [{ OAuth2PasswordBearer: ["items"] }]);
  t.not(doc.paths["/a"].get.security, doc.paths["/b"].get.security);
  t.not(doc.paths["/a"].get.tags, doc.paths["/b"].get.tags);
  const yaml = app.swagger({ yaml: true }) as unknown as string;
  t.notMatch(yaml, /[&*]a\d/, "no YAML anchors or aliases");
  t.match(yaml, /OAuth2PasswordBearer:\n\s+- items/);
});
