// The database the tests run on: PGlite in memory, or, with DATABASE_URL set (as .ci/run does
// once, against a throwaway PostgreSQL cluster), a fresh database created on that server for the
// test file and dropped at its end, so that files running in parallel never see each other's rows.
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import t from "tap";
import type { Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrations.js";
import { PGliteDatabase } from "../../src/db/pglite.js";
import { PostgresDatabase } from "../../src/db/postgres.js";

/** The server's URL when the tests run against a real PostgreSQL, else undefined (PGlite). */
export const DATABASE_URL = process.env.DATABASE_URL || undefined;

/** The test file's database: `open()` gives one app instance its connection to it. */
export interface TestDatabase {
  readonly engine: "pglite" | "postgres";
  /** A new connection (a pool with PostgreSQL; the shared PGlite otherwise), closed at the file's end. */
  open(): Promise<Database>;
  /** Empties the heroes and the tokens (the seeded users stay). */
  reset(): Promise<void>;
}

let current: Promise<TestDatabase> | undefined;

/** The database of this test file, made (and migrated) on first use. */
export function testDatabase(): Promise<TestDatabase> {
  current ??= DATABASE_URL === undefined ? pglite() : postgres(DATABASE_URL);
  return current;
}

async function pglite(): Promise<TestDatabase> {
  const shared = await PGlite.create("memory://");
  t.teardown(() => shared.close());
  const db = PGliteDatabase.shared(shared);
  await migrate(db);
  return { engine: "pglite", open: async () => db, reset: () => truncate(db) };
}

/**
 * Creates a database of its own on the server; `drop()` removes it. Test files starting together
 * may collide on template1 ("being accessed by other users", 55006): that is retried.
 */
export async function createServerDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
    }
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function postgres(serverUrl: string): Promise<TestDatabase> {
  const created = await createServerDatabase(serverUrl, "heroes_test");
  const opened: PostgresDatabase[] = [];
  const open = async () => {
    const db = new PostgresDatabase(created.url, { max: 4 });
    opened.push(db);
    return db;
  };
  const first = await open();
  await migrate(first);
  t.teardown(async () => {
    for (const db of opened) await db.close().catch(() => {});
    await created.drop();
  });
  return { engine: "postgres", open, reset: () => truncate(first) };
}

async function truncate(db: Database): Promise<void> {
  await db.query("TRUNCATE hero, hero_avatars, refresh_token, revocation, audit RESTART IDENTITY");
}
