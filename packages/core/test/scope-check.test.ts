import t from "tap";
import { assertScopes, bearerChallenge, compileRoute, createRequest, Depends, dependency, HTTPException, Security, SecurityScopes } from "@depends/core";

t.test("bearerChallenge: plain, with scopes, with an RFC 6750 error and realm", async (t) => {
  t.equal(bearerChallenge(new SecurityScopes()), "Bearer");
  t.equal(bearerChallenge(new SecurityScopes(["items", "me"])), 'Bearer scope="items me"');
  t.equal(
    bearerChallenge(new SecurityScopes(["items"]), { error: "insufficient_scope", realm: 'api "v1"' }),
    'Bearer realm="api \\"v1\\"", error="insufficient_scope", scope="items"',
  );
});

t.test("assertScopes: the guide's 401 by default, RFC 6750's 403 on request", async (t) => {
  const required = new SecurityScopes(["items", "me"]);
  t.doesNotThrow(() => assertScopes(required, "me items extra"));
  t.doesNotThrow(() => assertScopes(required, ["items", "me"]));
  t.doesNotThrow(() => assertScopes(new SecurityScopes(), undefined), "nothing required");
  const guide = (() => {
    try {
      assertScopes(required, "me");
    } catch (e) {
      return e as HTTPException;
    }
  })();
  t.match(guide, { status: 401, detail: "Not enough permissions", headers: { "WWW-Authenticate": 'Bearer scope="items me"' } });
  const rfc = (() => {
    try {
      assertScopes(required, ["me"], { style: "rfc6750" });
    } catch (e) {
      return e as HTTPException;
    }
  })();
  t.match(rfc, { status: 403, detail: "Not enough permissions", headers: { "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="items me"' } });
  t.throws(() => assertScopes(required, undefined, { style: "rfc6750" }), { name: "HTTPException", status: 403 }, "no scope claim at all");
});

t.test("in a tree: each node checks its own accumulated scopes", async (t) => {
  const tokenScopes = dependency(() => "me");
  const getUser = dependency({ s: SecurityScopes, granted: Depends(tokenScopes) }, ({ s, granted }) => {
    assertScopes(s, granted, { style: "rfc6750" });
    return "user";
  });
  const items = compileRoute({ method: "GET", path: "/items", sources: { u: Security(getUser, { scopes: ["items", "me"] }) }, handler: ({ u }) => u });
  const me = compileRoute({ method: "GET", path: "/me", sources: { u: Security(getUser, { scopes: ["me"] }) }, handler: ({ u }) => u });
  await t.rejects(items.execute(createRequest()), { name: "HTTPException", status: 403 });
  t.equal(await me.execute(createRequest()), "user");
});
