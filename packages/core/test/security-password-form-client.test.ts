// RFC 6749 section 2.3.1: client credentials may come in an HTTP Basic header instead of the body.
import t from "tap";
import { compileRoute, createRequest, Depends } from "@depends/core";
import { OAuth2PasswordRequestForm, type OAuth2PasswordRequest } from "@depends/core/security";
import { rejection, response } from "./security-helpers.js";

const route = compileRoute({ method: "POST", path: "/token", sources: { form: Depends(OAuth2PasswordRequestForm) }, handler: ({ form }) => form });
const user = { username: "johndoe", password: "secret" };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`, "utf8").toString("base64")}`;

function token(body: Record<string, string>, authorization?: string): Promise<OAuth2PasswordRequest> {
  return route.execute(createRequest({ method: "POST", body, headers: authorization === undefined ? {} : { authorization } }));
}

const invalidClient = { status: 401, detail: "Invalid client credentials", headers: { "WWW-Authenticate": "Basic" } };

t.test("client credentials from the Authorization header", async (t) => {
  const form = await token(user, basic("my-client", "s3cret"));
  t.strictSame([form.clientId, form.clientSecret, form.clientCredentialsFrom], ["my-client", "s3cret", "header"]);
  t.equal(form.username, "johndoe", "the user's credentials still come from the body");
});

t.test("header values are form-urlencoded (RFC 6749 section 2.3.1)", async (t) => {
  const form = await token(user, basic("my%3Aclient", "a+b%25c"));
  t.strictSame([form.clientId, form.clientSecret], ["my:client", "a b%c"]);
  t.strictSame(response(await rejection(token(user, basic("bad%zzid", "x")))), invalidClient, "an invalid percent-escape");
});

t.test("a malformed Basic header is an invalid client", async (t) => {
  t.strictSame(response(await rejection(token(user, "Basic notabase64token"))), invalidClient);
  t.strictSame(response(await rejection(token(user, `Basic ${Buffer.from("nocolon").toString("base64")}`))), invalidClient, "no ':'");
});

t.test("header and body must agree", async (t) => {
  const agreeing = await token({ ...user, client_id: "my-client", client_secret: "s3cret" }, basic("my-client", "s3cret"));
  t.strictSame([agreeing.clientId, agreeing.clientSecret, agreeing.clientCredentialsFrom], ["my-client", "s3cret", "header"]);
  const idOnly = await token({ ...user, client_id: "my-client" }, basic("my-client", "s3cret"));
  t.strictSame([idOnly.clientId, idOnly.clientSecret], ["my-client", "s3cret"], "the same client_id in the body");
  t.strictSame(response(await rejection(token({ ...user, client_id: "other" }, basic("my-client", "s3cret")))), invalidClient, "different client_id");
  t.strictSame(response(await rejection(token({ ...user, client_secret: "other" }, basic("my-client", "s3cret")))), invalidClient, "different client_secret");
});

t.test("other Authorization values are not client authentication", async (t) => {
  const bearer = await token({ ...user, client_id: "body-client" }, "Bearer abc");
  t.strictSame([bearer.clientId, bearer.clientCredentialsFrom], ["body-client", "body"], "a bearer token is ignored");
  const empty = await token(user, "Basic");
  t.strictSame([empty.clientId, empty.clientCredentialsFrom], [undefined, undefined], "Basic without credentials is ignored");
  const none = await token(user);
  t.equal(none.clientCredentialsFrom, undefined);
});

t.test("a form validation error comes before client authentication", async (t) => {
  const error = await rejection(route.execute(createRequest({ method: "POST", body: {}, headers: { authorization: "Basic notabase64token" } })));
  t.equal((error as { name?: unknown }).name, "RequestValidationError");
});

t.test("Swagger UI's empty Basic credentials (Basic Og==) are no client authentication", async (t) => {
  const form = await token(user, "Basic Og==");
  t.strictSame([form.clientId, form.clientSecret, form.clientCredentialsFrom], [undefined, undefined, undefined]);
  const withBody = await token({ ...user, client_id: "web" }, "Basic Og==");
  t.strictSame([withBody.clientId, withBody.clientCredentialsFrom], ["web", "body"], "body credentials still count");
});
