import t from "tap";
import { compileRoute, createRequest, DependencyOverrides, Depends, dependency, Query, Security, SecurityScopes } from "@depends/core";
import { CompileCache } from "@depends/core/adapter";
import { OAuth2PasswordBearer } from "@depends/core/security";
import Type from "typebox";

// Routes over the same dependencies compile to the same steps; the compiler keeps each distinct
// step (and each distinct list of steps) once per application (its CompileCache), so that a
// thousand routes cost one tree.

const cache = new CompileCache();

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read yourself.", items: "Read items." } });
const config = dependency(() => ({ region: "eu" }));
const tokenData = dependency({ securityScopes: SecurityScopes, token: Depends(scheme) }, ({ securityScopes, token }) => ({ token, scopes: securityScopes.scopes }));
const user = dependency({ data: Depends(tokenData), config: Depends(config) }, ({ data, config }) => ({ ...data, region: config.region }));

const get = (path: string, sources: Parameters<typeof compileRoute>[0]["sources"], handler: (values: never) => unknown) =>
  compileRoute({ method: "GET", path, sources, handler: handler as (values: Record<string, unknown>) => unknown }, { cache });

t.test("routes with the same tree and handler share one list of steps", async (t) => {
  const handler = ({ user }: { user: unknown }) => user;
  const a = get("/a", { user: Security(user, { scopes: ["items"] }) }, handler);
  const b = get("/b", { user: Security(user, { scopes: ["items"] }) }, handler);
  t.equal(a.plan.steps, b.plan.steps);
  t.ok(Object.isFrozen(a.plan.steps) && a.plan.steps.every((step) => Object.isFrozen(step) && Object.isFrozen(step.args)));
  const request = createRequest({ headers: { authorization: "Bearer t0k" } });
  t.strictSame(await a.execute(request), { token: "t0k", scopes: ["items"], region: "eu" });
  t.strictSame(await b.execute(request), { token: "t0k", scopes: ["items"], region: "eu" });
});

t.test("routes with different handlers share the steps of their dependencies", async (t) => {
  const a = get("/a", { user: Security(user, { scopes: ["items"] }) }, function readA({ user }: { user: unknown }) { return user; });
  const b = get("/b", { user: Security(user, { scopes: ["items"] }) }, function readB({ user }: { user: unknown }) { return user; });
  const last = a.plan.steps.length - 1;
  t.not(a.plan.steps[last], b.plan.steps[last], "the handlers differ");
  for (let i = 0; i < last; i++) t.equal(a.plan.steps[i], b.plan.steps[i], `step ${i} (${a.plan.steps[i]?.name}) is shared`);
});

t.test("different scopes, parameters or overrides give different steps, never a shared wrong one", async (t) => {
  const handler = ({ user }: { user: { scopes: readonly string[] } }) => user.scopes;
  const items = get("/items", { user: Security(user, { scopes: ["items"] }) }, handler);
  const me = get("/me", { user: Security(user, { scopes: ["me"] }) }, handler);
  t.not(items.plan.steps, me.plan.steps);
  const request = createRequest({ headers: { authorization: "Bearer x" } });
  t.strictSame(await items.execute(request), ["items"]);
  t.strictSame(await me.execute(request), ["me"]);

  const byName = (name: string) => dependency({ q: Query(Type.String(), { alias: name }) }, ({ q }) => q);
  const one = get("/one", { v: Depends(byName("one")) }, ({ v }: { v: string }) => v);
  const two = get("/two", { v: Depends(byName("two")) }, ({ v }: { v: string }) => v);
  t.equal(await one.execute(createRequest({ query: { one: "1", two: "2" } })), "1");
  t.equal(await two.execute(createRequest({ query: { one: "1", two: "2" } })), "2");

  const overrides = new DependencyOverrides();
  const overridden = compileRoute({ method: "GET", path: "/o", sources: { user: Security(user, { scopes: ["items"] }) }, handler }, { overrides, cache });
  const plain = get("/p", { user: Security(user, { scopes: ["items"] }) }, handler);
  overrides.set(config, dependency(() => ({ region: "us" })));
  t.strictSame(await overridden.execute(request), ["items"]);
  t.not(overridden.plan.steps, plain.plan.steps, "the override's steps are the overridden route's own");
  t.ok(overridden.plan.steps.some((step) => step.name === "config (overridden)"));
  t.equal(plain.plan.steps.find((step) => step.name === "config (overridden)"), undefined);
});

t.test("routes share their list of security schemes and their OpenAPI security", async (t) => {
  const a = get("/a", { user: Security(user, { scopes: ["items"] }) }, () => 1);
  const b = get("/b", { user: Security(user, { scopes: ["items"] }) }, () => 2);
  t.strictSame(a.securitySchemes.map((s) => s.name), ["OAuth2PasswordBearer"]);
  t.equal(a.securitySchemes, b.securitySchemes);
  t.equal(a.security, b.security);
  t.ok(Object.isFrozen(a.security) && Object.isFrozen(a.security[0]));
  t.strictSame(a.security, [{ OAuth2PasswordBearer: ["items"] }]);
  t.strictSame(get("/none", {}, () => 0).securitySchemes, []);
});

t.test("with an application's overrides registry, routes of one shape walk their tree once", async (t) => {
  const overrides = new DependencyOverrides();
  const page = Query(Type.Integer(), { default: 1 });
  const paged = dependency({ page }, ({ page }) => page);
  const shape = (handler: (values: { user: { scopes: readonly string[] }; page: number }) => unknown, path = "/x") =>
    compileRoute({ method: "GET", path, sources: { user: Security(user, { scopes: ["items"] }), page: Depends(paged) }, handler }, { overrides, cache });
  const a = shape(({ user }) => ["a", ...user.scopes]);
  const b = shape(({ page }) => ["b", page]);
  t.equal(a.requestSchemas, b.requestSchemas, "one walk: the same request schemas");
  t.equal(a.security, b.security);
  t.not(a.plan.steps, b.plan.steps, "each route has its own handler step");
  const request = createRequest({ headers: { authorization: "Bearer x" }, query: { page: "3" } });
  t.strictSame(await a.execute(request), ["a", "items"]);
  t.strictSame(await b.execute(request), ["b", 3]);

  const withParam = shape(({ page }) => page, "/x/{page}");
  t.not(withParam.requestSchemas, a.requestSchemas, "path parameters are part of the shape");
  const otherScopes = compileRoute({ method: "GET", path: "/y", sources: { user: Security(user, { scopes: ["me"] }), page: Depends(paged) }, handler: ({ user }) => user.scopes }, { overrides, cache });
  t.strictSame(await otherScopes.execute(request), ["me"], "scopes are part of the shape");
  const renamed = compileRoute({ method: "GET", path: "/z", sources: { who: Security(user, { scopes: ["items"] }), page: Depends(paged) }, handler: ({ who }) => who.scopes }, { overrides, cache });
  t.strictSame(await renamed.execute(request), ["items"], "source keys are part of the shape");

  overrides.set(config, dependency(() => ({ region: "us" })));
  const region = compileRoute({ method: "GET", path: "/r", sources: { user: Security(user, { scopes: ["items"] }), page: Depends(paged) }, handler: ({ user }) => (user as unknown as { region: string }).region }, { overrides, cache });
  t.equal(await region.execute(request), "us", "a route compiled after an override runs it");
  t.ok(b.plan.steps.some((step) => step.name === "config (overridden)"), "earlier routes of the shape re-plan with it");
});

t.test("two applications (two caches) share nothing", async (t) => {
  const other = new CompileCache();
  const handler = ({ user }: { user: unknown }) => user;
  const a = compileRoute({ method: "GET", path: "/a", sources: { user: Security(user, { scopes: ["items"] }) }, handler }, { cache });
  const b = compileRoute({ method: "GET", path: "/a", sources: { user: Security(user, { scopes: ["items"] }) }, handler }, { cache: other });
  t.not(a.plan.steps, b.plan.steps);
  t.not(a.plan.steps[0], b.plan.steps[0]);
  t.not(a.requestSchemas, b.requestSchemas);
  t.strictSame(a.security, b.security);
  t.not(a.security, b.security);
});

t.test("a failing declaration is never kept: each route of its shape reports its own error", async (t) => {
  const overrides = new DependencyOverrides();
  const bad = (path: string) => () => compileRoute({ method: "GET", path, sources: { user: Security(user, { scopes: ["nope" as "items"] }) }, handler: () => 1 }, { overrides, cache });
  t.throws(bad("/one"), { name: "DeclarationError", code: "DEPENDS_UNDECLARED_SCOPE", route: "GET /one" });
  t.throws(bad("/two"), { name: "DeclarationError", code: "DEPENDS_UNDECLARED_SCOPE", route: "GET /two" });
  t.throws(() => compileRoute({ method: "GET", path: "/g", sources: {}, handler: function* () { yield 1; } as never }, { overrides }), { name: "DeclarationError", code: "DEPENDS_INVALID_HANDLER" });
});
