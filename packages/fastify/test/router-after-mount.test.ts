// Regression (issue 20, item 9): a route added to a router after `app.register(api.plugin())` was
// silently ignored (404 forever). It now throws DeclarationError DEPENDS_ROUTER_MOUNTED naming the
// route; so does an include into a mounted router or into one it includes.
import t from "tap";
import Fastify from "fastify";
import { DeclarationError } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

t.test("regression: a route added after the router was mounted throws a coded error naming it", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router({ prefix: "/api" });
  const inner = router({ prefix: "/inner" });
  api.get("/early", () => ({ early: true }));
  api.include(inner);
  await app.register(api.plugin());
  const late = (): unknown => api.get("/late", () => ({ late: true }));
  t.throws(late, { name: "DeclarationError", code: "DEPENDS_ROUTER_MOUNTED", route: "GET /api/late" });
  t.throws(late, /GET \/api\/late/, "the message names the route");
  t.throws(() => inner.post("/x", () => 1), { code: "DEPENDS_ROUTER_MOUNTED", route: "POST /inner/x" }, "an included router is mounted too");
  t.throws(() => api.include(router()), { code: "DEPENDS_ROUTER_MOUNTED" }, "an include after the mount");
  t.throws(() => api.route({ method: "PUT", path: "/r", handler: () => 1 }), DeclarationError);
  t.strictSame((await app.inject("/api/early")).json(), { early: true }, "the mounted routes still answer");
  await app.close();
});

t.test("declaring before the mount still works, even after plugin() is called", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  const plugin = api.plugin();
  api.get("/before-mount", () => ({ ok: true }));
  await app.register(plugin);
  t.strictSame((await app.inject("/before-mount")).json(), { ok: true });
  const second = Fastify();
  await second.register(dependsPlugin, { openapi: false });
  await second.register(api.plugin());
  t.strictSame((await second.inject("/before-mount")).json(), { ok: true }, "a mounted router can be mounted again elsewhere");
  await app.close();
  await second.close();
});
