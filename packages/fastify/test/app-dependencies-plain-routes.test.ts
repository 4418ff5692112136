// Regression (issue 20, item 8): app-level dependencies (dependsPlugin's `dependencies`) skipped
// plain fastify routes (`app.get("/plain", ...)`) without a word, although the docs said "every
// route". Plain routes are not path operations (as Starlette routes in a FastAPI app): they still
// skip them, but are flagged at registration: a warning, and under secureByDefault a refusal
// (DEPENDS_SKIPS_APP_DEPENDENCIES) unless `config: { skipAppDependencies: true }` says so.
import t from "tap";
import Fastify from "fastify";
import { Depends, dependency, DeclarationError } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

function counting() {
  const calls = { n: 0 };
  const audit = dependency(() => {
    calls.n++;
  });
  return { calls, audit };
}

t.test("regression: under secureByDefault a plain route on an app with app-level dependencies is refused", async (t) => {
  const { audit } = counting();
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false, secureByDefault: true, dependencies: [Depends(audit)] });
  t.throws(() => app.get("/plain", { config: { public: true } }, async () => "plain"), { name: "DeclarationError", code: "DEPENDS_SKIPS_APP_DEPENDENCIES", route: "GET /plain" });
  t.throws(() => app.get("/plain2", { config: { public: true } }, async () => "plain"), DeclarationError);
  t.doesNotThrow(() => app.get("/healthz", { config: { public: true, skipAppDependencies: true } }, async () => "ok"), "accepted when said on purpose");
  await app.ready();
  t.equal((await app.inject("/healthz")).body, "ok");
  await app.close();
});

t.test("without secureByDefault the plain route is flagged with a warning, and the router routes run the dependencies", async (t) => {
  const { calls, audit } = counting();
  const warnings: { level: number; msg: string; route?: string }[] = [];
  const app = Fastify({ logger: { level: "warn", stream: { write: (line: string) => warnings.push(JSON.parse(line)) } } });
  await app.register(dependsPlugin, { openapi: false, dependencies: [Depends(audit)] });
  const api = router();
  api.get("/mounted", () => ({ mounted: true }));
  await app.register(api.plugin());
  app.get("/plain", async () => "plain");
  app.get("/quiet", { config: { skipAppDependencies: true } }, async () => "quiet");
  await app.ready();
  t.strictSame(warnings.map((line) => line.route), ["GET /plain"], "one warning, for the route that did not say so");
  t.match(warnings[0]?.msg, /app-level dependencies do not run/);
  await app.inject("/mounted");
  t.equal(calls.n, 1, "a router route runs the app-level dependency");
  t.equal((await app.inject("/plain")).body, "plain");
  t.equal(calls.n, 1, "the plain route does not (documented)");
  await app.close();
});

t.test("no app-level dependencies: plain routes are not flagged", async (t) => {
  const warnings: unknown[] = [];
  const app = Fastify({ logger: { level: "warn", stream: { write: (line: string) => warnings.push(line) } } });
  await app.register(dependsPlugin, { openapi: false });
  app.get("/plain", async () => "plain");
  await app.ready();
  t.strictSame(warnings, []);
  await app.close();
});
