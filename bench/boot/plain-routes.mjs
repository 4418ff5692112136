// Boot probe, baseline: 1,000 plain fastify routes whose handler does the tree's work by hand
// (bearer token, the 10 calls). Reports time to `ready` and heap (see report.mjs).
import Fastify from "fastify";
import { report, startClock } from "./report.mjs";
import * as tree from "./tree.mjs";

const start = startClock();
const securityScopes = { scopes: ["items", "me"], scopeStr: "items me" };

function handler(request, reply) {
  const header = request.headers.authorization;
  if (typeof header !== "string" || !header.startsWith("Bearer ")) return reply.code(401).header("www-authenticate", "Bearer").send({ detail: "Not authenticated" });
  const token = header.slice(7);
  const config = tree.config();
  const db = tree.db({ config });
  const user = tree.activeUser({ user: tree.user({ data: tree.tokenData({ securityScopes, token }), db }) });
  const service = tree.service({ repo: tree.repo({ db }), config });
  const context = tree.context({ service, audit: tree.audit({ user, config }), permissions: tree.permissions({ securityScopes, user }) });
  return tree.handler({ context });
}

const app = Fastify({ logger: false });
for (let i = 0; i < tree.ROUTES; i++) app.get(tree.routePath(i), handler);
await app.ready();
report(start, { routes: tree.ROUTES });
