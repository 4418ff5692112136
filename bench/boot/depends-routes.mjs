// Boot probe, @depends/fastify: 1,000 routes sharing a 10-node tree that reaches an
// OAuth2PasswordBearer, with dependsPlugin's defaults (OpenAPI document and Swagger UI included;
// Swagger UI itself loads on its first request).
// Reports time to `ready` and heap (see report.mjs); with --compile-cost, then the warm cost of
// compileRoute alone (left out when profiling the boot).
import { compileRoute, Depends, dependency, Security, SecurityScopes } from "@depends/core";
import { OAuth2PasswordBearer } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";
import { report, startClock } from "./report.mjs";
import * as tree from "./tree.mjs";

const start = startClock();
const lean = process.argv.includes("--no-openapi");

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read yourself.", items: "Read items." } });
const config = dependency(tree.config);
const db = dependency({ config: Depends(config) }, tree.db);
const tokenData = dependency({ securityScopes: SecurityScopes, token: Depends(scheme) }, tree.tokenData);
const user = dependency({ data: Depends(tokenData), db: Depends(db) }, tree.user);
const activeUser = dependency({ user: Security(user, { scopes: ["me"] }) }, tree.activeUser);
const repo = dependency({ db: Depends(db) }, tree.repo);
const service = dependency({ repo: Depends(repo), config: Depends(config) }, tree.service);
const audit = dependency({ user: Depends(activeUser), config: Depends(config) }, tree.audit);
const permissions = dependency({ securityScopes: SecurityScopes, user: Depends(activeUser) }, tree.permissions);
const context = dependency({ service: Depends(service), audit: Depends(audit), permissions: Depends(permissions) }, tree.context);
const sources = { context: Security(context, { scopes: ["items"] }) };

// With --distinct, each route receives the context under a key of its own: 1,000 declarations of
// different shapes, so that none reuses another's walk (the routes still share the tree's steps).
const distinct = process.argv.includes("--distinct");
const distinctHandler = (values) => {
  for (const key in values) return tree.handler({ context: values[key] });
};

const api = router();
for (let i = 0; i < tree.ROUTES; i++) {
  if (distinct) api.get(tree.routePath(i), { [`context${i}`]: Security(context, { scopes: ["items"] }) }, distinctHandler);
  else api.get(tree.routePath(i), sources, tree.handler);
}
const app = Fastify({ logger: false });
await app.register(dependsPlugin, lean ? { openapi: false } : {});
await app.register(api.plugin());
await app.ready();

// After the heap is measured: compileRoute alone, warm, per route (the core's share of the boot).
report(start, {
  routes: tree.ROUTES,
  compileUs: () => {
    if (!process.argv.includes("--compile-cost")) return undefined;
    const t = performance.now();
    for (let i = 0; i < tree.ROUTES; i++) compileRoute({ method: "GET", path: tree.routePath(i), sources, handler: tree.handler });
    return ((performance.now() - t) * 1000) / tree.ROUTES;
  },
});
