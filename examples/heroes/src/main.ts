import { buildApp } from "./app.js";
import { readSettings, SettingsError } from "./settings.js";

// `npm run start:heroes`: the heroes app on http://127.0.0.1:8001 (HOST and PORT to change it;
// DATABASE_URL for a PostgreSQL server, else PGlite in PGLITE_DATA_DIR).
async function main(): Promise<void> {
  const warnings: string[] = [];
  const settings = readSettings(process.env, (message) => warnings.push(message));
  const app = await buildApp({ settings, fastify: { logger: { level: process.env.LOG_LEVEL ?? "info" } } });
  for (const message of warnings) app.log.warn(message);
  const close = async (signal: string): Promise<void> => {
    app.log.info(`${signal} received, closing`);
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));
  await app.listen({ host: settings.host, port: settings.port });
  app.log.info(`database: ${settings.databaseUrl === undefined ? `PGlite in ${settings.pgliteDataDir}` : "PostgreSQL (DATABASE_URL)"}`);
  app.log.info(`Swagger UI: http://${settings.host}:${settings.port}/docs`);
}

main().catch((error: unknown) => {
  console.error(error instanceof SettingsError ? `Cannot start: ${error.message}` : error);
  process.exit(1);
});
