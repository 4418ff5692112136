import { RequestValidationError } from "@depends/core";
import type { Queryable } from "./db/database.js";

/** A stored hero. */
export interface Hero {
  readonly id: number;
  readonly name: string;
  readonly age: number | null;
  readonly secret_name: string;
}

/** A hero as responses and the feed show it. */
export interface HeroPublic {
  readonly id: number;
  readonly name: string;
  readonly age: number | null;
}

export const HERO_CHANNEL = "depends_heroes";

/** The feed's message: `{"event": "created" | "updated" | "deleted", "hero": {...}}`. */
export interface HeroEvent {
  readonly event: "created" | "updated" | "deleted";
  readonly hero: HeroPublic;
}

const INT4_MAX = 2147483647;
const INT4_MIN = -2147483648;

/** True when `id` could be a stored hero's id (PostgreSQL `integer`); others cannot exist. */
export function isStorableId(id: number): boolean {
  return Number.isInteger(id) && id >= INT4_MIN && id <= INT4_MAX;
}

export function publicHero(hero: Hero): HeroPublic {
  return { name: hero.name, age: hero.age, id: hero.id };
}

// PostgreSQL text cannot hold U+0000 (SQLite, in the tutorial, can): refuse it as a 422 naming the
// field rather than fail in the database.
export function refuseNul(fields: Readonly<Record<string, unknown>>): void {
  const errors = Object.entries(fields)
    .filter(([, value]) => typeof value === "string" && value.includes("\u0000"))
    .map(([field, value]) => ({ type: "value_error", loc: ["body", field], msg: "Value error, text cannot contain NUL (\\u0000) characters", input: value, ctx: { error: {} } }));
  if (errors.length > 0) throw new RequestValidationError(errors);
}

/**
 * `name` and `secret_name` are `NOT NULL` columns: a PATCH that sends null for one is a 422 naming
 * the field (FastAPI's tutorial lets it through to the database, which then fails with a 500).
 */
export function refuseNullColumns(changes: Readonly<Record<string, unknown>>): void {
  const errors = (["name", "secret_name"] as const)
    .filter((field) => field in changes && changes[field] === null)
    .map((field) => ({ type: "string_type", loc: ["body", field], msg: "Input should be a valid string", input: null }));
  if (errors.length > 0) throw new RequestValidationError(errors);
}

const COLUMNS = "id, name, age, secret_name";

export async function findHero(db: Queryable, id: number, lock = false): Promise<Hero | undefined> {
  if (!isStorableId(id)) return undefined;
  const { rows } = await db.query<Hero & Record<string, unknown>>(`SELECT ${COLUMNS} FROM hero WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]);
  return rows[0];
}

export async function listHeroes(db: Queryable, offset: number, limit: number): Promise<Hero[]> {
  const { rows } = await db.query<Hero & Record<string, unknown>>(`SELECT ${COLUMNS} FROM hero ORDER BY id OFFSET $1 LIMIT $2`, [offset, limit]);
  return rows;
}

export async function insertHero(db: Queryable, hero: { name: string; age?: number | null | undefined; secret_name: string }): Promise<Hero> {
  const { rows } = await db.query<Hero & Record<string, unknown>>(`INSERT INTO hero (name, age, secret_name) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [hero.name, hero.age ?? null, hero.secret_name]);
  return rows[0]!;
}

export async function updateHero(db: Queryable, id: number, changes: Readonly<Record<"name" | "age" | "secret_name", unknown>>): Promise<Hero> {
  const { rows } = await db.query<Hero & Record<string, unknown>>(
    `UPDATE hero SET name = $2, age = $3, secret_name = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, changes.name, changes.age, changes.secret_name],
  );
  return rows[0]!;
}

export async function deleteHero(db: Queryable, id: number): Promise<void> {
  await db.query("DELETE FROM hero WHERE id = $1", [id]);
}

// NOTIFY payloads are limited to 8000 bytes: a larger hero is announced by id and read by the
// receiving instance (see feed.ts).
const MAX_PAYLOAD = 7_900;

/** Announces a change; delivered to every instance's feed when `tx` commits (never if it rolls back). */
export async function announce(tx: Queryable, event: HeroEvent): Promise<void> {
  let payload = JSON.stringify(event);
  if (Buffer.byteLength(payload) > MAX_PAYLOAD) payload = JSON.stringify({ event: event.event, id: event.hero.id });
  await tx.query("SELECT pg_notify($1, $2)", [HERO_CHANNEL, payload]);
}
