import type { Queryable } from "./db/database.js";

/** What was done: the hero routes' writes. */
export type AuditAction = "hero.created" | "hero.updated" | "hero.deleted" | "avatar.updated";

/** One entry of `GET /audit/`. */
export interface AuditEntry {
  readonly id: number;
  /** When it was recorded (ISO 8601, UTC). */
  readonly at: string;
  readonly username: string;
  readonly action: AuditAction;
  readonly hero_id: number | null;
}

/** Records one write (run as a background task, after the response, outside its transaction). */
export async function recordAudit(db: Queryable, username: string, action: AuditAction, heroId: number | null): Promise<void> {
  await db.query("INSERT INTO audit (username, action, hero_id) VALUES ($1, $2, $3)", [username, action, heroId]);
}

/** The newest entries first. */
export async function listAudit(db: Queryable, offset: number, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ id: string | number; at: Date | string; username: string; action: AuditAction; hero_id: number | null }>(
    "SELECT id, at, username, action, hero_id FROM audit ORDER BY id DESC OFFSET $1 LIMIT $2",
    [offset, limit],
  );
  return rows.map((row) => ({ id: Number(row.id), at: new Date(row.at).toISOString(), username: row.username, action: row.action, hero_id: row.hero_id }));
}
