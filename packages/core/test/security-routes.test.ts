// Schemes inside routes: what compileRoute documents (route.security, route.schemes) and runs.
import t from "tap";
import { compileRoute, createRequest, DependencyOverrides, Depends, dependency, Security, SecurityScopes } from "@depends/core";
import { APIKeyHeader, HTTPBasic, HTTPBearer, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from "@depends/core/security";

const scopes = { me: "Read information about the current user.", items: "Read items." };

function tutorial005() {
  const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes });
  const seen: { scopes: readonly string[]; token: string }[] = [];
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, ({ securityScopes, token }) => {
    seen.push({ scopes: securityScopes.scopes, token });
    return { username: "johndoe" };
  });
  const getCurrentActiveUser = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, ({ currentUser }) => currentUser);
  return { oauth2Scheme, getCurrentUser, getCurrentActiveUser, seen };
}

t.test("tutorial005's routes document the scheme as FastAPI does", async (t) => {
  const { oauth2Scheme, getCurrentUser, getCurrentActiveUser, seen } = tutorial005();
  const me = compileRoute({ method: "GET", path: "/users/me/", sources: { u: Depends(getCurrentActiveUser) }, handler: ({ u }) => u });
  const items = compileRoute({ method: "GET", path: "/users/me/items/", sources: { u: Security(getCurrentActiveUser, { scopes: ["items"] }) }, handler: ({ u }) => [{ item_id: "Foo", owner: u.username }] });
  const status = compileRoute({ method: "GET", path: "/status/", sources: { u: Depends(getCurrentUser) }, handler: () => ({ status: "ok" }) });
  t.strictSame(me.security, [{ OAuth2PasswordBearer: ["me"] }]);
  t.strictSame(items.security, [{ OAuth2PasswordBearer: ["items", "me"] }]);
  t.strictSame(status.security, [{ OAuth2PasswordBearer: [] }]);
  t.equal(items.schemes.length, 1);
  t.strictSame(items.schemes[0]?.scheme, { name: "OAuth2PasswordBearer", object: oauth2Scheme.openapi, scopes });
  t.strictSame(items.schemes[0]?.scopes, ["items", "me"]);

  t.strictSame(await items.execute(createRequest({ headers: { authorization: "Bearer tok" } })), [{ item_id: "Foo", owner: "johndoe" }]);
  t.strictSame(seen, [{ scopes: ["items", "me"], token: "tok" }]);
  await t.rejects(status.execute(createRequest()), { name: "HTTPException", status: 401, detail: "Not authenticated" }, "the scheme guards the route");
});

t.test("a scheme used directly, through Depends and through Security with scopes", async (t) => {
  const scheme = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "authorize", tokenUrl: "token", scopes: { read: "Read", write: "Write" } });
  const direct = compileRoute({ method: "GET", path: "/", sources: { token: Depends(scheme) }, handler: ({ token }) => token });
  const scoped = compileRoute({ method: "GET", path: "/items/", sources: { token: Security(scheme, { scopes: ["read", "write"] }) }, handler: ({ token }) => token });
  t.strictSame(direct.security, [{ OAuth2AuthorizationCodeBearer: [] }]);
  t.strictSame(scoped.security, [{ OAuth2AuthorizationCodeBearer: ["read", "write"] }]);
  t.equal(await scoped.execute(createRequest({ headers: { authorization: "Bearer t" } })), "t");
});

t.test("a route-level dependency on a scheme is documented (FastAPI issue 14271)", async (t) => {
  const bearer = new HTTPBearer();
  const route = compileRoute({ method: "GET", path: "/", dependencies: [Depends(bearer)], sources: {}, handler: () => "ok" });
  t.strictSame(route.security, [{ HTTPBearer: [] }]);
  await t.rejects(route.execute(createRequest()), { name: "HTTPException", status: 401 });
  t.equal(await route.execute(createRequest({ headers: { authorization: "Bearer x" } })), "ok");
});

t.test("router-level Security and a plain Depends merge into one entry (FastAPI's authorization code scopes test)", async (t) => {
  const scheme = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "authorize", tokenUrl: "token", scopes: { read: "Read", write: "Write" } });
  const getToken = dependency({ token: Depends(scheme) }, ({ token }) => token);
  const route = compileRoute({
    method: "GET",
    path: "/items/",
    dependencies: [Depends(getToken), Security(scheme, { scopes: ["read"] })],
    sources: { token: Depends(scheme) },
    handler: ({ token }) => token,
  });
  t.strictSame(route.security, [{ OAuth2AuthorizationCodeBearer: ["read"] }]);
});

t.test("several schemes are one requirement object (all must hold)", async (t) => {
  const apiKey = new APIKeyHeader({ name: "X-Key" });
  const basic = new HTTPBasic();
  const route = compileRoute({ method: "GET", path: "/", sources: { key: Depends(apiKey), user: Depends(basic) }, handler: ({ key, user }) => `${key}:${user.username}` });
  t.strictSame(route.security, [{ APIKeyHeader: [], HTTPBasic: [] }]);
  t.strictSame(route.schemes.map((use) => use.scheme.object), [apiKey.openapi, basic.openapi]);
  const auth = `Basic ${Buffer.from("ann:pw").toString("base64")}`;
  t.equal(await route.execute(createRequest({ headers: { "x-key": "k", authorization: auth } })), "k:ann");
});

t.test("scopes on a non-OAuth2 scheme are documented too (FastAPI 0.123.9+)", async (t) => {
  const apiKey = new APIKeyHeader({ name: "X-Key" });
  const route = compileRoute({ method: "GET", path: "/", sources: { key: Security(apiKey, { scopes: ["admin"] }) }, handler: ({ key }) => key });
  t.strictSame(route.security, [{ APIKeyHeader: ["admin"] }]);
  t.equal(route.schemes[0]?.scheme.scopes, undefined, "an API key declares no scopes");
});

t.test("scope names used with Security are validated when the route compiles", async (t) => {
  const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes });
  t.throws(
    () => compileRoute({ method: "GET", path: "/", sources: { token: Security(scheme, { scopes: ["read items" as "items"] }) }, handler: ({ token }) => token }),
    { code: "DEPENDS_INVALID_SCOPE" },
  );
});

t.test("two different schemes under one name are a declaration error", async (t) => {
  const a = new OAuth2PasswordBearer({ tokenUrl: "token" });
  const b = new OAuth2PasswordBearer({ tokenUrl: "other-token" });
  t.throws(
    () => compileRoute({ method: "GET", path: "/", sources: { a: Depends(a), b: Depends(b) }, handler: () => null }),
    { code: "DEPENDS_SCHEME_NAME_CONFLICT" },
  );
  const renamed = new OAuth2PasswordBearer({ tokenUrl: "other-token", schemeName: "Other" });
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(a), b: Depends(renamed) }, handler: () => null });
  t.strictSame(route.security, [{ OAuth2PasswordBearer: [], Other: [] }]);
});

t.test("the scheme runs once per request and scope set (FastAPI's cache key)", async (t) => {
  let reads = 0;
  class CountingBearer extends HTTPBearer {
    protected override authenticate(request: Parameters<HTTPBearer["authenticate"]>[0]) {
      reads++;
      return super.authenticate(request);
    }
  }
  const bearer = new CountingBearer();
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { a: Depends(bearer), b: Depends(bearer), c: Security(bearer, { scopes: ["x"] }) },
    handler: ({ a, b, c }) => [a.credentials, b.credentials, c.credentials],
  });
  t.strictSame(await route.execute(createRequest({ headers: { authorization: "Bearer t" } })), ["t", "t", "t"]);
  t.equal(reads, 2, "Depends twice shares one value; a different scope set is a separate call");
  t.strictSame(route.security, [{ CountingBearer: ["x"] }]);
});

t.test("a scheme can be overridden like any dependency", async (t) => {
  const { oauth2Scheme, getCurrentUser, seen } = tutorial005();
  const overrides = new DependencyOverrides();
  const route = compileRoute({ method: "GET", path: "/status/", sources: { u: Depends(getCurrentUser) }, handler: ({ u }) => u }, { overrides });
  {
    using _ = overrides.set(oauth2Scheme, dependency(() => "test-token"));
    t.strictSame(await route.execute(createRequest()), { username: "johndoe" });
  }
  t.strictSame(seen, [{ scopes: [], token: "test-token" }]);
  await t.rejects(route.execute(createRequest()), { name: "HTTPException", status: 401 }, "restored");
  t.strictSame(route.security, [{ OAuth2PasswordBearer: [] }], "OpenAPI ignores overrides");
});
