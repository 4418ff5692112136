// FastAPI's "OAuth2 scopes" guide (docs_src/security/tutorial005) mounted on fastify: the OpenAPI
// document's security parts and named schemas must equal FastAPI's own test expectation.
import { existsSync, readFileSync } from "node:fs";
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Depends, dependency, HTTPException, Security, SecurityScopes } from "@depends/core";
import { OAuth2PasswordBearer, OAuth2PasswordRequestForm } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";

type Json = Record<string, any>;

// The parts of FastAPI's expected document (tests/test_tutorial/test_security/test_tutorial005.py)
// that the adapter controls, copied so that the test stands alone; the last test checks the copy
// against the project's shared copy of the whole document when it is there.
const validation422 = { description: "Validation Error", content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } } } };
const operation = (summary: string, operationId: string, statuses: Json, security?: Json[]): Json => ({
  responses: statuses, summary, operationId, ...(security ? { security } : {}),
});
const ok = (schema: Json = {}): Json => ({ description: "Successful Response", content: { "application/json": { schema } } });
const expected: Json = {
  openapi: "3.1.0",
  info: { title: "FastAPI", version: "0.1.0" },
  paths: {
    "/token": { post: operation("Login For Access Token", "login_for_access_token_token_post", { "200": ok({ $ref: "#/components/schemas/Token" }), "422": validation422 }) },
    "/users/me/": { get: operation("Read Users Me", "read_users_me_users_me__get", { "200": ok({ $ref: "#/components/schemas/User" }) }, [{ OAuth2PasswordBearer: ["me"] }]) },
    "/users/me/items/": { get: operation("Read Own Items", "read_own_items_users_me_items__get", { "200": ok() }, [{ OAuth2PasswordBearer: ["items", "me"] }]) },
    "/status/": { get: operation("Read System Status", "read_system_status_status__get", { "200": ok() }, [{ OAuth2PasswordBearer: [] }]) },
  },
  components: {
    schemas: {
      User: {
        title: "User",
        required: ["username"],
        type: "object",
        properties: {
          username: { title: "Username", type: "string" },
          email: { title: "Email", anyOf: [{ type: "string" }, { type: "null" }] },
          full_name: { title: "Full Name", anyOf: [{ type: "string" }, { type: "null" }] },
          disabled: { title: "Disabled", anyOf: [{ type: "boolean" }, { type: "null" }] },
        },
      },
      Token: {
        title: "Token",
        required: ["access_token", "token_type"],
        type: "object",
        properties: { access_token: { title: "Access Token", type: "string" }, token_type: { title: "Token Type", type: "string" } },
      },
      Body_login_for_access_token_token_post: {
        title: "Body_login_for_access_token_token_post",
        required: ["username", "password"],
        type: "object",
        properties: {
          grant_type: { title: "Grant Type", anyOf: [{ pattern: "^password$", type: "string" }, { type: "null" }] },
          username: { title: "Username", type: "string" },
          password: { title: "Password", type: "string", format: "password" },
          scope: { title: "Scope", type: "string", default: "" },
          client_id: { title: "Client Id", anyOf: [{ type: "string" }, { type: "null" }] },
          client_secret: { title: "Client Secret", anyOf: [{ type: "string" }, { type: "null" }], format: "password" },
        },
      },
      ValidationError: {
        title: "ValidationError",
        required: ["loc", "msg", "type"],
        type: "object",
        properties: {
          loc: { title: "Location", type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
          msg: { title: "Message", type: "string" },
          type: { title: "Error Type", type: "string" },
          input: { title: "Input" },
          ctx: { title: "Context", type: "object" },
        },
      },
      HTTPValidationError: {
        title: "HTTPValidationError",
        type: "object",
        properties: { detail: { title: "Detail", type: "array", items: { $ref: "#/components/schemas/ValidationError" } } },
      },
    },
    securitySchemes: {
      OAuth2PasswordBearer: {
        type: "oauth2",
        flows: { password: { scopes: { me: "Read information about the current user.", items: "Read items." }, tokenUrl: "token" } },
      },
    },
  },
};

const User = Type.Object({
  username: Type.String({ title: "Username" }),
  email: Type.Optional(Type.Union([Type.String(), Type.Null()], { title: "Email" })),
  full_name: Type.Optional(Type.Union([Type.String(), Type.Null()], { title: "Full Name" })),
  disabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { title: "Disabled" })),
}, { $id: "User" });
const Token = Type.Object({ access_token: Type.String({ title: "Access Token" }), token_type: Type.String({ title: "Token Type" }) }, { $id: "Token" });

const users: Record<string, { username: string; full_name: string; email: string; hashed_password: string; disabled: boolean; scopes: string[] }> = {
  johndoe: { username: "johndoe", full_name: "John Doe", email: "johndoe@example.com", hashed_password: "secret", disabled: false, scopes: [] },
};

async function guideApp(openapi: { inlineSchemas?: boolean } = {}) {
  const oauth2Scheme = new OAuth2PasswordBearer({
    tokenUrl: "token",
    scopes: { me: "Read information about the current user.", items: "Read items." },
  });
  // Tokens are "<username>:<space-separated scopes>": the test pins wiring, not JWT.
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, function get_current_user({ securityScopes, token }) {
    const authenticate = securityScopes.scopes.length ? `Bearer scope="${securityScopes.scopeStr}"` : "Bearer";
    const [name = "", granted = ""] = token.split(":");
    const user = users[name];
    if (!user) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": authenticate });
    for (const scope of securityScopes.scopes) {
      if (!granted.split(" ").includes(scope)) throw new HTTPException(401, "Not enough permissions", { "WWW-Authenticate": authenticate });
    }
    return user;
  });
  const getCurrentActiveUser = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, function get_current_active_user({ currentUser }) {
    if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
    return currentUser;
  });

  const api = router();
  api.post("/token", { sources: { form: Depends(OAuth2PasswordRequestForm) }, response: { 200: Token } }, function login_for_access_token({ form }) {
    const user = users[form.username];
    if (!user || user.hashed_password !== form.password) throw new HTTPException(400, "Incorrect username or password");
    return { access_token: `${user.username}:${form.scopes.join(" ")}`, token_type: "bearer" };
  });
  api.get("/users/me/", { sources: { currentUser: Depends(getCurrentActiveUser) }, response: { 200: User } }, function read_users_me({ currentUser }) {
    return currentUser;
  });
  api.get("/users/me/items/", { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) }, function read_own_items({ currentUser }) {
    return [{ item_id: "Foo", owner: currentUser.username }];
  });
  api.get("/status/", { currentUser: Depends(getCurrentUser) }, function read_system_status() {
    return { status: "ok" };
  });

  const app = Fastify();
  await app.register(dependsPlugin, { openapi: { info: { title: "FastAPI", version: "0.1.0" }, ...openapi } });
  await app.register(api.plugin());
  await app.ready();
  return app;
}

t.test("the document's security equals FastAPI's for every guide route", async (t) => {
  const app = await guideApp();
  t.teardown(() => app.close());
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.equal(doc.openapi, "3.1.0");
  t.strictSame(doc.info, expected.info);
  t.strictSame(doc.components.securitySchemes, expected.components.securitySchemes);
  t.strictSame(Object.keys(doc.paths).sort(), Object.keys(expected.paths).sort());
  for (const [path, item] of Object.entries(expected.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      const ours = doc.paths[path]?.[method] as Json | undefined;
      t.ok(ours, `${method} ${path} is documented`);
      t.strictSame(ours?.security, (operation as Json).security, `${method} ${path} security`);
      t.equal(ours?.summary, (operation as Json).summary, `${method} ${path} summary`);
      t.equal(ours?.operationId, (operation as Json).operationId, `${method} ${path} operationId`);
      t.equal("parameters" in (ours ?? {}), "parameters" in (operation as Json), `${method} ${path} parameters (none)`);
      t.strictSame(Object.keys(ours?.responses ?? {}).sort(), Object.keys((operation as Json).responses).sort(), `${method} ${path} response statuses`);
      t.equal(ours?.responses?.["200"]?.description, "Successful Response");
    }
  }
  t.strictSame(doc.components.schemas.HTTPValidationError, expected.components.schemas.HTTPValidationError);
  t.strictSame(doc.components.schemas.ValidationError, expected.components.schemas.ValidationError);
  t.strictSame(doc.paths["/token"].post.responses["422"], expected.paths["/token"].post.responses["422"]);
});

t.test("bodies are components with FastAPI's names, used through the same $refs", async (t) => {
  const app = await guideApp();
  t.teardown(() => app.close());
  const doc = (await app.inject("/openapi.json")).json() as Json;
  const body = doc.paths["/token"].post.requestBody as Json;
  t.strictSame(body, { required: true, content: { "application/x-www-form-urlencoded": { schema: { $ref: "#/components/schemas/Body_login_for_access_token_token_post" } } } });
  for (const [path, method] of [["/token", "post"], ["/users/me/", "get"], ["/users/me/items/", "get"], ["/status/", "get"]] as const) {
    t.strictSame(doc.paths[path][method].responses, expected.paths[path][method].responses, `${method} ${path} responses, $refs and all`);
  }
  t.strictSame(Object.keys(doc.components.schemas).sort(), Object.keys(expected.components.schemas).sort(), "the same component names");
  t.strictSame(doc.components.schemas.User, expected.components.schemas.User, "User, as FastAPI writes it");
  t.strictSame(doc.components.schemas.Token, expected.components.schemas.Token, "Token, as FastAPI writes it");
  // The password form: FastAPI's title, fields, titles, formats and default. Its optional fields are
  // `str | None` in FastAPI (`anyOf` with null); here they are optional strings, as a form field
  // is text and can never be null.
  const form = doc.components.schemas.Body_login_for_access_token_token_post as Json;
  const fastapiForm = expected.components.schemas.Body_login_for_access_token_token_post as Json;
  t.strictSame({ ...form, properties: undefined }, { ...fastapiForm, properties: undefined });
  t.strictSame(Object.keys(form.properties), Object.keys(fastapiForm.properties), "field names in FastAPI's order");
  for (const field of ["username", "password", "scope"]) t.strictSame(form.properties[field], fastapiForm.properties[field], field);
  t.strictSame(form.properties.grant_type, { title: "Grant Type", type: "string", pattern: "^password$" });
  t.strictSame(form.properties.client_id, { title: "Client Id", type: "string" });
  t.strictSame(form.properties.client_secret, { title: "Client Secret", type: "string", format: "password" });
  t.strictSame(doc.paths["/status/"].get.responses["200"].content["application/json"].schema, {});
});

t.test("inlineSchemas: every schema where it is used, no component but FastAPI's validation errors", async (t) => {
  const app = await guideApp({ inlineSchemas: true });
  t.teardown(() => app.close());
  const doc = (await app.inject("/openapi.json")).json() as Json;
  t.strictSame(Object.keys(doc.components.schemas).sort(), ["HTTPValidationError", "ValidationError"]);
  const { title: _user, ...user } = expected.components.schemas.User as Json;
  t.strictSame(doc.paths["/users/me/"].get.responses["200"].content["application/json"].schema, user, "User inline, without $id or title");
  const form = doc.paths["/token"].post.requestBody.content["application/x-www-form-urlencoded"].schema as Json;
  t.strictSame(form.required, ["username", "password"]);
  t.notOk("$id" in form || "title" in form);
  t.notMatch(JSON.stringify(doc), /"\$id"|"\$ref":"#\/components\/schemas\/(User|Token|Body_)/);
});

t.test("the guide's flow works end to end through fastify", async (t) => {
  const app = await guideApp();
  t.teardown(() => app.close());
  const token = await app.inject({ method: "POST", url: "/token", payload: "username=johndoe&password=secret&scope=me items", headers: { "content-type": "application/x-www-form-urlencoded" } });
  t.equal(token.statusCode, 200);
  const { access_token } = token.json() as { access_token: string };
  const me = await app.inject({ url: "/users/me/", headers: { authorization: `Bearer ${access_token}` } });
  t.strictSame(me.json(), { username: "johndoe", full_name: "John Doe", email: "johndoe@example.com", disabled: false }, "hashed_password and scopes are dropped");
  const items = await app.inject({ url: "/users/me/items/", headers: { authorization: `Bearer ${access_token}` } });
  t.strictSame(items.json(), [{ item_id: "Foo", owner: "johndoe" }]);
  const meOnly = await app.inject({ url: "/users/me/items/", headers: { authorization: "Bearer johndoe:me" } });
  t.equal(meOnly.statusCode, 401);
  t.strictSame(meOnly.json(), { detail: "Not enough permissions" });
  t.equal(meOnly.headers["www-authenticate"], 'Bearer scope="items me"');
  const anonymous = await app.inject("/status/");
  t.equal(anonymous.statusCode, 401);
  t.strictSame(anonymous.json(), { detail: "Not authenticated" });
  t.equal(anonymous.headers["www-authenticate"], "Bearer");
  const redirect = await app.inject({ url: "/users/me", headers: { authorization: `Bearer ${access_token}` } });
  t.equal(redirect.statusCode, 307, "FastAPI's tests rely on /users/me redirecting to /users/me/");
  t.equal(redirect.headers.location, "/users/me/");
});

t.test("Swagger UI is served offline at /docs with the document", async (t) => {
  const app = await guideApp();
  t.teardown(() => app.close());
  const page = await app.inject("/docs/");
  t.equal(page.statusCode, 200);
  t.match(page.headers["content-type"], /text\/html/);
  const init = await app.inject("/docs/static/swagger-initializer.js");
  t.match(init.body, /"persistAuthorization":true/);
  t.notMatch(init.body, /clientId/);
  const bundle = await app.inject("/docs/static/swagger-ui-bundle.js");
  t.equal(bundle.statusCode, 200, "assets come from the package, not a CDN");
  const json = (await app.inject("/docs/json")).json() as Json;
  t.strictSame(json.components.securitySchemes, expected.components.securitySchemes);
});

const shared = new URL("../../../../shared/tutorial005_openapi.json", import.meta.url);
t.test("the copied expectation matches the project's copy of FastAPI's document", { skip: !existsSync(shared) && "../shared/tutorial005_openapi.json is not here" }, async (t) => {
  const fastapi = JSON.parse(readFileSync(shared, "utf8")) as Json;
  t.strictSame(fastapi.info, expected.info);
  t.strictSame(fastapi.components.securitySchemes, expected.components.securitySchemes);
  t.strictSame(fastapi.components.schemas.ValidationError, expected.components.schemas.ValidationError);
  t.strictSame(fastapi.components.schemas.HTTPValidationError, expected.components.schemas.HTTPValidationError);
  for (const [path, item] of Object.entries(expected.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const theirs = fastapi.paths[path][method] as Json;
      for (const key of ["summary", "operationId", "security"]) t.strictSame(theirs[key], (op as Json)[key], `${method} ${path} ${key}`);
      t.strictSame(theirs.responses, (op as Json).responses, `${method} ${path} responses`);
    }
  }
  t.strictSame(fastapi.components.schemas, expected.components.schemas, "every component schema");
});
