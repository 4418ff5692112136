// The soak's server: the built example (examples/oauth2-scopes/dist) exactly as `npm start` builds
// it, plus one harness-only route, GET /__heap, answering the heap used after a forced GC (run
// with --expose-gc). Logs go to stdout as pino JSON lines at LOG_LEVEL (default warn) for the
// parent to scan; the parent learns the port over IPC.
import { buildApp } from "../examples/oauth2-scopes/dist/app.js";
import { readSettings } from "../examples/oauth2-scopes/dist/settings.js";

if (typeof globalThis.gc !== "function") {
  console.error("soak-server: run with node --expose-gc");
  process.exit(2);
}
const settings = readSettings(process.env);
const app = await buildApp({ settings, fastify: { logger: { level: process.env.LOG_LEVEL ?? "warn" } } });
// Declared public: the example refuses routes without security (secureByDefault).
app.get("/__heap", { config: { public: true } }, async () => {
  globalThis.gc();
  globalThis.gc();
  return { heapUsed: process.memoryUsage().heapUsed };
});
await app.listen({ host: "127.0.0.1", port: 0 });
process.send?.({ port: app.server.address().port });
process.once("SIGTERM", () => app.close().then(() => process.exit(0)));
