import { Depends, dependency } from "@depends/core";
import { createJwtSigner, createJwtVerifier } from "@depends/core/jwt";
import { PasswordVerifier } from "./passwords.js";
import { readSettings, type Settings } from "./settings.js";
import { MemoryUserStore, type UserStore } from "./users.js";

// The services the security dependencies use, declared as dependencies and used with
// `{ scope: "app" }`: each application makes them once when it starts (in dependency order:
// settings first, then the verifier, signer and password verifier together) and owns them in its
// `app.appScope`. Tests replace them with `app.dependencyOverrides.set(getUserStore, ...)`.

/** The settings, from the environment (FastAPI's `get_settings`). */
export const getSettings = dependency(function settings(): Settings {
  return readSettings(process.env);
});

/** The user store: the guide's two users in memory. */
export const getUserStore = dependency(function userStore(): UserStore {
  return new MemoryUserStore();
});

/**
 * The argon2 verifier. Nothing to wait for at startup: its dummy hash is a constant, and the
 * argon2 binding loads on the first login (see passwords.ts).
 */
export const getPasswordVerifier = dependency(function passwordVerifier(): PasswordVerifier {
  return new PasswordVerifier();
});

/** The token verifier (key imported once, verified tokens cached). */
export const getJwtVerifier = dependency({ settings: Depends(getSettings) }, function jwtVerifier({ settings }) {
  return createJwtVerifier({ secret: settings.secretKey, algorithms: ["HS256"], cache: { maxEntries: 10_000 } });
});

/** The token signer. */
export const getJwtSigner = dependency({ settings: Depends(getSettings) }, function jwtSigner({ settings }) {
  return createJwtSigner({ secret: settings.secretKey, algorithm: "HS256", expiresInSeconds: settings.accessTokenExpireMinutes * 60 });
});
