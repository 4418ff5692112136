// FastAPI's webhooks (`app.webhooks`, OpenAPI 3.1's `webhooks` section): its
// tests/test_tutorial/test_openapi_webhooks/test_tutorial001.py and tests/test_webhooks_security.py
// reproduced, whole documents compared; then what a webhook declaration may hold and refuses.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Body, DeclarationError, Depends, dependency, Form, Header, Path, Security, SecurityScopes } from "@depends/core";
import { HTTPBearer, OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, type DependsPluginOptions, router, webhooks, type Webhooks } from "@depends/fastify";

type Json = Record<string, any>;

const Subscription = Type.Object(
  {
    username: Type.String({ title: "Username" }),
    monthly_fee: Type.Number({ title: "Monthly Fee" }),
    start_date: Type.String({ format: "date-time", title: "Start Date" }),
  },
  { $id: "Subscription" },
);

const DESCRIPTION =
  "When a new user subscribes to your service we'll send you a POST request with this\ndata to the URL that you register for the event `new-subscription` in the dashboard.";

async function appOf(hooks: Webhooks, api = router(), options: DependsPluginOptions = {}) {
  const app = Fastify();
  await app.register(dependsPlugin, options);
  await app.register(api.plugin());
  await app.register(hooks.plugin());
  await app.ready();
  return app;
}

const validationError = {
  properties: {
    ctx: { title: "Context", type: "object" },
    input: { title: "Input" },
    loc: { items: { anyOf: [{ type: "string" }, { type: "integer" }] }, type: "array", title: "Location" },
    msg: { type: "string", title: "Message" },
    type: { type: "string", title: "Error Type" },
  },
  type: "object",
  required: ["loc", "msg", "type"],
  title: "ValidationError",
};
const httpValidationError = {
  properties: { detail: { items: { $ref: "#/components/schemas/ValidationError" }, type: "array", title: "Detail" } },
  type: "object",
  title: "HTTPValidationError",
};
const subscriptionComponent = {
  properties: {
    username: { type: "string", title: "Username" },
    monthly_fee: { type: "number", title: "Monthly Fee" },
    start_date: { type: "string", format: "date-time", title: "Start Date" },
  },
  type: "object",
  required: ["username", "monthly_fee", "start_date"],
  title: "Subscription",
};
const newSubscription = (extra: Json = {}): Json => ({
  summary: "New Subscription",
  description: DESCRIPTION,
  operationId: "new_subscriptionnew_subscription_post",
  requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Subscription" } } }, required: true },
  responses: {
    "200": { description: "Successful Response", content: { "application/json": { schema: {} } } },
    "422": { description: "Validation Error", content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } } } },
  },
  ...extra,
});

t.test("FastAPI's openapi_webhooks tutorial001: a route and a webhook, the whole document", async (t) => {
  const hooks = webhooks();
  hooks.post("new-subscription", { sources: { body: Body(Subscription) }, description: DESCRIPTION }, function new_subscription() {});
  const api = router();
  api.get("/users/", function read_users() {
    return ["Rick", "Morty"];
  });
  const app = await appOf(hooks, api, { openapi: { info: { title: "FastAPI", version: "0.1.0" } } });
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/users/")).json(), ["Rick", "Morty"]);
  const response = await app.inject("/openapi.json");
  t.equal(response.statusCode, 200);
  t.strictSame(response.json(), {
    openapi: "3.1.0",
    info: { title: "FastAPI", version: "0.1.0" },
    paths: {
      "/users/": {
        get: {
          summary: "Read Users",
          operationId: "read_users_users__get",
          responses: { "200": { description: "Successful Response", content: { "application/json": { schema: {} } } } },
        },
      },
    },
    webhooks: { "new-subscription": { post: newSubscription() } },
    components: { schemas: { HTTPValidationError: httpValidationError, Subscription: subscriptionComponent, ValidationError: validationError } },
  });
  const webhook = await app.inject({ method: "POST", url: "/new-subscription", payload: {} });
  t.equal(webhook.statusCode, 404, "a webhook is documentation: nothing is routed");
  t.strictSame((await app.inject("/docs/json")).json(), response.json(), "Swagger UI reads the same document");
});

t.test("FastAPI's test_webhooks_security: the security of a Security(...) source", async (t) => {
  const bearer = new HTTPBearer();
  const hooks = webhooks();
  hooks.post("new-subscription", { sources: { body: Body(Subscription), token: Security(bearer) }, description: DESCRIPTION }, function new_subscription() {});
  const app = await appOf(hooks, router(), { openapi: { info: { title: "FastAPI", version: "0.1.0" } } });
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/openapi.json")).json(), {
    openapi: "3.1.0",
    info: { title: "FastAPI", version: "0.1.0" },
    paths: {},
    webhooks: { "new-subscription": { post: newSubscription({ security: [{ HTTPBearer: [] }] }) } },
    components: {
      schemas: { HTTPValidationError: httpValidationError, Subscription: subscriptionComponent, ValidationError: validationError },
      securitySchemes: { HTTPBearer: { type: "http", scheme: "bearer" } },
    },
  });
});

t.test("scopes, parameters, form bodies, responses and options, as routes document them", async (t) => {
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { items: "Read items.", me: "Read me." } });
  const receiver = dependency({ scopes: SecurityScopes, token: Depends(oauth2) }, function get_receiver({ token }) {
    return token;
  });
  const Ack = Type.Object({ ok: Type.Boolean() }, { $id: "Ack" });
  const hooks = webhooks();
  hooks.post("item-created", {
    sources: { receiver: Security(receiver, { scopes: ["items"] }), signature: Header(Type.String(), { description: "HMAC of the body" }), name: Form(Type.String()), price: Form(Type.Number()) },
    dependencies: [Security(receiver, { scopes: ["me"] })],
    response: { 200: Ack },
    tags: ["items"],
    summary: "Item created",
    deprecated: true,
  });
  hooks.delete("item-deleted", { sources: { id: Header(Type.Integer()) }, status: 204, operationId: "itemDeleted" }, function itemDeleted() {});
  hooks.put("hidden", { sources: { body: Body(Type.Object({ x: Type.String() }, { $id: "Hidden" })) }, includeInSchema: false });
  hooks.webhook({ method: "PATCH", webhook: "item-created", sources: { body: Body(Type.Array(Subscription)) } });
  const app = await appOf(hooks);
  t.teardown(() => app.close());
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(Object.keys(doc.webhooks).sort(), ["item-created", "item-deleted"]);
  const created = doc.webhooks["item-created"].post as Json;
  t.strictSame(created.security, [{ OAuth2PasswordBearer: ["me", "items"] }], "one requirement, scopes in accumulation order");
  t.strictSame(created.parameters, [{ name: "signature", in: "header", required: true, schema: { type: "string" }, description: "HMAC of the body" }]);
  t.strictSame(created.requestBody, { content: { "application/x-www-form-urlencoded": { schema: { $ref: "#/components/schemas/Body_item_createditem_created_post" } } }, required: true });
  t.strictSame(doc.components.schemas.Body_item_createditem_created_post, {
    title: "Body_item_createditem_created_post",
    type: "object",
    properties: { name: { type: "string" }, price: { type: "number" } },
    required: ["name", "price"],
  });
  t.strictSame(created.responses["200"], { description: "Successful Response", content: { "application/json": { schema: { $ref: "#/components/schemas/Ack" } } } });
  t.ok(created.responses["422"]);
  t.strictSame([created.summary, created.tags, created.deprecated, created.operationId], ["Item created", ["items"], true, "item_createditem_created_post"]);
  t.strictSame(doc.webhooks["item-created"].patch.requestBody.content["application/json"].schema, { type: "array", items: { $ref: "#/components/schemas/Subscription" } });
  const deleted = doc.webhooks["item-deleted"].delete as Json;
  t.strictSame([deleted.summary, deleted.operationId, deleted.responses["204"]], ["Item Deleted", "itemDeleted", { description: "Successful Response" }]);
  t.notOk("security" in deleted);
  t.strictSame(doc.components.securitySchemes.OAuth2PasswordBearer.flows.password.scopes, { items: "Read items.", me: "Read me." }, "a scheme only webhooks use is a component");
  t.notOk(doc.components.schemas.Hidden, "a webhook left out of the document names nothing");
  t.strictSame(doc.paths, {});
  t.notMatch(JSON.stringify(doc), /x-depends|"\$id"/);
});

t.test("declaration mistakes fail at registration", async (t) => {
  const conflict = webhooks();
  conflict.post("new-subscription", { body: Body(Type.Object({ other: Type.String() }, { $id: "Subscription" })) });
  const api = router();
  api.post("/subscriptions/", { body: Body(Subscription) }, () => null);
  const error = await appOf(conflict, api).then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof DeclarationError);
  t.match(error, { code: "DEPENDS_SCHEMA_NAME_CONFLICT", message: /POST \/subscriptions\/.*POST new-subscription \(webhook\)/ });

  const twice = webhooks();
  twice.post("a", () => {});
  twice.post("a", { body: Body(Type.String()) });
  await t.rejects(appOf(twice), { code: "DEPENDS_DUPLICATE_WEBHOOK" });

  const old = webhooks();
  old.post("a", { body: Body(Subscription) });
  await t.rejects(appOf(old, router(), { openapi: { openapi: "3.0.3" } }), { code: "DEPENDS_WEBHOOK_OPENAPI_VERSION", message: /3\.0\.3.*3\.1/ });

  const path = webhooks();
  path.post("a", { id: Path(Type.String()) });
  await t.rejects(appOf(path), { code: "DEPENDS_UNKNOWN_PATH_PARAM" });

  const mixed = webhooks();
  mixed.post("a", { body: Body(Type.String()), field: Form(Type.String()) });
  await t.rejects(appOf(mixed), { code: "DEPENDS_BODY_AND_FORM" });

  t.throws(() => webhooks().post("a", { body: Body(Type.String()), summary: "x", nope: 1 } as never), { code: "DEPENDS_UNKNOWN_ROUTE_OPTION" });
  t.throws(() => webhooks().post("", {}), { code: "DEPENDS_INVALID_ROUTE_ARGUMENTS" });
  t.throws(() => webhooks().post("a", {}, "not a function" as never), { code: "DEPENDS_INVALID_HANDLER" });

  // Without the plugin's document, webhooks are still checked, and documented nowhere.
  const quiet = webhooks();
  quiet.post("a", { body: Body(Subscription) });
  const app = await appOf(quiet, router(), { openapi: false });
  t.equal((await app.inject("/openapi.json")).statusCode, 404);
  await app.close();
});
