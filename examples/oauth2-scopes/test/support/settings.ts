import type { Settings } from "../../src/settings.js";

/** The guide's key: PyJWT signs with the UTF-8 bytes of this 64-character hex string. */
export const GUIDE_SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";

/** Settings as `readSettings` would return them for the guide's key and defaults (the port is unused: tests listen on 0). */
export function guideSettings(overrides: Partial<Settings> = {}): Settings {
  return { host: "127.0.0.1", port: 8000, secretKey: GUIDE_SECRET_KEY, generatedSecret: false, accessTokenExpireMinutes: 30, ...overrides };
}
