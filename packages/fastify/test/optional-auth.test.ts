// Issue 20, item 7: a route whose only scheme has `autoError: false`, or whose `anyOf` has an
// alternative requiring nothing, was accepted by secureByDefault and reported secured, while
// anonymous requests got data. It is optional authentication: reported as such, refused by
// secureByDefault unless declared, and documented with an empty requirement `{}`.
import t from "tap";
import { anyOf, DeclarationError, Depends, dependency, securityReportMarkdown } from "@depends/core";
import { APIKeyHeader, OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";

type Routes = (api: ReturnType<typeof router>) => void;

async function appWith(routes: Routes, secureByDefault = true) {
  const app = Fastify();
  await app.register(dependsPlugin, { secureByDefault });
  const api = router();
  routes(api);
  await app.register(api.plugin());
  await app.ready();
  return app;
}

const registrationError = (routes: Routes) => appWith(routes).then((app) => app.close().then(() => undefined), (error: unknown) => error);

const lenientKey = () => new APIKeyHeader({ name: "x-key", autoError: false });
const nobody = dependency(() => "anonymous", { name: "nobody" });
const keyOrNobody = () => anyOf({ key: Depends(new APIKeyHeader({ name: "x-key" })), anonymous: Depends(nobody) });

t.test("regression: secureByDefault refuses a route whose only scheme has autoError: false", async (t) => {
  const error = await registrationError((api) => api.get("/data", { key: Depends(lenientKey()) }, ({ key }) => key ?? "anonymous data"));
  t.type(error, DeclarationError);
  t.match(error, { code: "DEPENDS_NOT_PUBLIC", route: "GET /data", message: /anonymous requests through .*optionalAuth: true/ });
});

t.test("regression: secureByDefault refuses anyOf(..., Depends(nobody)) unless declared", async (t) => {
  const error = await registrationError((api) => api.get("/data", { who: Depends(keyOrNobody()) }, ({ who }) => who.via));
  t.match(error, { name: "DeclarationError", code: "DEPENDS_NOT_PUBLIC", route: "GET /data" });
});

t.test("declared optionalAuth: true (or public: true), such routes start and answer anonymous requests", async (t) => {
  const app = await appWith((api) => {
    api.get("/lenient", { sources: { key: Depends(lenientKey()) }, optionalAuth: true }, ({ key }) => key ?? "anonymous");
    api.get("/either", { sources: { who: Depends(keyOrNobody()) }, optionalAuth: true }, ({ who }) => who.via);
    api.get("/open", { sources: { key: Depends(lenientKey()) }, public: true }, ({ key }) => key ?? "anonymous");
  });
  t.teardown(() => app.close());
  t.equal((await app.inject("/lenient")).json(), "anonymous");
  t.equal((await app.inject({ url: "/lenient", headers: { "x-key": "k" } })).json(), "k");
  t.equal((await app.inject("/either")).json(), "anonymous");
  t.equal((await app.inject("/open")).json(), "anonymous");
});

t.test("regression: the security report says optional authentication, not secured", async (t) => {
  const app = await appWith((api) => {
    api.get("/lenient", { sources: { key: Depends(lenientKey()) }, optionalAuth: true }, ({ key }) => key ?? "anonymous");
    api.get("/either", { who: Depends(keyOrNobody()) }, ({ who }) => who.via);
    api.get("/me", { token: Depends(new OAuth2PasswordBearer({ tokenUrl: "token" })) }, ({ token }) => token);
  }, false);
  t.teardown(() => app.close());
  const report = app.securityReport();
  t.same(
    report.routes.map((r) => [r.path, r.secured, r.optionalAuth, r.optionalAuthDeclared]),
    [["/lenient", false, true, true], ["/either", false, true, false], ["/me", true, false, false]],
  );
  t.same(report.summary, { routes: 3, secured: 1, public: 0, optionalAuth: 2, unsecured: 1 });
  const markdown = securityReportMarkdown(report);
  t.match(markdown, "| `GET /lenient` | optional authentication (declared): APIKeyHeader **OR** nothing (anonymous access) |");
  t.match(markdown, "| `GET /either` | optional authentication: **not declared, unsecured**: APIKeyHeader **OR** nothing (anonymous access) |");
});

t.test("regression: OpenAPI documents an autoError: false scheme with an empty requirement alternative", async (t) => {
  const app = await appWith((api) => {
    api.get("/lenient", { sources: { key: Depends(lenientKey()) }, optionalAuth: true }, ({ key }) => key ?? "anonymous");
    api.get("/either", { sources: { who: Depends(keyOrNobody()) }, optionalAuth: true }, ({ who }) => who.via);
    api.get("/strict", { key: Depends(new APIKeyHeader({ name: "x-key" })) }, ({ key }) => key);
  });
  t.teardown(() => app.close());
  const paths = (await app.inject("/openapi.json")).json().paths as Record<string, { get: { security?: unknown } }>;
  t.same(paths["/lenient"]?.get.security, [{ APIKeyHeader: [] }, {}]);
  t.same(paths["/either"]?.get.security, [{ APIKeyHeader: [] }, {}]);
  t.same(paths["/strict"]?.get.security, [{ APIKeyHeader: [] }]);
});

t.test("two autoError: false schemes document every combination, anonymous included", async (t) => {
  const app = await appWith((api) => {
    const a = new APIKeyHeader({ name: "x-a", schemeName: "KeyA", autoError: false });
    const b = new APIKeyHeader({ name: "x-b", schemeName: "KeyB", autoError: false });
    api.get("/two", { sources: { a: Depends(a), b: Depends(b) }, optionalAuth: true }, ({ a, b }) => a ?? b ?? "anonymous");
  });
  t.teardown(() => app.close());
  const paths = (await app.inject("/openapi.json")).json().paths as Record<string, { get: { security?: unknown } }>;
  t.same(paths["/two"]?.get.security, [{ KeyA: [], KeyB: [] }, { KeyA: [] }, { KeyB: [] }, {}]);
});

t.test("optionalAuth: true must mean what it says", async (t) => {
  const required = await registrationError((api) =>
    api.get("/me", { sources: { token: Depends(new OAuth2PasswordBearer({ tokenUrl: "token" })) }, optionalAuth: true }, ({ token }) => token),
  );
  t.match(required, { name: "DeclarationError", code: "DEPENDS_NOT_OPTIONAL_AUTH", route: "GET /me", message: /authentication is required/ });
  const none = await registrationError((api) => api.get("/x", { sources: {}, optionalAuth: true }, () => 1));
  t.match(none, { name: "DeclarationError", code: "DEPENDS_NOT_OPTIONAL_AUTH", message: /absent/ });
});
