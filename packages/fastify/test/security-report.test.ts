import { fileURLToPath } from "node:url";
import t from "tap";
import { DeclarationError, Depends, dependency, securityReportMarkdown } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router, runSecurityReportCli } from "@depends/fastify";
import Fastify from "fastify";
import { buildApp } from "./fixtures/report-app.js";

const fixture = fileURLToPath(new URL("./fixtures/report-app.ts", import.meta.url));

t.test("app.securityReport(): every route, its requirements, public and unsecured routes", async (t) => {
  const app = await buildApp();
  t.teardown(() => app.close());
  await app.ready();
  const report = app.securityReport();
  t.same(
    report.routes.map((r) => [r.method, r.path, r.secured, r.public, r.openapi]),
    [
      ["GET", "/me", true, false, [{ OAuth2PasswordBearer: [] }]],
      ["GET", "/either", true, false, [{ APIKeyHeader: [] }, { OAuth2PasswordBearer: [] }]],
      ["GET", "/health", false, true, []],
      ["GET", "/forgotten", false, false, []],
      ["GET", "/plain", false, false, []],
    ],
  );
  t.same(report.summary, { routes: 5, secured: 2, public: 1, optionalAuth: 0, unsecured: 2 });
  t.match(securityReportMarkdown(report), "| `GET /forgotten` | **nothing: unsecured** |");
});

async function secureApp(register: (app: ReturnType<typeof Fastify>) => Promise<void> | void) {
  const app = Fastify();
  await app.register(dependsPlugin, { secureByDefault: true, docs: "/docs" });
  await register(app);
  return app;
}

t.test("secureByDefault: startup fails on a route with no security that is not declared public", async (t) => {
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token" });
  const ok = await secureApp(async (app) => {
    const api = router();
    api.get("/me", { token: Depends(oauth2) }, ({ token }) => token);
    api.get("/health", { public: true }, () => "ok");
    await app.register(api.plugin());
    app.get("/plain-public", { config: { public: true } }, async () => "ok");
  });
  await t.resolves((async () => void (await ok.ready()))(), "secured, public and plain-public routes (and /docs, /openapi.json) are accepted");
  await ok.close();

  // The error surfaces while the router is registered: before the application can listen.
  const error = await secureApp(async (app) => {
    const api = router();
    api.get("/internal", { data: Depends(dependency(() => 1)) }, ({ data }) => data);
    await app.register(api.plugin());
  }).then(() => undefined, (e: unknown) => e);
  t.type(error, DeclarationError);
  t.match(error, { code: "DEPENDS_NOT_PUBLIC", route: "GET /internal", message: /no security and is not declared public/ });

  const plain = secureApp(async (app) => {
    app.get("/plain", async () => "x");
    await app.ready();
  });
  await t.rejects(plain, { name: "DeclarationError", code: "DEPENDS_NOT_PUBLIC", message: /plain fastify route .*GET \/plain/ });
});

t.test("public: true on a route that requires a scheme is a contradiction, refused at registration", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/me", { sources: { token: Depends(new OAuth2PasswordBearer({ tokenUrl: "token" })) }, public: true }, ({ token }) => token);
  await t.rejects((async () => { await app.register(api.plugin()); await app.ready(); })(), { name: "DeclarationError", code: "DEPENDS_NOT_PUBLIC", message: /declared public but requires OAuth2PasswordBearer/ });
});

t.test("the CLI prints the report of an app module, and fails on unsecured routes when asked", async (t) => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
  t.equal(await runSecurityReportCli([fixture, "--format", "json"], io), 0);
  const report = JSON.parse(out.join("")) as { summary: { unsecured: number } };
  t.equal(report.summary.unsecured, 2);
  out.length = 0;
  t.equal(await runSecurityReportCli([fixture, "--fail-on-unsecured"], io), 1);
  t.match(out.join(""), "# Security report");
  t.match(err.join("\n"), "2 route(s) are not secured");
  t.equal(await runSecurityReportCli(["/nonexistent/module.js"], io), 2);
  t.equal(await runSecurityReportCli([fixture, "--format", "xml"], io), 2);
  t.equal(await runSecurityReportCli([fixture, "--export", "nothing"], io), 2);
});
