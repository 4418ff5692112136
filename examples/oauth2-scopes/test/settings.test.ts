// readSettings: the environment variables of `npm start`, their defaults and their mistakes.
import t from "tap";
import { readSettings, SettingsError } from "../src/settings.js";
import { GUIDE_SECRET_KEY } from "./support/settings.js";

function read(env: NodeJS.ProcessEnv) {
  const warnings: string[] = [];
  return { settings: readSettings(env, (message) => warnings.push(message)), warnings };
}

t.test("defaults: 127.0.0.1:8000, 30-minute tokens", async (t) => {
  const { settings } = read({ SECRET_KEY: GUIDE_SECRET_KEY });
  t.strictSame(settings, { host: "127.0.0.1", port: 8000, secretKey: GUIDE_SECRET_KEY, generatedSecret: false, accessTokenExpireMinutes: 30 });
});

t.test("HOST, PORT and ACCESS_TOKEN_EXPIRE_MINUTES are read", async (t) => {
  const { settings } = read({ SECRET_KEY: GUIDE_SECRET_KEY, HOST: "0.0.0.0", PORT: "9000", ACCESS_TOKEN_EXPIRE_MINUTES: "5" });
  t.match(settings, { host: "0.0.0.0", port: 9000, accessTokenExpireMinutes: 5 });
});

t.test("without SECRET_KEY: a random key per process, and a warning", async (t) => {
  for (const env of [{}, { SECRET_KEY: "" }, { NODE_ENV: "development" }]) {
    const first = read(env);
    const second = read(env);
    t.equal(first.settings.generatedSecret, true);
    t.match(first.settings.secretKey, /^[0-9a-f]{64}$/, "32 random bytes in hex");
    t.not(first.settings.secretKey, second.settings.secretKey, "a new key each time");
    t.equal(first.warnings.length, 1);
    t.match(first.warnings[0], /SECRET_KEY is not set/);
  }
});

t.test("with SECRET_KEY: used as given (its UTF-8 text), no warning", async (t) => {
  const { settings, warnings } = read({ SECRET_KEY: GUIDE_SECRET_KEY, NODE_ENV: "production" });
  t.equal(settings.secretKey, GUIDE_SECRET_KEY, "not hex-decoded: PyJWT uses the text");
  t.equal(settings.generatedSecret, false);
  t.strictSame(warnings, []);
});

t.test("NODE_ENV=production without SECRET_KEY refuses to start, saying why and what to do", async (t) => {
  for (const env of [{ NODE_ENV: "production" }, { NODE_ENV: "production", SECRET_KEY: "" }]) {
    t.throws(() => readSettings(env), SettingsError);
    t.throws(() => readSettings(env), { name: "SettingsError", message: /SECRET_KEY is not set.*NODE_ENV=production.*openssl rand -hex 32/ });
  }
});

t.test("a SECRET_KEY shorter than 32 bytes is refused", async (t) => {
  t.throws(() => readSettings({ SECRET_KEY: "x".repeat(31) }), { name: "SettingsError", message: /SECRET_KEY must be at least 32 bytes/ });
  t.equal(readSettings({ SECRET_KEY: "x".repeat(32) }).secretKey, "x".repeat(32), "32 bytes is enough");
  t.equal(readSettings({ SECRET_KEY: "é".repeat(16) }).secretKey, "é".repeat(16), "bytes, not characters: 16 two-byte characters are 32 bytes");
});

t.test("PORT and ACCESS_TOKEN_EXPIRE_MINUTES must be positive integers in range", async (t) => {
  for (const port of ["abc", "0", "-1", "1.5", "65536", "80 80"]) {
    t.throws(() => readSettings({ SECRET_KEY: GUIDE_SECRET_KEY, PORT: port }), { name: "SettingsError", message: /^PORT must be an integer from 1 to 65535/ }, `PORT=${port}`);
  }
  t.equal(readSettings({ SECRET_KEY: GUIDE_SECRET_KEY, PORT: "65535" }).port, 65535);
  for (const minutes of ["0", "-5", "ten", "525601"]) {
    t.throws(() => readSettings({ SECRET_KEY: GUIDE_SECRET_KEY, ACCESS_TOKEN_EXPIRE_MINUTES: minutes }), { name: "SettingsError", message: /^ACCESS_TOKEN_EXPIRE_MINUTES must be an integer/ }, `ACCESS_TOKEN_EXPIRE_MINUTES=${minutes}`);
  }
});

// Reported: positiveInteger() parses with Number(), which reads hexadecimal, exponents and padding.
t.test("PORT takes decimal digits only", async (t) => {
  for (const port of ["0x50", "1e3", " 8000 ", "8000.0"]) {
    t.throws(() => readSettings({ SECRET_KEY: GUIDE_SECRET_KEY, PORT: port }), SettingsError, `PORT=${JSON.stringify(port)}`);
  }
});
