// The database of a heroes bench server: with BENCH_DATABASE_URL, PostgreSQL (the parent migrated
// it and created the hero); else a PGlite of its own in memory, migrated, with one hero (id 1).
// Both bench servers open theirs the same way, so that they compare the same queries on the same engine.
import { PGlite } from "@electric-sql/pglite";
import { migrate } from "../../../examples/heroes/dist/db/migrations.js";
import { PGliteDatabase } from "../../../examples/heroes/dist/db/pglite.js";

export const HERO_PATH = `/heroes/${process.env.BENCH_HERO_ID ?? "1"}`;
export const HERO_BODY = JSON.stringify({ name: "Deadpond", age: 30, id: Number(process.env.BENCH_HERO_ID ?? "1") });
export const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;

/** A fresh in-memory PGlite, migrated, holding the bench's hero. */
export async function seededPGlite() {
  const pglite = await PGlite.create("memory://");
  await migrate(PGliteDatabase.shared(pglite));
  await pglite.query("INSERT INTO hero (name, age, secret_name) VALUES ('Deadpond', 30, 'Dive Wilson')");
  return pglite;
}
