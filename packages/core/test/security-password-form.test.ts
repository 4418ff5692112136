import t from "tap";
import { compileRoute, createRequest, Depends, isDependency, RequestValidationError } from "@depends/core";
import { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict } from "@depends/core/security";
import { rejection } from "./security-helpers.js";

const loginRoute = compileRoute({ method: "POST", path: "/token", sources: { form: Depends(OAuth2PasswordRequestForm) }, handler: ({ form }) => form });
const strictRoute = compileRoute({ method: "POST", path: "/token", sources: { form: Depends(OAuth2PasswordRequestFormStrict) }, handler: ({ form }) => form });

const login = (body: unknown) => loginRoute.execute(createRequest({ method: "POST", url: "/token", body }));
const strict = (body: unknown) => strictRoute.execute(createRequest({ method: "POST", url: "/token", body }));

async function errorsOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await rejection(promise);
  return error instanceof RequestValidationError ? error.errors : error;
}

const missing = (field: string) => ({ type: "missing", loc: ["body", field], msg: "Field required", input: null });
const patternMismatch = (input: string) => ({
  type: "string_pattern_mismatch",
  loc: ["body", "grant_type"],
  msg: "String should match pattern '^password$'",
  input,
  ctx: { pattern: "^password$" },
});

t.test("the forms are dependencies", async (t) => {
  t.ok(isDependency(OAuth2PasswordRequestForm));
  t.ok(isDependency(OAuth2PasswordRequestFormStrict));
});

t.test("a complete form", async (t) => {
  const body = { grant_type: "password", username: "johndoe", password: "secret", scope: "me items", client_id: "cid", client_secret: "csecret" };
  const expected = { grantType: "password", username: "johndoe", password: "secret", scopes: ["me", "items"], clientId: "cid", clientSecret: "csecret", clientCredentialsFrom: "body" };
  t.strictSame(await login(body), expected);
  t.strictSame(await strict(body), expected);
});

t.test("the minimal form", async (t) => {
  t.strictSame(await login({ username: "johndoe", password: "secret" }), {
    grantType: undefined, username: "johndoe", password: "secret", scopes: [], clientId: undefined, clientSecret: undefined, clientCredentialsFrom: undefined,
  });
});

t.test("grant_type: optional, but ^password$ when sent", async (t) => {
  const base = { username: "u", password: "p" };
  t.equal((await login({ ...base, grant_type: "password" })).grantType, "password");
  t.equal((await login({ ...base, grant_type: "" })).grantType, undefined, "empty counts as not sent");
  t.strictSame(await errorsOf(login({ ...base, grant_type: "foo" })), [patternMismatch("foo")]);
  t.strictSame(await errorsOf(login({ ...base, grant_type: "passwordblah" })), [patternMismatch("passwordblah")], "anchored pattern");
  t.strictSame(await errorsOf(login({ ...base, grant_type: "client_credentials" })), [patternMismatch("client_credentials")]);
});

t.test("Strict: grant_type required", async (t) => {
  t.strictSame(await errorsOf(strict({ username: "u", password: "p" })), [missing("grant_type")]);
  t.strictSame(await errorsOf(strict({ username: "u", password: "p", grant_type: "" })), [missing("grant_type")], "empty counts as missing");
  t.strictSame(await errorsOf(strict({ username: "u", password: "p", grant_type: "foo" })), [patternMismatch("foo")]);
});

t.test("no body: every required field missing, in field order", async (t) => {
  t.strictSame(await errorsOf(strict(undefined)), [missing("grant_type"), missing("username"), missing("password")]);
  t.strictSame(await errorsOf(login(undefined)), [missing("username"), missing("password")]);
  t.strictSame(await errorsOf(login({})), [missing("username"), missing("password")], "an empty form (what a JSON body leaves) is the same");
});

t.test("username and password: required, empty counts as missing", async (t) => {
  t.strictSame(await errorsOf(login({ username: "", password: "p" })), [missing("username")]);
  t.strictSame(await errorsOf(login({ username: "u", password: "" })), [missing("password")]);
  t.strictSame(await errorsOf(login({ username: "u" })), [missing("password")]);
  t.strictSame(await errorsOf(login({ password: "p" })), [missing("username")]);
  t.strictSame(await errorsOf(strict({ grant_type: "password", username: "", password: "" })), [missing("username"), missing("password")]);
  t.equal((await login({ username: " ", password: " " })).username, " ", "whitespace is a value");
});

t.test("scope: default '', split on any whitespace", async (t) => {
  const scopesOf = async (scope: string | undefined) => (await login({ username: "u", password: "p", ...(scope === undefined ? {} : { scope }) })).scopes;
  t.strictSame(await scopesOf(undefined), []);
  t.strictSame(await scopesOf(""), []);
  t.strictSame(await scopesOf("me"), ["me"]);
  t.strictSame(await scopesOf("me items"), ["me", "items"]);
  t.strictSame(await scopesOf("  me \t items\n"), ["me", "items"], "runs of whitespace, leading and trailing");
  t.strictSame(await scopesOf("   "), [], "only whitespace");
  t.strictSame(await scopesOf("me me"), ["me", "me"], "kept as sent: checking them is the app's job, as in FastAPI");
  t.ok(Object.isFrozen(await scopesOf("me")));
});

t.test("client_id and client_secret: optional, empty counts as missing", async (t) => {
  const form = (await login({ username: "u", password: "p", client_id: "", client_secret: "" }));
  t.equal(form.clientId, undefined);
  t.equal(form.clientSecret, undefined);
  t.equal(form.clientCredentialsFrom, undefined);
  const onlyId = (await login({ username: "u", password: "p", client_id: "swagger" }));
  t.strictSame([onlyId.clientId, onlyId.clientSecret, onlyId.clientCredentialsFrom], ["swagger", undefined, "body"], "a public client");
});

t.test("values that are not strings are 422s", async (t) => {
  t.strictSame(await errorsOf(login({ username: { a: "b" }, password: "p" })), [
    { type: "string_type", loc: ["body", "username"], msg: "Input should be a valid string", input: { a: "b" } },
  ]);
});

t.test("regression: a repeated form field keeps its last value, as Starlette (and as through fastify)", async (t) => {
  t.equal((await login({ username: ["a", "b"], password: "p" })).username, "b");
});

t.test("extra form fields are ignored", async (t) => {
  t.strictSame((await login({ username: "u", password: "p", remember_me: "on" })).username, "u");
});

t.test("the documented form body, as FastAPI's Body_login_for_access_token_token_post", async (t) => {
  t.equal(loginRoute.requestSchemas.bodyKind, "form");
  t.equal(loginRoute.requestSchemas.bodyRequired, true);
  t.strictSame(loginRoute.requestSchemas.body, {
    type: "object",
    properties: {
      grant_type: { type: "string", title: "Grant Type", pattern: "^password$" },
      username: { type: "string", title: "Username" },
      password: { type: "string", title: "Password", format: "password" },
      scope: { type: "string", title: "Scope", default: "" },
      client_id: { type: "string", title: "Client Id" },
      client_secret: { type: "string", title: "Client Secret", format: "password" },
    },
    required: ["username", "password"],
  });
  t.strictSame((strictRoute.requestSchemas.body as { required: unknown }).required, ["grant_type", "username", "password"]);
  t.strictSame(loginRoute.security, [], "the form is not a security scheme");
});

t.test("regression: OAuth2PasswordRequestFormStrict documents client_secret without format: password, as FastAPI", async (t) => {
  // FastAPI's strict form declares `client_secret: Form()` (its normal form adds format: password).
  const properties = (strictRoute.requestSchemas.body as { properties: Record<string, unknown> }).properties;
  t.strictSame(properties.client_secret, { type: "string", title: "Client Secret" });
  t.strictSame(properties.grant_type, { type: "string", title: "Grant Type", pattern: "^password$" });
  t.strictSame(properties.password, { type: "string", title: "Password", format: "password" }, "kept on purpose: see security-schemes.md");
  t.equal((await strict({ grant_type: "password", username: "u", password: "p", client_id: "c", client_secret: "s" })).clientSecret, "s");
});

t.test("format: password is an annotation: any string passes", async (t) => {
  t.equal((await login({ username: "u", password: "not a 'password' format" })).password, "not a 'password' format");
});
