import type { Database, Queryable, Unlisten } from "./db/database.js";

/** The channel revocations are announced on (payload: `{"kind","value","expiresAt"}`). */
export const REVOCATION_CHANNEL = "depends_revocation";

/** What a revocation covers: one access token (`jti`) or a whole login (`family`: refresh and access tokens). */
export type RevocationKind = "jti" | "family";

/** The revocation list could not be re-read within the bound: tokens cannot be checked (answer 503). */
export class StaleRevocationListError extends Error {
  override readonly name = "StaleRevocationListError";
}

interface Options {
  /** The bound, in ms: how long a revocation may stay unseen by this instance, at most. */
  readonly boundMs: number;
  /** A monotonic clock in ms (tests move it). */
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/**
 * This instance's copy of the revocations every instance records in the `revocation` table, so
 * that checking a token costs two `Map` lookups and no query.
 *
 * **The bound.** A revocation committed by any instance is refused here at most `boundMs` after its
 * commit, whatever happens to notifications:
 * - it is added at once on the instance that revoked, and within milliseconds on the others through
 *   `LISTEN`/`NOTIFY` (delivered on commit);
 * - the whole list is re-read every `boundMs / 2`, which catches a notification lost with a dropped
 *   connection;
 * - and `check()` fails closed ({@link StaleRevocationListError}, a 503) when the last successful
 *   re-read *started* more than `boundMs` ago, because a revocation committed before that start
 *   could then be missing. So a request at time t uses a copy of the table taken after t - boundMs.
 *
 * The verified-token cache in front of it (the JWT verifier's) caches signatures, not this answer:
 * every request is checked here, cached token or not.
 */
export class RevocationList {
  readonly #db: Database;
  readonly #boundMs: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #jtis = new Map<string, number>();
  #families = new Map<string, number>();
  #syncedAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: Unlisten | undefined;
  #syncing: Promise<void> | undefined;

  constructor(db: Database, options: Options) {
    this.#db = db;
    this.#boundMs = options.boundMs;
    this.#now = options.now ?? (() => performance.now());
    this.#onError = options.onError ?? (() => {});
  }

  /** The bound, in ms. */
  get boundMs(): number {
    return this.#boundMs;
  }

  /** Listens, reads the table, and re-reads it every `boundMs / 2` until {@link stop}. */
  async start(): Promise<void> {
    this.#unlisten = await this.#db.listen(REVOCATION_CHANNEL, (payload) => this.#onNotification(payload));
    await this.sync();
    this.#timer = setInterval(() => {
      this.sync().catch(this.#onError);
    }, Math.max(1, Math.floor(this.#boundMs / 2)));
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#unlisten?.();
    this.#unlisten = undefined;
  }

  /** Re-reads every revocation still in force (concurrent calls share one read). */
  sync(): Promise<void> {
    this.#syncing ??= this.#read().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  async #read(): Promise<void> {
    const startedAt = this.#now();
    const { rows } = await this.#db.query<{ kind: RevocationKind; value: string; expires_ms: number }>(
      "SELECT kind, value, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms FROM revocation WHERE expires_at > now()",
    );
    const jtis = new Map<string, number>();
    const families = new Map<string, number>();
    for (const row of rows) (row.kind === "jti" ? jtis : families).set(row.value, Number(row.expires_ms));
    // Keep what notifications added during the read (committed after its snapshot).
    for (const [key, value] of this.#jtis) if (!jtis.has(key) && value > Date.now()) jtis.set(key, value);
    for (const [key, value] of this.#families) if (!families.has(key) && value > Date.now()) families.set(key, value);
    this.#jtis = jtis;
    this.#families = families;
    this.#syncedAt = Math.max(this.#syncedAt, startedAt);
  }

  #onNotification(payload: string): void {
    try {
      const { kind, value, expiresAt } = JSON.parse(payload) as { kind: RevocationKind; value: string; expiresAt: number };
      this.add(kind, value, expiresAt);
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Adds a revocation to this instance's copy (the revoking instance does, right after its commit). */
  add(kind: RevocationKind, value: string, expiresAt: number): void {
    (kind === "jti" ? this.#jtis : this.#families).set(value, expiresAt);
  }

  /**
   * True when the token with this `jti` (or its login `family`) is revoked.
   * @throws StaleRevocationListError when the copy may be older than the bound.
   */
  isRevoked(jti: string, family: string | undefined): boolean {
    if (this.#now() - this.#syncedAt > this.#boundMs) throw new StaleRevocationListError(`the revocation list was not re-read for over ${this.#boundMs} ms`);
    return this.#jtis.has(jti) || (family !== undefined && this.#families.has(family));
  }
}

/**
 * Records a revocation in `tx` and announces it: the row and the notification become visible when
 * `tx` commits. `expiresAt` (ms since the epoch) is when the tokens it covers have expired anyway.
 */
export async function recordRevocation(tx: Queryable, kind: RevocationKind, value: string, expiresAt: number): Promise<void> {
  await tx.query(
    "INSERT INTO revocation (kind, value, expires_at) VALUES ($1, $2, to_timestamp($3 / 1000.0)) ON CONFLICT (kind, value) DO UPDATE SET expires_at = GREATEST(revocation.expires_at, EXCLUDED.expires_at)",
    [kind, value, expiresAt],
  );
  await tx.query("SELECT pg_notify($1, $2)", [REVOCATION_CHANNEL, JSON.stringify({ kind, value, expiresAt })]);
  // Expired revocations cover nothing any more: whoever revokes tidies up.
  await tx.query("DELETE FROM revocation WHERE expires_at < now() - interval '1 minute'");
}
