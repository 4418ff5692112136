// Typed scopes: a dependency that reaches a scheme declaring its scopes accepts only those names.
// `npm run typecheck` proves the `@ts-expect-error` lines are errors; tap runs the valid half.
import t from "tap";
import { compileRoute, createRequest, Depends, dependency, CurrentRequest, type ScopesOfDependency, Security, SecurityScopes } from "@depends/core";
import { defineDependency } from "@depends/core/adapter";
import { APIKeyHeader, OAuth2PasswordBearer, OpenIdConnect } from "@depends/core/security";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

// A scheme-like dependency whose declared scopes are literal types.
const scheme = defineDependency<string, "me" | "items">({
  name: "OAuth2PasswordBearer",
  sources: { request: CurrentRequest },
  call: () => "token",
  scheme: { name: "OAuth2PasswordBearer", object: { type: "oauth2" }, scopes: { me: "Me.", items: "Items." } },
});
const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(scheme) }, ({ token }) => ({ username: token }));
const getCurrentActiveUser = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, ({ currentUser }) => currentUser);
const unrelated = dependency(() => 1);

// The accepted names travel up through every dependency that uses the scheme.
assertType<Equal<ScopesOfDependency<typeof getCurrentUser>, "me" | "items">>();
assertType<Equal<ScopesOfDependency<typeof getCurrentActiveUser>, "me" | "items">>();
// A dependency tied to no scheme accepts any scope name (FastAPI's plain scope labels).
assertType<Equal<ScopesOfDependency<typeof unrelated>, string>>();

// The real scheme classes carry their declared scopes too.
const realScheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items." } });
const realUser = dependency({ token: Depends(realScheme) }, ({ token }) => token);
assertType<Equal<ScopesOfDependency<typeof realScheme>, "me" | "items">>();
assertType<Equal<ScopesOfDependency<typeof realUser>, "me" | "items">>();
assertType<Equal<ScopesOfDependency<APIKeyHeader>, string>>();
assertType<Equal<ScopesOfDependency<OpenIdConnect>, string>>();

export function typos(): void {
  // @ts-expect-error: "itms" is not declared by the real scheme either
  Security(realUser, { scopes: ["itms"] });
  // @ts-expect-error: nor on the scheme itself
  Security(realScheme, { scopes: ["admin"] });
  // @ts-expect-error: "itms" is not declared by the scheme
  Security(getCurrentActiveUser, { scopes: ["itms"] });
  // @ts-expect-error: nor is "admin", one level further down
  dependency({ u: Security(getCurrentUser, { scopes: ["admin"] }) }, ({ u }) => u);
}

t.test("declared scopes type-check and run", async (t) => {
  Security(unrelated, { scopes: ["anything:goes"] });
  const route = compileRoute({
    method: "GET",
    path: "/users/me/items/",
    sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) },
    handler: ({ currentUser }) => currentUser.username,
  });
  t.equal(await route.execute(createRequest()), "token");
  t.same(route.security, [{ OAuth2PasswordBearer: ["items", "me"] }]);
});

// (getCurrentActiveUser is an inline arrow function: its path entry is the key it is used under.)
t.test("at registration, a scope no scheme of the route declares is an error naming route and path", async (t) => {
  const attempt = () =>
    compileRoute({
      method: "GET",
      path: "/users/me/items/",
      sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["itms" as "items"] }) },
      handler: function readOwnItems() {},
    });
  t.throws(attempt, {
    name: "DeclarationError",
    code: "DEPENDS_UNDECLARED_SCOPE",
    message: 'Scope "itms" is not declared by any security scheme this route uses (OAuth2PasswordBearer declares me, items) (route GET /users/me/items/, at readOwnItems -> currentUser)',
  });
  const sideBranch = dependency(() => 1, { name: "counter" });
  t.throws(
    () =>
      compileRoute({
        method: "GET",
        path: "/",
        sources: { u: Depends(getCurrentActiveUser), c: Security(sideBranch, { scopes: ["x"] }) },
        handler: () => 1,
      }),
    { code: "DEPENDS_UNDECLARED_SCOPE" },
    "any scope of a route that uses a scheme must be declared",
  );
  t.doesNotThrow(
    () => compileRoute({ method: "GET", path: "/", sources: { c: Security(sideBranch, { scopes: ["x"] }) }, handler: () => 1 }),
    "a route that reaches no scheme uses scopes as plain labels",
  );
  t.doesNotThrow(
    () =>
      compileRoute(
        { method: "GET", path: "/", sources: { u: Depends(getCurrentActiveUser), c: Security(sideBranch, { scopes: ["x"] }) }, handler: () => 1 },
        { strictScopes: false },
      ),
    "strictScopes: false turns the check off",
  );
});

t.test("a scheme without a scope list (API key, HTTP, OpenID Connect) leaves the route's scopes open", async (t) => {
  const apiKey = defineDependency<string>({
    name: "APIKeyHeader",
    sources: { request: CurrentRequest },
    call: () => "key",
    scheme: { name: "APIKeyHeader", object: { type: "apiKey", name: "x-key", in: "header" }, scopes: undefined },
  });
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { u: Depends(getCurrentActiveUser), k: Security(apiKey, { scopes: ["role:admin"] }) },
    handler: () => 1,
  });
  t.same(route.security, [{ OAuth2PasswordBearer: ["me"], APIKeyHeader: ["role:admin"] }], "both required together: one requirement object");
});
