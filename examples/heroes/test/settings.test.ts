// readSettings: the defaults (port 8001, PGlite in ./heroes-pgdata), DATABASE_URL, the key rules.
import t from "tap";
import { readSettings, SettingsError } from "../src/settings.js";

t.test("defaults", async (t) => {
  const warnings: string[] = [];
  const settings = readSettings({}, (m) => warnings.push(m));
  t.match(settings, { host: "127.0.0.1", port: 8001, generatedSecret: true, databaseUrl: undefined, pgliteDataDir: "./heroes-pgdata", revocationBoundMs: 5000, accessTokenExpireMinutes: 30, refreshTokenExpireDays: 14 });
  t.equal(warnings.length, 1, "a generated key is announced");
});

t.test("the environment", async (t) => {
  const settings = readSettings({ HOST: "0.0.0.0", PORT: "9000", SECRET_KEY: "k".repeat(32), DATABASE_URL: "postgres://u@h/db", PGLITE_DATA_DIR: "memory://", REVOCATION_BOUND_MS: "250" });
  t.match(settings, { host: "0.0.0.0", port: 9000, secretKey: "k".repeat(32), generatedSecret: false, databaseUrl: "postgres://u@h/db", pgliteDataDir: "memory://", revocationBoundMs: 250 });
  t.throws(() => readSettings({ DATABASE_URL: "mysql://x" }), SettingsError);
  t.throws(() => readSettings({ PORT: "0x50" }), /PORT must be an integer/);
  t.throws(() => readSettings({ SECRET_KEY: "short" }), /at least 32 bytes/);
  t.throws(() => readSettings({ NODE_ENV: "production" }), /SECRET_KEY is not set/);
});
