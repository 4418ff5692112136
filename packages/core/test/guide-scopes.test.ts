// FastAPI's "OAuth2 scopes" guide (docs_src/security/tutorial005): the tree exactly as the guide
// declares it, with the real scheme; the token check is replaced by a recorder, so that the test
// pins what each node sees and what OpenAPI documents.
import t from "tap";
import { compileRoute, createRequest, Depends, dependency, Security, SecurityScopes } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";

function guideTree() {
  const seen: string[][] = [];
  const oauth2Scheme = new OAuth2PasswordBearer({
    tokenUrl: "token",
    scopes: { me: "Read information about the current user.", items: "Read items." },
  });
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: Depends(oauth2Scheme) }, function getCurrentUser({ securityScopes, token }) {
    seen.push([...securityScopes.scopes]);
    return { username: token, scopeStr: securityScopes.scopeStr };
  });
  const getCurrentActiveUser = dependency({ currentUser: Security(getCurrentUser, { scopes: ["me"] }) }, function getCurrentActiveUser({ currentUser }) {
    return currentUser;
  });
  const readUsersMe = compileRoute({ method: "GET", path: "/users/me/", sources: { currentUser: Depends(getCurrentActiveUser) }, handler: ({ currentUser }) => currentUser });
  const readOwnItems = compileRoute({
    method: "GET",
    path: "/users/me/items/",
    sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["items"] }) },
    handler: ({ currentUser }) => [{ item_id: "Foo", owner: currentUser.username, scopeStr: currentUser.scopeStr }],
  });
  const readSystemStatus = compileRoute({ method: "GET", path: "/status/", sources: { currentUser: Depends(getCurrentUser) }, handler: () => ({ status: "ok" }) });
  return { seen, readUsersMe, readOwnItems, readSystemStatus };
}

const request = createRequest({ headers: { authorization: "Bearer johndoe" } });

t.test("read_own_items: get_current_user sees [items, me], ancestors first", async (t) => {
  const { seen, readOwnItems } = guideTree();
  t.same(await readOwnItems.execute(request), [{ item_id: "Foo", owner: "johndoe", scopeStr: "items me" }]);
  t.same(seen, [["items", "me"]]);
});

t.test("read_users_me sees [me]; read_system_status sees []", async (t) => {
  const { seen, readUsersMe, readSystemStatus } = guideTree();
  await readUsersMe.execute(request);
  t.same(await readSystemStatus.execute(request), { status: "ok" });
  t.same(seen, [["me"], []]);
});

t.test("OpenAPI security: the guide's document, from the same trees", async (t) => {
  const { readUsersMe, readOwnItems, readSystemStatus } = guideTree();
  t.same(readUsersMe.security, [{ OAuth2PasswordBearer: ["me"] }]);
  t.same(readOwnItems.security, [{ OAuth2PasswordBearer: ["items", "me"] }]);
  t.same(readSystemStatus.security, [{ OAuth2PasswordBearer: [] }]);
});

t.test("without a bearer token the scheme answers FastAPI's 401 before get_current_user runs", async (t) => {
  const { seen, readOwnItems } = guideTree();
  await t.rejects(readOwnItems.execute(createRequest()), { name: "HTTPException", status: 401, detail: "Not authenticated", headers: { "WWW-Authenticate": "Bearer" } });
  t.same(seen, []);
});
