// The example app itself (examples/oauth2-scopes, built): buildApp with the guide's SECRET_KEY and
// the logger off. Its getCurrentUser uses @depends/core/jwt with the verified-token cache.
import { buildApp } from "../../examples/oauth2-scopes/dist/app.js";
import { readSettings } from "../../examples/oauth2-scopes/dist/settings.js";
import { SECRET_KEY } from "../lib/guide.mjs";
import { listenAndReport } from "./lib/listen.mjs";

const app = await buildApp({ settings: readSettings({ SECRET_KEY }), fastify: { logger: false } });
await listenAndReport(app);
