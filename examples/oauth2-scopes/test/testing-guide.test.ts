// The code of docs/testing.md, run: if this file needs a change, the guide does too.
import t from "tap";
import Fastify from "fastify";
import { compileRoute, createRequest, dependency, Depends, DependencyOverrides, HTTPException, resolve, Security, SecurityScopes } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";
import { buildApp } from "../src/app.js";
import { getCurrentActiveUser as exampleActiveUser } from "../src/auth.js";
import { getJwtSigner, getPasswordVerifier, getSettings, getUserStore } from "../src/services.js";
import { MemoryUserStore } from "../src/users.js";
import { FakePasswords } from "./support/fake-passwords.js";
import { guideSettings } from "./support/settings.js";

// --- "A small app to test" -------------------------------------------------------------------
const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read information about the current user.", items: "Read items." } });

interface User {
  username: string;
  disabled: boolean;
}

// A real app verifies a JWT here (docs/jwt.md); a map of tokens keeps the example short.
const sessions = new Map<string, { user: User; scopes: string[] }>();

const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, async ({ securityScopes, token }): Promise<User> => {
  const challenge = { "WWW-Authenticate": `Bearer scope="${securityScopes.scopeStr}"` };
  const session = sessions.get(token);
  if (!session) throw new HTTPException(401, "Could not validate credentials", challenge);
  for (const scope of securityScopes.scopes) {
    if (!session.scopes.includes(scope)) throw new HTTPException(401, "Not enough permissions", challenge);
  }
  return session.user;
});

const getCurrentActiveUser = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, ({ currentUser }) => {
  if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
  return currentUser;
});

async function buildSmallApp() {
  const api = router();
  api.get("/users/me/items/", { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) }, ({ currentUser }) => [
    { item_id: "Foo", owner: currentUser.username },
  ]);
  const app = Fastify();
  await app.register(dependsPlugin);
  await app.register(api.plugin());
  return app;
}

// --- "Requests without a server: app.inject" ----------------------------------------------------
t.test("inject: the real tree refuses a request without a token", async (t) => {
  const app = await buildSmallApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: "GET", url: "/users/me/items/" });
  t.equal(res.statusCode, 401);
  t.same(res.json(), { detail: "Not authenticated" });
  t.equal(res.headers["www-authenticate"], "Bearer");
});

// --- "Overrides" -------------------------------------------------------------------------------
t.test("overrides: a fake user for one block", async (t) => {
  const app = await buildSmallApp();
  t.teardown(() => app.close());
  {
    using _ = app.dependencyOverrides.set(getCurrentUser, dependency(() => ({ username: "test", disabled: false })));
    const res = await app.inject({ url: "/users/me/items/" });
    t.same(res.json(), [{ item_id: "Foo", owner: "test" }]);
  }
  const after = await app.inject({ url: "/users/me/items/" });
  t.equal(after.statusCode, 401, "restored when the block ends");
});

t.test("inject with a token: the real getCurrentUser", async (t) => {
  const app = await buildSmallApp();
  t.teardown(() => app.close());
  sessions.set("tok-me", { user: { username: "johndoe", disabled: false }, scopes: ["me"] });
  const res = await app.inject({ url: "/users/me/items/", headers: { authorization: "Bearer tok-me" } });
  t.equal(res.statusCode, 401);
  t.equal(res.headers["www-authenticate"], 'Bearer scope="items me"');
});

t.test("overrides keep the original's SecurityScopes", async (t) => {
  const app = await buildSmallApp();
  t.teardown(() => app.close());
  const seen: string[][] = [];
  using _ = app.dependencyOverrides.set(
    getCurrentUser,
    dependency({ securityScopes: SecurityScopes }, ({ securityScopes }) => {
      seen.push([...securityScopes.scopes]);
      return { username: "test", disabled: false };
    }),
  );
  await app.inject({ url: "/users/me/items/" });
  t.same(seen, [["items", "me"]]);
});

t.test("overrides: a disabled user", async (t) => {
  const app = await buildSmallApp();
  t.teardown(() => app.close());
  using _ = app.dependencyOverrides.set(getCurrentUser, dependency(() => ({ username: "alice", disabled: true })));
  const res = await app.inject({ url: "/users/me/items/" });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { detail: "Inactive user" });
});

// --- "Testing the example: swap what buildApp builds" -----------------------------------------
t.test("the example with a fake password verifier and a store of its own", async (t) => {
  const app = await buildApp({ settings: guideSettings(), passwords: new FakePasswords(), users: new MemoryUserStore() });
  t.teardown(() => app.close());
  const login = await app.inject({ method: "POST", url: "/token", payload: "username=johndoe&password=secret&scope=me", headers: { "content-type": "application/x-www-form-urlencoded" } });
  t.equal(login.statusCode, 200);
  const me = await app.inject({ url: "/users/me/", headers: { authorization: `Bearer ${login.json().access_token}` } });
  t.equal(me.json().username, "johndoe");
});

// --- "Replacing an app-scoped service" ------------------------------------------------------------
t.test("the example's user store is app-scoped: an override replaces it for the next requests", async (t) => {
  const app = await buildApp({ settings: guideSettings(), passwords: new FakePasswords() });
  t.teardown(() => app.close());
  const token = async () =>
    (await app.inject({ method: "POST", url: "/token", payload: "username=johndoe&password=secret&scope=me", headers: { "content-type": "application/x-www-form-urlencoded" } })).statusCode;
  t.equal(await token(), 200);
  {
    using _ = app.dependencyOverrides.set(getUserStore, dependency(() => new MemoryUserStore([])));
    t.equal(await token(), 400, "nobody in the replacement store");
  }
  t.equal(await token(), 200, "the guide's store again");
});

// --- "Unit-testing a scope tree: compileRoute and createRequest" -------------------------------
t.test("compileRoute: the example's tree without a server", async (t) => {
  const overrides = new DependencyOverrides();
  overrides.set(getSettings, dependency(() => guideSettings()));
  overrides.set(getPasswordVerifier, dependency(() => new FakePasswords()));
  await using signer = await resolve(getJwtSigner, { overrides });

  const route = compileRoute({
    method: "GET",
    path: "/users/me/items/",
    sources: { currentUser: Security(exampleActiveUser, { scopes: ["items"] }) },
    handler: ({ currentUser }) => [{ item_id: "Foo", owner: currentUser.username }],
  }, { overrides });
  t.same(route.security, [{ OAuth2PasswordBearer: ["items", "me"] }]);

  const both = await signer.value.sign({ sub: "johndoe", scope: "me items" });
  t.same(await route.execute(createRequest({ headers: { authorization: `Bearer ${both}` } })), [{ item_id: "Foo", owner: "johndoe" }]);

  const meOnly = await signer.value.sign({ sub: "johndoe", scope: "me" });
  const error = await route.execute(createRequest({ headers: { authorization: `Bearer ${meOnly}` } })).catch((e: unknown) => e);
  t.match(error, { status: 401, detail: "Not enough permissions", headers: { "WWW-Authenticate": 'Bearer scope="items me"' } });
});
