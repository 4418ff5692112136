// /openapi.json against FastAPI's own expected document for tutorial005 (shared/tutorial005_openapi.json,
// beside the repository): the security parts must be equal; the rest of the operations' shape too
// (paths, methods, parameters, request body types, statuses), and the component names with every
// $ref to them. Known differences are pinned in their own test.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { startApp } from "./support/server.js";

type Json = Record<string, any>;

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const guidePath = resolve(repoRoot, "../shared/tutorial005_openapi.json");

function loadGuide(): Json {
  if (!existsSync(guidePath)) {
    throw new Error(`FastAPI's expected document is missing: ${guidePath} (the shared/ folder must sit beside the repository)`);
  }
  return JSON.parse(readFileSync(guidePath, "utf8")) as Json;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const operations = (doc: Json): [string, Json][] =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) => METHODS.filter((m) => m in item).map((m): [string, Json] => [`${m.toUpperCase()} ${path}`, item[m]]));
const deref = (doc: Json, schema: Json): Json => (typeof schema.$ref === "string" ? doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")] : schema);

t.test("/openapi.json matches FastAPI's tutorial005 document", async (t) => {
  const guide = loadGuide();
  const app = await startApp(t);
  const response = await app.request("/openapi.json");
  t.equal(response.status, 200);
  const ours = (await response.json()) as Json;
  const guideOps = new Map(operations(guide));
  const ourOps = new Map(operations(ours));

  t.test("version and info", async (t) => {
    t.equal(ours.openapi, guide.openapi);
    t.strictSame(ours.info, guide.info);
  });

  t.test("components.securitySchemes: the OAuth2 password flow, tokenUrl `token`, the two scopes", async (t) => {
    t.strictSame(ours.components.securitySchemes, guide.components.securitySchemes);
    t.strictSame(ours.components.securitySchemes.OAuth2PasswordBearer.flows.password.scopes, {
      me: "Read information about the current user.",
      items: "Read items.",
    }, "control: the guide's file says what the issue says");
  });

  t.test("the same operations", async (t) => {
    t.strictSame([...ourOps.keys()].sort(), [...guideOps.keys()].sort());
  });

  t.test("each operation's security", async (t) => {
    for (const [name, op] of guideOps) t.strictSame(ourOps.get(name)?.security, op.security, name);
    t.strictSame(ourOps.get("GET /users/me/items/")?.security, [{ OAuth2PasswordBearer: ["items", "me"] }], "control: items before me");
    t.notOk("security" in (ourOps.get("POST /token") ?? {}), "/token has no security key at all");
    t.notOk("security" in ours, "no top-level security, as FastAPI");
  });

  t.test("parameters, request bodies, response statuses and summaries", async (t) => {
    for (const [name, op] of guideOps) {
      const mine = ourOps.get(name) ?? {};
      t.strictSame(mine.parameters ?? [], op.parameters ?? [], `${name}: parameters`);
      t.strictSame(Object.keys(mine.requestBody?.content ?? {}), Object.keys(op.requestBody?.content ?? {}), `${name}: request body content types`);
      t.equal(mine.requestBody?.required, op.requestBody?.required, `${name}: request body required`);
      t.strictSame(Object.keys(mine.responses ?? {}).sort(), Object.keys(op.responses).sort(), `${name}: response statuses`);
      t.equal(mine.summary, op.summary, `${name}: summary`);
      for (const [status, answer] of Object.entries(op.responses as Json)) {
        t.strictSame(Object.keys(mine.responses?.[status]?.content ?? {}), Object.keys((answer as Json).content ?? {}), `${name} ${status}: content types`);
      }
    }
    t.strictSame(ourOps.get("POST /token")?.responses?.["422"], guideOps.get("POST /token")?.responses?.["422"], "/token: the 422 response, $ref and all");
  });

  t.test("the /token form: same fields, same required ones, password fields marked", async (t) => {
    const schemaOf = (doc: Json) => deref(doc, doc.paths["/token"].post.requestBody.content["application/x-www-form-urlencoded"].schema);
    const [mine, theirs] = [schemaOf(ours), schemaOf(guide)];
    t.strictSame(Object.keys(mine.properties), Object.keys(theirs.properties), "field names in order");
    t.strictSame(mine.required, theirs.required);
    for (const field of ["password", "client_secret"]) t.equal(mine.properties[field].format, "password", `${field} is a password field`);
    t.equal(mine.properties.scope.default, "", "scope defaults to the empty string");
  });

  t.test("the validation error schemas", async (t) => {
    for (const name of ["HTTPValidationError", "ValidationError"]) t.strictSame(ours.components.schemas[name], guide.components.schemas[name], name);
  });

  // FastAPI's component names and every $ref to them: the example names its models with `$id`.
  t.test("components.schemas: FastAPI's names, used through the same $refs", async (t) => {
    t.strictSame(Object.keys(ours.components.schemas).sort(), Object.keys(guide.components.schemas).sort(), "User, Token, Body_login_for_access_token_token_post, HTTPValidationError, ValidationError");
    const refs = (doc: Json): string[] => [...JSON.stringify(doc.paths).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string).sort();
    t.strictSame(refs(ours), refs(guide), "the operations' $refs, one for one");
    for (const [name, op] of guideOps) {
      const mine = ourOps.get(name) ?? {};
      for (const [status, answer] of Object.entries(op.responses as Json)) {
        const theirs = (answer as Json).content?.["application/json"]?.schema as Json | undefined;
        if (theirs?.$ref !== undefined) t.strictSame(mine.responses?.[status]?.content?.["application/json"]?.schema, theirs, `${name} ${status}: ${theirs.$ref}`);
      }
    }
    t.strictSame(ours.paths["/token"].post.requestBody, guide.paths["/token"].post.requestBody, "/token's form body, $ref and all");
    for (const name of ["User", "Token", "Body_login_for_access_token_token_post"]) {
      const [mine, theirs] = [ours.components.schemas[name] as Json, guide.components.schemas[name] as Json];
      t.equal(mine.title, theirs.title, `${name}: title`);
      t.equal(mine.type, "object", `${name}: an object`);
      // The example's own schemas, described in docs/coming-from-fastapi.md ("The example app"):
      for (const field of Object.keys(theirs.properties)) t.ok(field in mine.properties, `${name}: has FastAPI's field ${field}`);
    }
  });

  // What still differs, on purpose (each one is a decision of the example or of the core, listed
  // in docs/coming-from-fastapi.md): pinned so that a change shows up here.
  t.test("the known differences in the named schemas", async (t) => {
    const { User, Token, Body_login_for_access_token_token_post: form } = ours.components.schemas as Json;
    const { User: theirUser, Token: theirToken, Body_login_for_access_token_token_post: theirForm } = guide.components.schemas as Json;
    // User: the guide's fields are optional (`str | None = None`); the example always sends them.
    t.strictSame(theirUser.required, ["username"]);
    t.strictSame(User.required, ["username", "email", "full_name", "disabled"]);
    t.strictSame(Object.keys(User.properties), Object.keys(theirUser.properties));
    // Token: RFC 6749's `scope` and `expires_in` besides the guide's two fields; no field titles.
    t.strictSame(Token.required, [...theirToken.required, "scope", "expires_in"]);
    t.strictSame(Object.keys(Token.properties), ["access_token", "token_type", "scope", "expires_in"]);
    t.notOk("title" in User.properties.username, "the example's fields carry no pydantic-style titles");
    // The form (the core's OAuth2PasswordRequestForm): the same fields and titles; its optional
    // fields are optional strings rather than `str | None`, a form field being text.
    t.strictSame(form.required, theirForm.required);
    for (const field of ["username", "password", "scope"]) t.strictSame(form.properties[field], theirForm.properties[field], `form ${field}: equal`);
    for (const field of ["grant_type", "client_id", "client_secret"]) {
      t.equal(form.properties[field].title, theirForm.properties[field].title, `form ${field}: title`);
      t.match(JSON.stringify(theirForm.properties[field]), /"type":"null"/, `form ${field}: FastAPI's is nullable`);
      t.equal(form.properties[field].type, "string", `form ${field}: ours is a string`);
    }
  });

  // The guide names its endpoints, and so does the example: the ids must be the same.
  t.test("operationIds", async (t) => {
    for (const [name, op] of guideOps) t.equal(ourOps.get(name)?.operationId, op.operationId, name);
  });
});
