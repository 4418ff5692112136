/**
 * The one interface the example's code uses for PostgreSQL, whichever engine is behind it: the
 * embedded PGlite (no server) or a real server through `pg`'s pool. Same SQL on both.
 */

/** A row, as both drivers return it: column name to value. */
export type Row = Record<string, unknown>;

/** What a statement answered: its rows (for `SELECT` / `RETURNING`) and how many rows it touched. */
export interface QueryResult<R extends Row = Row> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** Something that runs SQL with `$1`-style parameters: the database itself or an open transaction. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * An open transaction. Exactly one of `commit()` / `rollback()` ends it; afterwards its connection
 * (or, on PGlite, the database's lock) is given back. `NOTIFY`s sent in it are delivered on commit.
 */
export interface Transaction extends Queryable {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Stops a {@link Database.listen} subscription. */
export type Unlisten = () => Promise<void>;

/** The database: single statements, transactions, `LISTEN`/`NOTIFY`, and closing. */
export interface Database extends Queryable {
  /** `"pglite"` or `"postgres"`: which engine this is (for logs and tests). */
  readonly engine: "pglite" | "postgres";
  /** Starts a transaction (`BEGIN`). */
  begin(): Promise<Transaction>;
  /** `LISTEN channel`: `callback` receives each notification's payload, from any connection or instance. */
  listen(channel: string, callback: (payload: string) => void): Promise<Unlisten>;
  /** Closes what this object opened (a PGlite given to it from outside stays open). */
  close(): Promise<void>;
}

/** Runs `work` in a transaction: commits when it returns, rolls back when it throws (and rethrows). */
export async function inTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = await db.begin();
  let result: T;
  try {
    result = await work(tx);
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  await tx.commit();
  return result;
}
