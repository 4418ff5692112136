import { Depends, dependency } from "@depends/core";
import { createJwtSigner, createJwtVerifier } from "@depends/core/jwt";
import type { Database } from "./db/database.js";
import { migrate } from "./db/migrations.js";
import { openDatabase } from "./db/open.js";
import { HeroFeed } from "./feed.js";
import { PasswordVerifier } from "./passwords.js";
import { RevocationList } from "./revocations.js";
import { readSettings, type Settings } from "./settings.js";

// The app-scoped services, used with `{ scope: "app" }`: each application makes them once at
// startup (settings, then the database, then what needs it) and tears them down on app.close(),
// last made first. Tests replace them with overrides (a shared PGlite for two instances).

/** The settings, from the environment. */
export const getSettings = dependency(function settings(): Settings {
  return readSettings(process.env);
});

/** The database (PGlite or `pg`'s pool), migrated; closed with the application. */
export const getDatabase = dependency({ settings: Depends(getSettings) }, async function* database({ settings }): AsyncGenerator<Database, void> {
  const db = await openDatabase(settings);
  try {
    await migrate(db);
    yield db;
  } finally {
    await db.close();
  }
});

/** This instance's copy of the revocation list, kept within the settings' bound. */
export const getRevocations = dependency({ db: Depends(getDatabase), settings: Depends(getSettings) }, async function* revocations({ db, settings }): AsyncGenerator<RevocationList, void> {
  const list = new RevocationList(db, { boundMs: settings.revocationBoundMs });
  await list.start();
  try {
    yield list;
  } finally {
    await list.stop();
  }
});

/** The live feed's fan-out of hero changes (one LISTEN per instance). */
export const getHeroFeed = dependency({ db: Depends(getDatabase) }, async function* heroFeed({ db }): AsyncGenerator<HeroFeed, void> {
  const feed = new HeroFeed(db);
  await feed.start();
  try {
    yield feed;
  } finally {
    await feed.stop();
  }
});

/** The argon2 verifier, its dummy hash computed before the first login. */
export const getPasswordVerifier = dependency(async function passwordVerifier(): Promise<PasswordVerifier> {
  const passwords = new PasswordVerifier();
  await passwords.warmUp();
  return passwords;
});

/** The token verifier: key imported once, verified signatures cached (revocation is checked apart). */
export const getJwtVerifier = dependency({ settings: Depends(getSettings) }, function jwtVerifier({ settings }) {
  return createJwtVerifier({ secret: settings.secretKey, algorithms: ["HS256"], cache: { maxEntries: 10_000 } });
});

/** The token signer. */
export const getJwtSigner = dependency({ settings: Depends(getSettings) }, function jwtSigner({ settings }) {
  return createJwtSigner({ secret: settings.secretKey, algorithm: "HS256", expiresInSeconds: settings.accessTokenExpireMinutes * 60 });
});
