// /openapi.json against FastAPI's own expected document for tutorial005 (shared/tutorial005_openapi.json,
// beside the repository): the security parts must be equal; the rest of the operations' shape too
// (paths, methods, parameters, request body types, statuses). Known differences are listed last.
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

  // The guide names its endpoints, and so does the example: the ids must be the same.
  t.test("operationIds", async (t) => {
    for (const [name, op] of guideOps) t.equal(ourOps.get(name)?.operationId, op.operationId, name);
  });
});
