import type { Queryable } from "./db/database.js";

/** A user as the API shows it: never with a password hash. */
export interface User {
  readonly username: string;
  readonly email: string | null;
  readonly full_name: string | null;
  readonly disabled: boolean;
}

/** A stored user: the public fields, the argon2 hash, and the scopes the user may be granted. */
export interface UserInDB extends User {
  readonly hashed_password: string;
  readonly scopes: readonly string[];
}

/** The user named `username` in the `users` table (seeded by migration 002 with the guide's two). */
export async function findUser(db: Queryable, username: string): Promise<UserInDB | undefined> {
  const { rows } = await db.query<UserInDB & Record<string, unknown>>(
    "SELECT username, email, full_name, hashed_password, disabled, scopes FROM users WHERE username = $1",
    [username],
  );
  return rows[0];
}
