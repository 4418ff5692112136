// The security report shows each route's lifetimes: request and function teardowns, app-scoped values.
import t from "tap";
import { compileRoute, Depends, dependency, securityReportMarkdown } from "@depends/core";
import { reportRoute, securityReport } from "@depends/core/adapter";

t.test("app-scoped, request and function lifetimes are reported per route", async (t) => {
  const pool = dependency(async function* pool() { yield 1; });
  const settings = dependency(function settings() { return {}; });
  const session = dependency({ pool: Depends(pool, { scope: "app" }) }, function* session() { yield 2; });
  const audit = dependency(function* audit() { yield 3; });
  const route = compileRoute({
    method: "GET", path: "/items", name: "items",
    sources: { s: Depends(session), a: Depends(audit, { scope: "function" }), c: Depends(settings, { scope: "app" }) },
    handler: () => 1,
  });
  const entry = reportRoute(route);
  const scopes = Object.fromEntries(entry.teardown.map((d) => [d.path.join(" -> "), d.scope]));
  t.same(scopes, { "items -> session": "request", "items -> session -> pool": "app", "items -> audit": "function", "items -> settings": "app" });
  const markdown = securityReportMarkdown(securityReport([entry]));
  t.match(markdown, "| route | requires | lifetimes |");
  t.match(markdown, "session (request), pool (app), audit (function), settings (app)");
});
