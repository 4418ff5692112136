import { readdir, readFile } from "node:fs/promises";
import type { Database } from "./database.js";
import { inTransaction } from "./database.js";

/** Where the example's plain SQL migrations live: `NNN_name.sql`, applied in name order. */
export const MIGRATIONS_DIR = new URL("../../migrations/", import.meta.url);

// One lock id for "migrating the heroes schema", so that instances starting together take turns.
const MIGRATION_LOCK = 7_319_004;

/**
 * Applies the migrations not applied yet, each in its own transaction with its row in
 * `schema_migrations`, so a second start (or a second instance) applies nothing. Returns the names
 * applied now.
 */
export async function migrate(db: Database, dir: URL = MIGRATIONS_DIR): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => /^\d+_[\w-]+\.sql$/.test(name)).sort();
  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try, and one then fails
  // on a unique index of the catalog (found by the two-pool test on a real server).
  await inTransaction(db, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
  });
  const applied: string[] = [];
  for (const name of names) {
    const sql = await readFile(new URL(name, dir), "utf8");
    const done = await inTransaction(db, async (tx) => {
      // Held until this transaction ends: a concurrent start waits, then sees the row and skips.
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const seen = await tx.query("SELECT 1 FROM schema_migrations WHERE name = $1", [name]);
      if (seen.rows.length > 0) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}

/**
 * Splits a migration into statements at `;` ends of lines, outside quotes (the extended protocol both
 * drivers use for parameters runs one statement at a time). Migrations keep to that form.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let quoted = false;
  for (const line of sql.split("\n")) {
    const trimmed = line.trim();
    if (!quoted && (trimmed === "" || trimmed.startsWith("--"))) continue;
    current += `${line}\n`;
    for (const char of line) if (char === "'") quoted = !quoted;
    if (!quoted && trimmed.endsWith(";")) {
      statements.push(current.trim().replace(/;$/, ""));
      current = "";
    }
  }
  if (current.trim() !== "") statements.push(current.trim());
  return statements;
}
