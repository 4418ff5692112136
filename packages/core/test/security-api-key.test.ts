import t from "tap";
import { createRequest } from "@depends/core";
import { APIKeyCookie, APIKeyHeader, APIKeyQuery } from "@depends/core/security";
import { failure, notAuthenticated, provided } from "./security-helpers.js";

t.test("APIKeyHeader", async (t) => {
  const scheme = new APIKeyHeader({ name: "X-API-Key" });
  t.equal(await provided(scheme, { headers: { "x-api-key": "secret" } }), "secret");
  t.equal(await provided(scheme, { headers: { "X-API-KEY": "secret" } }), "secret", "header name case-insensitive");
  t.equal(await provided(scheme, { headers: { "x-api-key": ["first", "second"] } }), "first", "first value of a repeated header");
  t.strictSame(await failure(scheme), notAuthenticated("APIKey"), "missing");
  t.strictSame(await failure(scheme, { headers: { "x-api-key": "" } }), notAuthenticated("APIKey"), "empty");
  t.strictSame(await failure(scheme, { headers: { "x-api-key": [] } }), notAuthenticated("APIKey"), "empty array");
  t.strictSame(await failure(scheme, { headers: { authorization: "Bearer secret" } }), notAuthenticated("APIKey"), "another header");
  t.strictSame(scheme.openapi, { type: "apiKey", in: "header", name: "X-API-Key" }, "name documented as given");
  t.equal(scheme.schemeName, "APIKeyHeader");
});

t.test("APIKeyQuery", async (t) => {
  const scheme = new APIKeyQuery({ name: "key" });
  t.equal(await provided(scheme, { query: { key: "secret" } }), "secret");
  t.equal(await provided(scheme, { query: { key: ["first", "last"] } }), "last", "last value of a repeated parameter, as Starlette");
  t.strictSame(await failure(scheme), notAuthenticated("APIKey"), "missing");
  t.strictSame(await failure(scheme, { query: { key: "" } }), notAuthenticated("APIKey"), "empty");
  t.strictSame(await failure(scheme, { query: { Key: "secret" } }), notAuthenticated("APIKey"), "query names are case-sensitive");
  t.strictSame(await failure(scheme, { query: { key: { nested: "x" } } }), notAuthenticated("APIKey"), "not a string");
  t.strictSame(scheme.openapi, { type: "apiKey", in: "query", name: "key" });
  t.equal(scheme.schemeName, "APIKeyQuery");
});

t.test("APIKeyCookie", async (t) => {
  const scheme = new APIKeyCookie({ name: "session", description: "Session cookie" });
  t.equal(await provided(scheme, { cookies: { session: "abc" } }), "abc");
  t.equal(await provided(scheme, { headers: { cookie: "theme=dark; session=abc" } }), "abc", "from the Cookie header");
  t.strictSame(await failure(scheme), notAuthenticated("APIKey"), "missing");
  t.strictSame(await failure(scheme, { cookies: { session: "" } }), notAuthenticated("APIKey"), "empty");
  t.strictSame(await failure(scheme, { cookies: { Session: "abc" } }), notAuthenticated("APIKey"), "cookie names are case-sensitive");
  t.strictSame(scheme.openapi, { type: "apiKey", description: "Session cookie", in: "cookie", name: "session" });
  t.equal(scheme.schemeName, "APIKeyCookie");
});

t.test("autoError: false yields undefined", async (t) => {
  t.equal(await provided(new APIKeyHeader({ name: "key", autoError: false })), undefined);
  t.equal(await provided(new APIKeyQuery({ name: "key", autoError: false }), { query: { key: "" } }), undefined);
  t.equal(await provided(new APIKeyCookie({ name: "key", autoError: false })), undefined);
  t.equal(await provided(new APIKeyCookie({ name: "key", autoError: false }), { cookies: { key: "k" } }), "k");
});

t.test("the request is read as given, not re-parsed", async (t) => {
  // Header names of an HttpRequest are lower case (createRequest and adapters guarantee it).
  const request = createRequest({ headers: { "X-Token": "abc" } });
  t.equal(request.headers["x-token"], "abc");
  t.equal(await provided(new APIKeyHeader({ name: "x-token" }), { headers: { "X-Token": "abc" } }), "abc");
});

t.test("names of inherited object members are not keys", async (t) => {
  for (const name of ["constructor", "toString", "__proto__"]) {
    t.strictSame(await failure(new APIKeyHeader({ name })), notAuthenticated("APIKey"), `header ${name}`);
    t.strictSame(await failure(new APIKeyQuery({ name })), notAuthenticated("APIKey"), `query ${name}`);
    t.strictSame(await failure(new APIKeyCookie({ name }), { cookies: {} }), notAuthenticated("APIKey"), `cookie ${name}`);
  }
});

t.test("APIKey declarations are checked at construction", async (t) => {
  const invalid = { name: "DeclarationError", code: "DEPENDS_INVALID_SCHEME_OPTION" };
  t.throws(() => new APIKeyHeader({ name: "" }), invalid);
  t.throws(() => new APIKeyQuery({} as never), invalid);
  t.throws(() => new APIKeyCookie({ name: 1 as never }), invalid);
});
