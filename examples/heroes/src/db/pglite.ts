import { PGlite, type Transaction as PGliteTransaction } from "@electric-sql/pglite";
import type { Database, QueryResult, Row, Transaction, Unlisten } from "./database.js";

/**
 * The embedded PostgreSQL (PGlite, WASM, in-process). It has one session: PGlite serialises
 * transactions with a lock, so an open transaction holds the whole database until it ends, and
 * a statement of the same request outside it would wait for it. The example therefore reads before
 * it opens a request's transaction (see `transaction.ts`).
 *
 * Several app instances in one process may share one PGlite (give the same instance to each):
 * that is how the tests run "two instances on one database" without a server; `LISTEN` callbacks
 * of every instance receive each `NOTIFY`.
 */
export class PGliteDatabase implements Database {
  readonly engine = "pglite";
  readonly #db: PGlite;
  readonly #owned: boolean;

  private constructor(db: PGlite, owned: boolean) {
    this.#db = db;
    this.#owned = owned;
  }

  /** Opens (or creates) the data directory `dataDir`; `memory://` keeps everything in memory. */
  static async open(dataDir: string): Promise<PGliteDatabase> {
    return new PGliteDatabase(await PGlite.create(dataDir), true);
  }

  /** Wraps a PGlite opened elsewhere (shared by several apps); `close()` leaves it open. */
  static shared(db: PGlite): PGliteDatabase {
    return new PGliteDatabase(db, false);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.#db.query<R>(sql, [...params]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  begin(): Promise<Transaction> {
    // PGlite's transaction() holds its lock while the callback runs: the callback waits here until
    // commit() or rollback() is called, so the transaction can outlive this call (a yield dependency).
    return new Promise<Transaction>((opened, failed) => {
      let finish: () => void = () => {};
      const callback = (tx: PGliteTransaction) =>
        new Promise<void>((finished) => {
          finish = finished;
          opened(new PGliteTx(tx, () => finish(), settled));
        });
      const settled: Promise<void> = this.#db.transaction(callback);
      // A BEGIN that fails rejects before the callback ran: nobody else awaits `settled` then.
      settled.catch(failed);
    });
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<Unlisten> {
    const unlisten = await this.#db.listen(channel, callback);
    return () => unlisten();
  }

  async close(): Promise<void> {
    if (this.#owned && !this.#db.closed) await this.#db.close();
  }
}

class PGliteTx implements Transaction {
  readonly #tx: PGliteTransaction;
  readonly #finish: () => void;
  readonly #settled: Promise<void>;
  #done = false;

  constructor(tx: PGliteTransaction, finish: () => void, settled: Promise<void>) {
    this.#tx = tx;
    this.#finish = finish;
    this.#settled = settled;
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    if (this.#done) throw new Error("the transaction is over");
    const result = await this.#tx.query<R>(sql, [...params]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  /** Ends the callback: PGlite sends COMMIT (and rejects when PostgreSQL rolled back instead). */
  async commit(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#finish();
    await this.#settled;
  }

  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      await this.#tx.rollback();
    } finally {
      this.#finish();
      await this.#settled;
    }
  }
}
