import type { Database } from "./database.js";
import { PGliteDatabase } from "./pglite.js";
import { PostgresDatabase } from "./postgres.js";

/** Opens the database the settings name: `pg`'s pool with a URL, else PGlite in its data directory. */
export async function openDatabase(settings: { readonly databaseUrl: string | undefined; readonly pgliteDataDir: string }, onError?: (error: Error) => void): Promise<Database> {
  if (settings.databaseUrl !== undefined) return new PostgresDatabase(settings.databaseUrl, onError ? { onError } : {});
  return PGliteDatabase.open(settings.pgliteDataDir);
}
