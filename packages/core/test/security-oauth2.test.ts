import t from "tap";
import { DeclarationError, isDependency } from "@depends/core";
import { OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from "@depends/core/security";
import { failure, notAuthenticated, provided } from "./security-helpers.js";

const scopes = { me: "Read information about the current user.", items: "Read items." };

// components.securitySchemes of /work/shared/tutorial005_openapi.json (FastAPI's tests/test_tutorial/test_security/test_tutorial005.py).
const tutorial005SecuritySchemes = {
  OAuth2PasswordBearer: {
    type: "oauth2",
    flows: { password: { scopes: { me: "Read information about the current user.", items: "Read items." }, tokenUrl: "token" } },
  },
};

const bearerSchemes = {
  OAuth2PasswordBearer: () => new OAuth2PasswordBearer({ tokenUrl: "token", scopes }),
  OAuth2AuthorizationCodeBearer: () => new OAuth2AuthorizationCodeBearer({ authorizationUrl: "authorize", tokenUrl: "token" }),
  OAuth2: () => new OAuth2({ flows: { password: { tokenUrl: "token" } } }),
};

for (const [name, make] of Object.entries(bearerSchemes)) {
  t.test(`${name}: extraction`, async (t) => {
    const scheme = make();
    t.ok(isDependency(scheme), "the instance is a dependency");
    t.equal(scheme.schemeName, name, "named after its class");
    t.equal(await provided(scheme, { headers: { Authorization: "Bearer abc.def" } }), "abc.def");
    t.equal(await provided(scheme, { headers: { authorization: "bearer  abc " } }), "abc", "scheme ignores case, token trimmed");
    t.equal(await provided(scheme, { headers: { authorization: ["Bearer first", "Bearer second"] } }), "first", "first of a repeated header");

    t.strictSame(await failure(scheme), notAuthenticated("Bearer"), "no header");
    t.strictSame(await failure(scheme, { headers: { authorization: "" } }), notAuthenticated("Bearer"), "empty header");
    t.strictSame(await failure(scheme, { headers: { authorization: "Bearer" } }), notAuthenticated("Bearer"), "scheme without token");
    t.strictSame(await failure(scheme, { headers: { authorization: "Bearer   " } }), notAuthenticated("Bearer"), "blank token");
    t.strictSame(await failure(scheme, { headers: { authorization: "Basic dXNlcjpwYXNz" } }), notAuthenticated("Bearer"), "wrong scheme");
    t.strictSame(await failure(scheme, { headers: { authorization: "Other footokenbar" } }), notAuthenticated("Bearer"), "unknown scheme");
    t.strictSame(await failure(scheme, { headers: { authorization: "Bearertoken" } }), notAuthenticated("Bearer"), "no space: not the bearer scheme");
  });
}

t.test("autoError: false yields undefined instead of every 401", async (t) => {
  const schemes = [
    new OAuth2PasswordBearer({ tokenUrl: "token", autoError: false }),
    new OAuth2AuthorizationCodeBearer({ authorizationUrl: "a", tokenUrl: "t", autoError: false }),
    new OAuth2({ autoError: false }),
  ];
  for (const scheme of schemes) {
    t.equal(await provided(scheme), undefined, `${scheme.schemeName}: missing`);
    t.equal(await provided(scheme, { headers: { authorization: "Bearer" } }), undefined, `${scheme.schemeName}: empty token`);
    t.equal(await provided(scheme, { headers: { authorization: "Basic abc" } }), undefined, `${scheme.schemeName}: wrong scheme`);
    t.equal(await provided(scheme, { headers: { authorization: "Bearer tok" } }), "tok", `${scheme.schemeName}: present`);
    t.equal(scheme.autoError, false);
  }
});

t.test("OAuth2PasswordBearer documents itself as tutorial005 does", async (t) => {
  const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes });
  t.strictSame({ [scheme.schemeName]: scheme.openapi }, tutorial005SecuritySchemes);
  t.strictSame(scheme.scopes, scopes);
  t.equal(scheme.challenge, "Bearer");
});

t.test("OAuth2PasswordBearer OpenAPI object: scopes {} when none, refreshUrl and description only when set", async (t) => {
  t.strictSame(new OAuth2PasswordBearer({ tokenUrl: "token" }).openapi, { type: "oauth2", flows: { password: { scopes: {}, tokenUrl: "token" } } });
  t.strictSame(new OAuth2PasswordBearer({ tokenUrl: "/api/token", refreshUrl: "/api/refresh", description: "Log in", scopes: { me: "Me" } }).openapi, {
    type: "oauth2",
    description: "Log in",
    flows: { password: { refreshUrl: "/api/refresh", scopes: { me: "Me" }, tokenUrl: "/api/token" } },
  });
  t.strictSame(new OAuth2PasswordBearer({ tokenUrl: "https://auth.example/token" }).openapi, {
    type: "oauth2",
    flows: { password: { scopes: {}, tokenUrl: "https://auth.example/token" } },
  }, "absolute tokenUrl kept verbatim");
});

t.test("OAuth2AuthorizationCodeBearer OpenAPI object", async (t) => {
  t.strictSame(new OAuth2AuthorizationCodeBearer({ authorizationUrl: "authorize", tokenUrl: "token" }).openapi, {
    type: "oauth2",
    flows: { authorizationCode: { scopes: {}, authorizationUrl: "authorize", tokenUrl: "token" } },
  });
  t.strictSame(
    new OAuth2AuthorizationCodeBearer({ authorizationUrl: "authorize", tokenUrl: "token", refreshUrl: "refresh", scopes: { read: "Read" }, description: "Code flow" }).openapi,
    { type: "oauth2", description: "Code flow", flows: { authorizationCode: { refreshUrl: "refresh", scopes: { read: "Read" }, authorizationUrl: "authorize", tokenUrl: "token" } } },
  );
});

t.test("OAuth2 documents every flow given, with scopes {} where none", async (t) => {
  const scheme = new OAuth2({
    flows: {
      implicit: { authorizationUrl: "https://a/authorize", scopes: { read: "Read" } },
      password: { tokenUrl: "token" },
      clientCredentials: { tokenUrl: "https://a/token", refreshUrl: "https://a/refresh", scopes: { write: "Write", read: "Read again" } },
      authorizationCode: { authorizationUrl: "https://a/authorize", tokenUrl: "https://a/token" },
    },
    description: "All flows",
  });
  t.strictSame(scheme.openapi, {
    type: "oauth2",
    description: "All flows",
    flows: {
      implicit: { scopes: { read: "Read" }, authorizationUrl: "https://a/authorize" },
      password: { scopes: {}, tokenUrl: "token" },
      clientCredentials: { refreshUrl: "https://a/refresh", scopes: { write: "Write", read: "Read again" }, tokenUrl: "https://a/token" },
      authorizationCode: { scopes: {}, authorizationUrl: "https://a/authorize", tokenUrl: "https://a/token" },
    },
  });
  t.strictSame(scheme.scopes, { read: "Read", write: "Write" }, "union of the flows' scopes, first description wins");
  t.strictSame(new OAuth2().openapi, { type: "oauth2", flows: {} }, "no flows");
});

t.test("schemeName overrides the class name", async (t) => {
  const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", schemeName: "password" });
  t.equal(scheme.schemeName, "password");
  class CompanyLogin extends OAuth2PasswordBearer {}
  t.equal(new CompanyLogin({ tokenUrl: "token" }).schemeName, "CompanyLogin", "a subclass gets its own name, as in FastAPI");
});

t.test("declarations are checked at construction", async (t) => {
  const invalidScope = (fn: () => unknown, what: string) => t.throws(fn, { name: "DeclarationError", code: "DEPENDS_INVALID_SCOPE" }, what);
  invalidScope(() => new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "read items": "x" } }), "space in a scope name");
  invalidScope(() => new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { 'say"hi"': "x" } }), "double quote");
  invalidScope(() => new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "a\\b": "x" } }), "backslash");
  invalidScope(() => new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "": "x" } }), "empty");
  invalidScope(() => new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "café": "x" } }), "non-ASCII");
  invalidScope(() => new OAuth2AuthorizationCodeBearer({ authorizationUrl: "a", tokenUrl: "t", scopes: { "a b": "x" } }), "authorization code");
  invalidScope(() => new OAuth2({ flows: { implicit: { authorizationUrl: "a", scopes: { "a b": "x" } } } }), "OAuth2 flows");
  t.doesNotThrow(() => new OAuth2PasswordBearer({ tokenUrl: "t", scopes: { "items:read": "x", "https://api.example/write": "y", "!#[]~": "z" } }), "every RFC 6749 scope-token");

  const invalid = (fn: () => unknown, what: string) => t.throws(fn, { name: "DeclarationError", code: "DEPENDS_INVALID_SCHEME_OPTION" }, what);
  invalid(() => new OAuth2PasswordBearer({ tokenUrl: "" }), "empty tokenUrl");
  invalid(() => new OAuth2PasswordBearer({} as never), "missing tokenUrl");
  invalid(() => new OAuth2PasswordBearer({ tokenUrl: "t", scopes: { me: 1 } as never }), "a scope description that is not a string");
  invalid(() => new OAuth2PasswordBearer({ tokenUrl: "t", scopes: ["me"] as never }), "scopes as an array");
  invalid(() => new OAuth2PasswordBearer({ tokenUrl: "t", refreshUrl: 1 as never }), "refreshUrl not a string");
  invalid(() => new OAuth2PasswordBearer({ tokenUrl: "t", schemeName: "" }), "empty schemeName");
  invalid(() => new OAuth2AuthorizationCodeBearer({ tokenUrl: "t" } as never), "missing authorizationUrl");
  invalid(() => new OAuth2({ flows: { authorizationCode: { authorizationUrl: "a" } } as never }), "flow without tokenUrl");
  invalid(() => new OAuth2({ flows: { deviceCode: { tokenUrl: "t" } } as never }), "unknown flow");
  invalid(() => new OAuth2({ flows: { password: null } as never }), "flow that is not an object");
  invalid(() => new OAuth2({ description: 3 as never }), "description not a string");
  const error = t.throws(() => new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "read items": "x" } })) as DeclarationError;
  t.match(error.message, /"read items"/, "the message names the scope");
  t.strictSame(error.path, ["OAuth2PasswordBearer"], "and the scheme");
});
