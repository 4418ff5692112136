// The heroes example's GET /heroes/{hero_id} as it ships (buildApp: token checks, revocation list,
// user lookup, the hero query), on PGlite or PostgreSQL (see lib/heroes-db.mjs).
import { buildApp } from "../../examples/heroes/dist/app.js";
import { PGliteDatabase } from "../../examples/heroes/dist/db/pglite.js";
import { readSettings } from "../../examples/heroes/dist/settings.js";
import { SECRET_KEY } from "../lib/guide.mjs";
import { databaseUrl, seededPGlite } from "./lib/heroes-db.mjs";
import { listenAndReport } from "./lib/listen.mjs";

const settings = readSettings({ SECRET_KEY, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DATA_DIR: "memory://" }) });
const database = databaseUrl ? undefined : PGliteDatabase.shared(await seededPGlite());
await listenAndReport(await buildApp({ settings, ...(database ? { database } : {}), fastify: { logger: false } }));
