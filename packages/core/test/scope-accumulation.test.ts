import t from "tap";
import { compileRoute, createRequest, Depends, dependency, Security, SecurityScopes } from "@depends/core";

t.test("FastAPI test_security_scopes_sub_dependency: call counts and scopes", async (t) => {
  const calls = { getDbSession: 0, getCurrentUser: 0, getUserMe: 0, getUserItems: 0 };
  const getDbSession = dependency(function getDbSession() {
    calls.getDbSession++;
    return `db_session_${calls.getDbSession}`;
  });
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, dbSession: Depends(getDbSession) }, function getCurrentUser({ securityScopes, dbSession }) {
    calls.getCurrentUser++;
    return { user: `user_${calls.getCurrentUser}`, scopes: securityScopes.scopes, dbSession };
  });
  const getUserMe = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, function getUserMe({ currentUser }) {
    calls.getUserMe++;
    return currentUser;
  });
  const getUserItems = dependency({ userMe: Depends(getUserMe) }, function getUserItems({ userMe }) {
    calls.getUserItems++;
    return userMe;
  });
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { userMe: Depends(getUserMe), userItems: Security(getUserItems, { scopes: ["items"] }) },
    handler: (values) => values,
  });
  const result = await route.execute(createRequest());
  t.same(result, {
    userMe: { user: "user_1", scopes: ["me"], dbSession: "db_session_1" },
    userItems: { user: "user_2", scopes: ["items", "me"], dbSession: "db_session_1" },
  });
  t.same(calls, { getDbSession: 1, getCurrentUser: 2, getUserMe: 2, getUserItems: 1 });
});

t.test("FastAPI test_security_scopes_dont_propagate: siblings never see each other's scopes", async (t) => {
  const seen: Record<string, readonly string[]> = {};
  const security1 = dependency({ s: SecurityScopes }, function security1({ s }) {
    seen.security1 = s.scopes;
    return 1;
  });
  const security2 = dependency({ s: SecurityScopes }, function security2({ s }) {
    seen.security2 = s.scopes;
    return 2;
  });
  const dep3 = dependency(
    { a: Security(security1, { scopes: ["scope1"] }), b: Security(security2, { scopes: ["scope2"] }), s: SecurityScopes },
    function dep3({ s }) {
      seen.dep3 = s.scopes;
      return 3;
    },
  );
  const route = compileRoute({ method: "GET", path: "/", sources: { d: Security(dep3, { scopes: ["scope3"] }) }, handler: () => "ok" });
  await route.execute(createRequest());
  t.same(seen, { security1: ["scope3", "scope1"], security2: ["scope3", "scope2"], dep3: ["scope3"] });
});

t.test("duplicates are dropped along the whole chain (FastAPI keeps inherited duplicates)", async (t) => {
  let seenByC: readonly string[] = [];
  const c = dependency({ s: SecurityScopes }, function c({ s }) {
    seenByC = s.scopes;
  });
  const b = dependency({ c: Depends(c), s: SecurityScopes }, ({ s }) => s.scopes);
  const a = dependency({ b: Security(b, { scopes: ["x", "y"] }) }, ({ b }) => b);
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Security(a, { scopes: ["x"] }) }, handler: ({ a }) => a });
  t.same(await route.execute(createRequest()), ["x", "y"]);
  t.same(seenByC, ["x", "y"], "FastAPI would give c ['x', 'x', 'y']");
});

t.test("the handler and plain Depends chains see no scopes; Security without scopes behaves as Depends", async (t) => {
  const calls: (readonly string[])[] = [];
  const dep = dependency({ s: SecurityScopes }, ({ s }) => {
    calls.push(s.scopes);
    return s.scopeStr;
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(dep), b: Security(dep) }, handler: (v) => v });
  t.same(await route.execute(createRequest()), { a: "", b: "" });
  t.equal(calls.length, 1, "Security(dep) without scopes shares the cache entry of Depends(dep)");
});

t.test("route-level Security dependencies form independent sub-trees with their own scopes", async (t) => {
  const seen: (readonly string[])[] = [];
  const getUser = dependency({ s: SecurityScopes }, ({ s }) => {
    seen.push(s.scopes);
    return { name: "u", scopes: s.scopes };
  });
  const route = compileRoute({
    method: "GET",
    path: "/",
    dependencies: [Security(getUser, { scopes: ["read"] })],
    sources: { user: Security(getUser, { scopes: ["write"] }) },
    handler: ({ user }) => user.scopes,
  });
  t.same(await route.execute(createRequest()), ["write"], "the handler receives the value of its own use");
  t.same(seen, [["read"], ["write"]], "route dependency first, each with its own scopes");
});

t.test("SecurityScopes values are constants of the plan, frozen", async (t) => {
  const values: SecurityScopes[] = [];
  const dep = dependency({ s: SecurityScopes }, ({ s }) => {
    values.push(s);
  });
  const route = compileRoute({ method: "GET", path: "/", sources: { d: Security(dep, { scopes: ["a"] }) }, handler: () => null });
  await route.execute(createRequest());
  await route.execute(createRequest());
  t.equal(values[0], values[1], "same object on every request");
  t.ok(Object.isFrozen(values[0]) && Object.isFrozen(values[0]?.scopes));
  t.equal(values[0]?.scopeStr, "a");
});
