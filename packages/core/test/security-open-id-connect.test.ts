import t from "tap";
import { compileRoute, Security } from "@depends/core";
import { OpenIdConnect } from "@depends/core/security";
import { failure, notAuthenticated, provided } from "./security-helpers.js";

const url = "https://issuer.example/.well-known/openid-configuration";

t.test("OpenIdConnect provides the bearer token", async (t) => {
  const oidc = new OpenIdConnect({ openIdConnectUrl: url });
  t.equal(await provided(oidc, { headers: { authorization: "Bearer eyJ.x.y" } }), "eyJ.x.y");
  t.equal(await provided(oidc, { headers: { authorization: "BEARER eyJ.x.y" } }), "eyJ.x.y");
  t.strictSame(await failure(oidc), notAuthenticated("Bearer"), "missing");
  t.strictSame(await failure(oidc, { headers: { authorization: "Bearer" } }), notAuthenticated("Bearer"), "no token");
  t.strictSame(await failure(oidc, { headers: { authorization: "Other footokenbar" } }), notAuthenticated("Bearer"), "another scheme (FastAPI returns the raw header)");
  t.equal(oidc.schemeName, "OpenIdConnect");
});

t.test("OpenIdConnect with autoError: false", async (t) => {
  const oidc = new OpenIdConnect({ openIdConnectUrl: url, autoError: false });
  t.equal(await provided(oidc), undefined);
  t.equal(await provided(oidc, { headers: { authorization: "Other footokenbar" } }), undefined);
  t.equal(await provided(oidc, { headers: { authorization: "Bearer tok" } }), "tok");
});

t.test("OpenIdConnect OpenAPI object", async (t) => {
  t.strictSame(new OpenIdConnect({ openIdConnectUrl: "/openid" }).openapi, { type: "openIdConnect", openIdConnectUrl: "/openid" });
  t.strictSame(new OpenIdConnect({ openIdConnectUrl: url, description: "Sign in" }).openapi, { type: "openIdConnect", description: "Sign in", openIdConnectUrl: url });
  const withScopes = new OpenIdConnect({ openIdConnectUrl: url, scopes: { openid: "Sign in", profile: "Profile" } });
  t.strictSame(withScopes.openapi, { type: "openIdConnect", openIdConnectUrl: url }, "declared scopes are not part of the object");
  t.strictSame(withScopes.scopes, { openid: "Sign in", profile: "Profile" });
});

t.test("OpenIdConnect in a route", async (t) => {
  const oidc = new OpenIdConnect({ openIdConnectUrl: url, scopes: { openid: "Sign in" } });
  const route = compileRoute({ method: "GET", path: "/me", sources: { token: Security(oidc, { scopes: ["openid"] }) }, handler: ({ token }) => token });
  t.strictSame(route.security, [{ OpenIdConnect: ["openid"] }]);
  t.strictSame(route.schemes[0]?.scheme, { name: "OpenIdConnect", object: { type: "openIdConnect", openIdConnectUrl: url }, scopes: { openid: "Sign in" } });
  const undeclared = new OpenIdConnect({ openIdConnectUrl: url, schemeName: "oidc" });
  const other = compileRoute({ method: "GET", path: "/x", sources: { token: Security(undeclared, { scopes: ["email"] }) }, handler: ({ token }) => token });
  t.equal(other.schemes[0]?.scheme.scopes, undefined, "no declared scopes: unknown rather than none (a provider's scopes are discovered)");
});

t.test("OpenIdConnect declarations are checked at construction", async (t) => {
  t.throws(() => new OpenIdConnect({ openIdConnectUrl: "" }), { code: "DEPENDS_INVALID_SCHEME_OPTION" });
  t.throws(() => new OpenIdConnect({ openIdConnectUrl: url, scopes: { "open id": "x" } }), { code: "DEPENDS_INVALID_SCOPE" });
});
