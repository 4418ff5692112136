import t from "tap";
import { isDependency } from "@depends/core";
import { HTTPBase, HTTPBearer, HTTPDigest } from "@depends/core/security";
import { failure, notAuthenticated, provided } from "./security-helpers.js";

t.test("HTTPBearer", async (t) => {
  const bearer = new HTTPBearer();
  t.ok(isDependency(bearer));
  t.strictSame(await provided(bearer, { headers: { authorization: "Bearer abc" } }), { scheme: "Bearer", credentials: "abc" });
  t.strictSame(await provided(bearer, { headers: { authorization: "bEaReR  abc  " } }), { scheme: "bEaReR", credentials: "abc" }, "scheme as sent");
  t.strictSame(await failure(bearer), notAuthenticated("Bearer"), "missing");
  t.strictSame(await failure(bearer, { headers: { authorization: "Bearer" } }), notAuthenticated("Bearer"), "no credentials");
  t.strictSame(await failure(bearer, { headers: { authorization: "Basic dTpw" } }), notAuthenticated("Bearer"), "wrong scheme");
  t.strictSame(await failure(bearer, { headers: { authorization: "Bearerabc" } }), notAuthenticated("Bearer"), "malformed: no space");
  t.strictSame(bearer.openapi, { type: "http", scheme: "bearer" });
  t.strictSame(new HTTPBearer({ bearerFormat: "JWT", description: "A JWT" }).openapi, { type: "http", description: "A JWT", scheme: "bearer", bearerFormat: "JWT" });
  t.equal(bearer.schemeName, "HTTPBearer");
});

t.test("HTTPDigest", async (t) => {
  const digest = new HTTPDigest();
  const params = 'username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html"';
  t.strictSame(await provided(digest, { headers: { authorization: `Digest ${params}` } }), { scheme: "Digest", credentials: params });
  t.strictSame(await failure(digest), notAuthenticated("Digest"), "missing");
  t.strictSame(await failure(digest, { headers: { authorization: "Digest" } }), notAuthenticated("Digest"), "no credentials");
  t.strictSame(await failure(digest, { headers: { authorization: "Bearer abc" } }), notAuthenticated("Digest"), "wrong scheme");
  t.strictSame(digest.openapi, { type: "http", scheme: "digest" });
  t.strictSame(new HTTPDigest({ description: "Digest auth" }).openapi, { type: "http", description: "Digest auth", scheme: "digest" });
  t.equal(digest.schemeName, "HTTPDigest");
});

t.test("HTTPBase accepts only its configured scheme, case-insensitively", async (t) => {
  const token = new HTTPBase({ scheme: "Other" });
  t.strictSame(await provided(token, { headers: { authorization: "Other footokenbar" } }), { scheme: "Other", credentials: "footokenbar" });
  t.strictSame(await provided(token, { headers: { authorization: "OTHER footokenbar" } }), { scheme: "OTHER", credentials: "footokenbar" });
  t.strictSame(await failure(token, { headers: { authorization: "Bearer footokenbar" } }), notAuthenticated("Other"), "another scheme");
  t.strictSame(await failure(token), notAuthenticated("Other"), "missing");
  t.strictSame(await failure(token, { headers: { authorization: "Other" } }), notAuthenticated("Other"), "no credentials");
  t.strictSame(await failure(token, { headers: { authorization: "Other   " } }), notAuthenticated("Other"), "blank credentials");
  t.strictSame(token.openapi, { type: "http", scheme: "Other" }, "scheme documented as given");
  t.equal(token.schemeName, "HTTPBase");
});

t.test("HTTPBase compares ASCII case only", async (t) => {
  const kelvin = new HTTPBase({ scheme: "k" });
  t.strictSame(await provided(kelvin, { headers: { authorization: "K x" } }), { scheme: "K", credentials: "x" });
  // U+212A KELVIN SIGN lower-cases to "k" in Unicode; it is not the auth-scheme "k".
  t.strictSame(await failure(kelvin, { headers: { authorization: "\u212A x" } }), notAuthenticated("K"));
});

t.test("HTTPBase's challenge is the scheme title-cased, as FastAPI's str.title()", async (t) => {
  const challenges: Record<string, string> = { other: "Other", OTHER: "Other", "my-api-token": "My-Api-Token", token2fa: "Token2Fa", "x_key": "X_Key" };
  for (const [scheme, challenge] of Object.entries(challenges)) {
    const http = new HTTPBase({ scheme });
    t.equal(http.challenge, challenge, scheme);
    t.strictSame(await failure(http), notAuthenticated(challenge));
  }
});

t.test("autoError: false yields undefined for missing, empty and wrong-scheme credentials", async (t) => {
  for (const scheme of [new HTTPBearer({ autoError: false }), new HTTPDigest({ autoError: false }), new HTTPBase({ scheme: "Other", autoError: false })]) {
    t.equal(await provided(scheme), undefined, `${scheme.schemeName}: missing`);
    t.equal(await provided(scheme, { headers: { authorization: "Bearer" } }), undefined, `${scheme.schemeName}: no credentials`);
    t.equal(await provided(scheme, { headers: { authorization: "Nope creds" } }), undefined, `${scheme.schemeName}: wrong scheme`);
  }
  t.strictSame(await provided(new HTTPBearer({ autoError: false }), { headers: { authorization: "Bearer x" } }), { scheme: "Bearer", credentials: "x" });
});

t.test("HTTP declarations are checked at construction", async (t) => {
  const invalid = { name: "DeclarationError", code: "DEPENDS_INVALID_SCHEME_OPTION" };
  t.throws(() => new HTTPBase({ scheme: "" }), invalid, "empty scheme");
  t.throws(() => new HTTPBase({ scheme: "two words" }), invalid, "a scheme that is not a token could never be sent");
  t.throws(() => new HTTPBase({} as never), invalid, "missing scheme");
  t.throws(() => new HTTPBearer({ bearerFormat: 5 as never }), invalid, "bearerFormat not a string");
});
