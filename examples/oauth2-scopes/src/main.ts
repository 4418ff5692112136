import { buildApp } from "./app.js";
import { readSettings, SettingsError } from "./settings.js";

// `npm start`: the guide's app on http://127.0.0.1:8000 (HOST and PORT to change it).
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
  app.log.info(`Swagger UI: http://${settings.host}:${settings.port}/docs`);
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
