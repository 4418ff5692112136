import t from "tap";
import { compileRoute, createRequest, Depends, dependency, Security, SecurityScopes } from "@depends/core";

// FastAPI's "OAuth2 scopes" tree, with a stand-in for the scheme so the test only pins scopes.
function guideTree() {
  const seen: string[][] = [];
  const oauth2Scheme = dependency(function oauth2Scheme() {
    return "token";
  });
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, function getCurrentUser({ securityScopes }) {
    seen.push([...securityScopes.scopes]);
    return { username: "johndoe", scopeStr: securityScopes.scopeStr };
  });
  const getCurrentActiveUser = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, function getCurrentActiveUser({ currentUser }) {
    return currentUser;
  });
  return { seen, oauth2Scheme, getCurrentUser, getCurrentActiveUser };
}

t.test("read_own_items: get_current_user sees [items, me], ancestors first", async (t) => {
  const { seen, getCurrentActiveUser } = guideTree();
  const route = compileRoute({
    method: "GET",
    path: "/users/me/items/",
    sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) },
    handler: ({ currentUser }) => [{ item_id: "Foo", owner: currentUser.username, scopeStr: currentUser.scopeStr }],
  });
  t.same(await route.execute(createRequest()), [{ item_id: "Foo", owner: "johndoe", scopeStr: "items me" }]);
  t.same(seen, [["items", "me"]]);
});

t.test("read_users_me sees [me]; read_system_status sees []", async (t) => {
  const { seen, getCurrentActiveUser, getCurrentUser } = guideTree();
  const me = compileRoute({ method: "GET", path: "/users/me/", sources: { u: Security(getCurrentActiveUser, { scopes: ["me"] }) }, handler: ({ u }) => u });
  const status = compileRoute({ method: "GET", path: "/status/", sources: { u: Depends(getCurrentUser) }, handler: () => ({ status: "ok" }) });
  await me.execute(createRequest());
  t.same(await status.execute(createRequest()), { status: "ok" });
  t.same(seen, [["me"], []]);
});
