import pg from "pg";
import type { Database, QueryResult, Row, Transaction, Unlisten } from "./database.js";

/**
 * A real PostgreSQL server through `pg`'s pool (`DATABASE_URL=postgres://...`). Transactions take a
 * connection of the pool for their duration; `LISTEN` uses one dedicated connection, opened on the
 * first `listen()`. When that connection fails, notifications are lost until it is re-opened (the
 * next `listen()` call, or the revocation list's periodic re-read, which does not depend on them).
 */
export class PostgresDatabase implements Database {
  readonly engine = "postgres";
  readonly #pool: pg.Pool;
  #listener: Promise<pg.PoolClient> | undefined;
  readonly #channels = new Map<string, Set<(payload: string) => void>>();
  readonly #onError: (error: Error) => void;
  #closed = false;
  #releaseListener: () => void = () => {};

  constructor(connectionString: string, options: { max?: number; onError?: (error: Error) => void } = {}) {
    this.#onError = options.onError ?? (() => {});
    this.#pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
    // An idle client that fails (server restart) must not crash the process.
    this.#pool.on("error", (error) => this.#onError(error));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.#pool.query<R>(sql, [...params]);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  }

  async begin(): Promise<Transaction> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    return new PgTransaction(client);
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<Unlisten> {
    const client = await this.#listenerClient();
    let callbacks = this.#channels.get(channel);
    if (callbacks === undefined) {
      callbacks = new Set();
      this.#channels.set(channel, callbacks);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    callbacks.add(callback);
    return async () => {
      callbacks.delete(callback);
      if (callbacks.size === 0 && this.#channels.get(channel) === callbacks) {
        this.#channels.delete(channel);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
      }
    };
  }

  #listenerClient(): Promise<pg.PoolClient> {
    this.#listener ??= this.#pool.connect().then((client) => {
      client.on("notification", (message) => {
        for (const callback of this.#channels.get(message.channel) ?? []) callback(message.payload ?? "");
      });
      let released = false;
      client.on("error", (error) => {
        // After close() (or a terminated connection already handled) there is nothing to give back.
        if (released || this.#closed) return;
        released = true;
        this.#onError(error);
        this.#listener = undefined;
        this.#channels.clear();
        client.release(error);
      });
      this.#releaseListener = () => {
        if (released) return;
        released = true;
        client.release();
      };
      return client;
    });
    return this.#listener;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener !== undefined && (await listener.catch(() => undefined)) !== undefined) this.#releaseListener();
    await this.#pool.end();
  }
}

class PgTransaction implements Transaction {
  readonly #client: pg.PoolClient;
  #done = false;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    if (this.#done) throw new Error("the transaction is over");
    const result = await this.#client.query<R>(sql, [...params]);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  }

  commit(): Promise<void> {
    return this.#end("COMMIT");
  }

  rollback(): Promise<void> {
    return this.#end("ROLLBACK");
  }

  async #end(statement: "COMMIT" | "ROLLBACK"): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      // A COMMIT of a transaction that failed answers ROLLBACK: that is a failure, not a success.
      const result = await this.#client.query(statement);
      if (statement === "COMMIT" && result.command === "ROLLBACK") throw new Error("the transaction was rolled back by PostgreSQL");
      this.#client.release();
    } catch (error) {
      // A connection whose COMMIT or ROLLBACK failed is in an unknown state: destroy it.
      this.#client.release(error instanceof Error ? error : true);
      throw error;
    }
  }
}
