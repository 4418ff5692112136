// excludeDependencies: a route or an include drops an inherited dependency, which the security
// report and the OpenAPI document show; secureByDefault still requires security or `public`.
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, Security } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "me" } });
const requireToken = dependency({ token: Depends(scheme) }, function requireToken({ token }) {
  return token;
});
const audit = dependency(function audit() {
  return 1;
});

async function build(options: { secureByDefault?: boolean } = {}) {
  const api = router({ dependencies: [Security(requireToken, { scopes: ["me"] }), Depends(audit)] });
  api.get("/private", () => "private");
  api.get("/health", { excludeDependencies: [requireToken], public: true }, () => "ok");
  const open = router();
  open.get("/open", { public: true }, () => "open");
  api.include(open, { prefix: "/v1", excludeDependencies: [requireToken] });
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: { info: { title: "t", version: "1" } }, docs: false, ...options });
  await app.register(api.plugin());
  return app;
}

t.test("the excluded dependency does not run; the others still do", async (t) => {
  const app = await build();
  t.equal((await app.inject("/private")).statusCode, 401);
  t.equal((await app.inject("/health")).json(), "ok");
  t.equal((await app.inject("/v1/open")).json(), "open");
  await app.close();
});

t.test("the report and the OpenAPI operation show the exclusion", async (t) => {
  const app = await build();
  const report = app.securityReport();
  const health = report.routes.find((r) => r.path === "/health");
  t.same(health?.excluded, ["requireToken"]);
  t.equal(health?.secured, false);
  t.same(report.routes.find((r) => r.path === "/v1/open")?.excluded, ["requireToken"]);
  t.equal(report.routes.find((r) => r.path === "/private")?.excluded, undefined);
  const doc = (await app.inject("/openapi.json")).json();
  t.same(doc.paths["/health"].get["x-excluded-dependencies"], ["requireToken"]);
  t.equal(doc.paths["/health"].get.security, undefined);
  t.same(doc.paths["/private"].get.security, [{ OAuth2PasswordBearer: ["me"] }]);
  t.equal(doc.paths["/private"].get["x-excluded-dependencies"], undefined);
  await app.close();
});

t.test("secureByDefault still refuses a route left unsecured by an exclusion", async (t) => {
  const api = router({ dependencies: [Security(requireToken, { scopes: ["me"] })] });
  api.get("/oops", { excludeDependencies: [requireToken] }, () => 1);
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false, secureByDefault: true });
  await t.rejects(async () => {
    await app.register(api.plugin());
  }, { code: "DEPENDS_NOT_PUBLIC" });
});

t.test("excluding a dependency the route does not inherit is refused", async (t) => {
  const api = router();
  api.get("/x", { excludeDependencies: [audit] }, () => 1);
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await t.rejects(async () => {
    await app.register(api.plugin());
  }, { code: "DEPENDS_EXCLUDED_NOT_INHERITED", route: "GET /x", message: /"audit"/ });
});

t.test("an app-level dependency can be excluded at mount", async (t) => {
  const api = router();
  api.get("/x", () => 1);
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false, dependencies: [Security(requireToken)] });
  await app.register(api.plugin({ excludeDependencies: [requireToken] }));
  t.equal((await app.inject("/x")).statusCode, 200);
  await app.close();
});
