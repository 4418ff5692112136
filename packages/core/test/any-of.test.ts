import t from "tap";
import { AlternativesFailed, allOf, anyOf, compileRoute, createRequest, Depends, dependency, HTTPException, Security, SecurityScopes } from "@depends/core";
import { RequestScope } from "@depends/core/adapter";
import { APIKeyHeader, HTTPBearer, OAuth2PasswordBearer } from "@depends/core/security";

const apiKey = new APIKeyHeader({ name: "x-api-key" });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { admin: "Administer.", me: "Me." } });
const getUser = dependency({ s: SecurityScopes, token: Depends(oauth2) }, function getUser({ s, token }) {
  if (!s.scopes.every((scope) => token.split(",").includes(scope))) {
    throw new HTTPException(403, "Not enough permissions", { "WWW-Authenticate": `Bearer scope="${s.scopeStr}"` });
  }
  return { username: "admin-user" };
});
const principal = anyOf({ key: Depends(apiKey), admin: Security(getUser, { scopes: ["admin"] }) });

function route() {
  return compileRoute({
    method: "GET",
    path: "/admin",
    sources: { who: Depends(principal) },
    handler: ({ who }) => (who.via === "key" ? `service ${who.value}` : `user ${who.value.username}`),
  });
}

t.test("the first alternative that succeeds wins, in order", async (t) => {
  const r = route();
  t.equal(await r.execute(createRequest({ headers: { "x-api-key": "k1", authorization: "Bearer admin" } })), "service k1");
  t.equal(await r.execute(createRequest({ headers: { authorization: "Bearer admin" } })), "user admin-user");
});

t.test("when all fail, the error carries every failure and every challenge", async (t) => {
  const error = await route()
    .execute(createRequest({ headers: { authorization: "Bearer me" } }))
    .catch((e: unknown) => e);
  t.type(error, AlternativesFailed);
  const failed = error as AlternativesFailed;
  t.equal(failed.status, 401, "the first alternative's status");
  t.equal(failed.detail, "Not authenticated");
  t.same(failed.failures.map((f) => [f.via, (f.error as HTTPException).status]), [["key", 401], ["admin", 403]]);
  t.same(failed.headers, { "WWW-Authenticate": 'APIKey, Bearer scope="admin"' });
});

t.test("an error that is not an HTTPException is not a failed credential: it propagates at once", async (t) => {
  let secondRan = false;
  const broken = dependency(() => {
    throw new Error("database down");
  });
  const second = dependency(() => (secondRan = true));
  const r = compileRoute({ method: "GET", path: "/", sources: { p: Depends(anyOf({ a: Depends(broken), b: Depends(second) })) }, handler: () => 1 });
  await t.rejects(r.execute(createRequest()), { message: "database down" });
  t.notOk(secondRan);
});

t.test("custom onFailure decides the answer", async (t) => {
  const strict = anyOf({ key: Depends(apiKey) }, { onFailure: (failures) => new HTTPException(403, `${failures.length} alternative(s) failed`) });
  const r = compileRoute({ method: "GET", path: "/", sources: { p: Depends(strict) }, handler: () => 1 });
  await t.rejects(r.execute(createRequest()), { name: "HTTPException", status: 403, message: "1 alternative(s) failed" });
});

t.test("OpenAPI: one requirement object per alternative (OR), everything an alternative needs in it (AND)", async (t) => {
  t.same(route().security, [{ APIKeyHeader: [] }, { OAuth2PasswordBearer: ["admin"] }]);
  const bearer = new HTTPBearer();
  const both = compileRoute({
    method: "GET",
    path: "/",
    dependencies: [Depends(bearer)],
    sources: { who: Depends(principal) },
    handler: () => 1,
  });
  t.same(both.security, [{ HTTPBearer: [], APIKeyHeader: [] }, { HTTPBearer: [], OAuth2PasswordBearer: ["admin"] }], "a required scheme is in every alternative");
  const combined = anyOf({ pair: Depends(allOf({ k: Depends(apiKey), u: Security(getUser, { scopes: ["me"] }) })), admin: Security(getUser, { scopes: ["admin"] }) });
  const r = compileRoute({ method: "GET", path: "/", sources: { who: Depends(combined) }, handler: () => 1 });
  t.same(r.security, [{ APIKeyHeader: [], OAuth2PasswordBearer: ["me"] }, { OAuth2PasswordBearer: ["admin"] }]);
  t.same(r.schemes.map((s) => [s.scheme.name, s.scopes]), [["APIKeyHeader", []], ["OAuth2PasswordBearer", ["me", "admin"]]]);
});

t.test("a failed alternative's teardowns run before the next; the winner's wait for the response", async (t) => {
  const log: string[] = [];
  const resource = (name: string, fail: boolean) =>
    dependency(
      function* () {
        log.push(`open ${name}`);
        try {
          yield name;
        } finally {
          log.push(`close ${name}`);
        }
      },
      { name: `${name}Resource` },
    );
  const failing = dependency({ r: Depends(resource("a", true)) }, () => {
    throw new HTTPException(401, "no");
  });
  const passing = dependency({ r: Depends(resource("b", false)) }, ({ r }) => r);
  const r = compileRoute({ method: "GET", path: "/", sources: { p: Depends(anyOf({ a: Depends(failing), b: Depends(passing) })) }, handler: ({ p }) => (log.push("handler"), p.value) });
  const scope = new RequestScope();
  t.equal(await r.run(createRequest(), scope), "b");
  t.same(log, ["open a", "close a", "open b", "handler"]);
  await scope.close();
  t.same(log, ["open a", "close a", "open b", "handler", "close b"]);
});

t.test("anyOf needs uses", async (t) => {
  t.throws(() => anyOf({}), { code: "DEPENDS_INVALID_ALTERNATIVES" });
  t.throws(() => anyOf({ x: 1 as never }), { code: "DEPENDS_INVALID_ALTERNATIVES" });
});
