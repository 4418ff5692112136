import t from "tap";
import { anyOf, compileRoute, Depends, dependency, Security, SecurityScopes, securityReportMarkdown } from "@depends/core";
import { reportRoute, securityReport } from "@depends/core/adapter";
import { APIKeyHeader, OAuth2PasswordBearer } from "@depends/core/security";

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items." } });
const apiKey = new APIKeyHeader({ name: "x-key" });
const getCurrentUser = dependency({ s: SecurityScopes, token: Depends(oauth2) }, function getCurrentUser({ token }) {
  return token;
});
const getCurrentActiveUser = dependency({ u: Security(getCurrentUser, { scopes: ["me"] }) }, function getCurrentActiveUser({ u }) {
  return u;
});
const db = dependency(async function* getDb() {
  yield "db";
});

function routes() {
  const items = compileRoute({
    method: "GET",
    path: "/users/me/items/",
    sources: { u: Security(getCurrentActiveUser, { scopes: ["items"] }), db: Depends(db) },
    handler: function readOwnItems() {},
  });
  const either = compileRoute({ method: "GET", path: "/either", sources: { who: Depends(anyOf({ key: Depends(apiKey), user: Depends(getCurrentActiveUser) })) }, handler: () => 1 });
  const health = compileRoute({ method: "GET", path: "/health", sources: {}, handler: () => 1 });
  const forgotten = compileRoute({ method: "GET", path: "/internal", sources: {}, handler: () => 1 });
  return [reportRoute(items), reportRoute(either), reportRoute(health, { public: true }), reportRoute(forgotten)];
}

t.test("each scope is reported with the dependency path that contributed it", async (t) => {
  const [items] = routes();
  t.same(items?.requirements, [
    [
      {
        scheme: "OAuth2PasswordBearer",
        type: "oauth2",
        scopes: [
          { scope: "items", from: ["readOwnItems", "getCurrentActiveUser"] },
          { scope: "me", from: ["readOwnItems", "getCurrentActiveUser", "getCurrentUser"] },
        ],
      },
    ],
  ]);
  t.same(items?.openapi, [{ OAuth2PasswordBearer: ["items", "me"] }]);
  t.same(items?.teardown, [{ path: ["readOwnItems", "getDb"], scope: "request" }]);
});

t.test("alternatives, public and unsecured routes are told apart; the summary counts them", async (t) => {
  const report = securityReport(routes());
  t.same(report.routes[1]?.requirements.map((alt) => alt.map((s) => s.scheme)), [["APIKeyHeader"], ["OAuth2PasswordBearer"]]);
  t.same(report.summary, { routes: 4, secured: 2, public: 1, optionalAuth: 0, unsecured: 1 });
  const markdown = securityReportMarkdown(report);
  t.match(markdown, "4 routes: 2 secured, 0 with optional authentication, 1 public, 1 unsecured");
  t.match(markdown, "| `GET /users/me/items/` | OAuth2PasswordBearer [items, me] | getDb (request) |");
  t.match(markdown, "| `GET /either` | APIKeyHeader **OR** OAuth2PasswordBearer [me] |");
  t.match(markdown, "| `GET /health` | public |");
  t.match(markdown, "| `GET /internal` | **nothing: unsecured** |");
  t.match(markdown, "- `GET /users/me/items/`: `me` (OAuth2PasswordBearer) from readOwnItems -> getCurrentActiveUser -> getCurrentUser");
});
