/**
 * The verified-token cache: token string -> verified, frozen claims, bounded in entries (LRU) and in
 * time (never past the token's own `exp`, nor past `maxTtlSeconds`). It stores only what the
 * verifier hands it after a successful verification; see docs/security.md, "Verified-token cache".
 */

/**
 * Options of the verified-token cache.
 *
 * @example
 * ```ts
 * const cache: VerifiedTokenCacheOptions = { maxEntries: 10_000, maxTtlSeconds: 300 };
 * ```
 */
export interface VerifiedTokenCacheOptions {
  /** Upper bound on entries; the least recently used entry is dropped beyond it. A positive integer. */
  readonly maxEntries: number;
  /**
   * Longest time, in seconds, an entry is served after its verification, whatever the token's `exp`.
   * Bounds how long a cached token outlives a key rotation or a revocation. Default 600 (jose's
   * default remote JWKS `cacheMaxAge`); `Infinity` leaves only the token's `exp`.
   */
  readonly maxTtlSeconds?: number;
}

/**
 * Counters of the verified-token cache, for tests, benchmarks and metrics.
 *
 * @example
 * ```ts
 * const { hits, misses } = verifier.cacheStats();
 * console.log(`hit ratio ${(hits / Math.max(1, hits + misses)).toFixed(2)}`);
 * ```
 */
export interface VerifiedTokenCacheStats {
  /** Whether the verifier has a cache at all (all counters stay 0 otherwise). */
  readonly enabled: boolean;
  /** Lookups answered from the cache. */
  readonly hits: number;
  /** Lookups that found no usable entry (absent or expired). */
  readonly misses: number;
  /** Entries dropped because they had expired when looked up. */
  readonly expired: number;
  /** Entries dropped to respect `maxEntries` (least recently used first). */
  readonly evicted: number;
  /** Entries currently held. */
  readonly size: number;
  /** The configured bound (0 without a cache). */
  readonly maxEntries: number;
}

interface Entry<Value> {
  readonly value: Value;
  /** Epoch milliseconds from which the entry must not be served. */
  readonly staleAt: number;
  /** The epoch in which the entry was last moved to the recent end. */
  epoch: number;
}

/**
 * The default of {@link VerifiedTokenCacheOptions.maxTtlSeconds}: ten minutes, jose's default
 * `cacheMaxAge` for a remote JWKS, so a cached token outlives a withdrawn key no longer than the key
 * set itself would.
 *
 * @example
 * ```ts
 * const cache = { maxEntries: 10_000, maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS / 2 };
 * ```
 */
export const DEFAULT_MAX_TTL_SECONDS = 600;

/**
 * An LRU map from token strings to verified values with a per-entry deadline. A `Map` keeps
 * insertion order, so re-inserting on a hit makes the first key the least recently used one.
 *
 * @example
 * ```ts
 * const cache = new VerifiedTokenCache<object>({ maxEntries: 2 });
 * cache.set("token", claims, Date.now() + 60_000, Date.now());
 * cache.get("token", Date.now()); // claims
 * ```
 */
export class VerifiedTokenCache<Value> {
  readonly #entries = new Map<string, Entry<Value>>();
  readonly #maxEntries: number;
  readonly #maxTtlMs: number;
  #epoch = 0;
  #insertions = 0;
  #epochLength = 1;
  #hits = 0;
  #misses = 0;
  #expired = 0;
  #evicted = 0;

  constructor(options: VerifiedTokenCacheOptions) {
    const { maxEntries, maxTtlSeconds = DEFAULT_MAX_TTL_SECONDS } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`"cache.maxEntries" must be a positive integer, got ${String(maxEntries)}`);
    }
    if (typeof maxTtlSeconds !== "number" || Number.isNaN(maxTtlSeconds) || maxTtlSeconds <= 0) {
      throw new TypeError(`"cache.maxTtlSeconds" must be a positive number of seconds (or Infinity), got ${String(maxTtlSeconds)}`);
    }
    this.#maxEntries = maxEntries;
    this.#epochLength = Math.max(1, Math.floor(maxEntries / 4));
    this.#maxTtlMs = maxTtlSeconds * 1000;
  }

  /**
   * The cached value for `token`, or `undefined`. An entry whose deadline has passed at `now` is
   * removed and reported as a miss, so the caller re-verifies and gets the real error.
   *
   * @example
   * ```ts
   * const claims = cache.get(token, Date.now()) ?? (await verifyAndStore(token));
   * ```
   */
  get(token: string, now: number): Value | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    if (now >= entry.staleAt) {
      this.#entries.delete(token);
      this.#expired++;
      this.#misses++;
      return undefined;
    }
    // Recency is refreshed at most once per epoch (a quarter of the capacity in insertions): a hot
    // token is not deleted and re-inserted on every request, and eviction still takes an entry that
    // was not used since the last epoch began. Small caches stay exactly LRU.
    if (entry.epoch !== this.#epoch) {
      this.#entries.delete(token);
      this.#entries.set(token, entry);
      entry.epoch = this.#epoch;
    }
    this.#hits++;
    return entry.value;
  }

  /**
   * Whether an entry is held for `token` (expired or not); counts nothing.
   *
   * @example
   * ```ts
   * if (cache.holds(token)) return cache.get(token, Date.now());
   * ```
   */
  holds(token: string): boolean {
    return this.#entries.has(token);
  }

  /**
   * Stores a verified value until `expiresAt` (epoch ms, the token's own deadline) or `now +
   * maxTtlSeconds`, whichever comes first, evicting the least recently used entries beyond the bound.
   *
   * @example
   * ```ts
   * cache.set(token, frozenClaims, claims.exp * 1000, Date.now());
   * ```
   */
  set(token: string, value: Value, expiresAt: number, now: number): void {
    const staleAt = Math.min(expiresAt, now + this.#maxTtlMs);
    if (!(staleAt > now)) return;
    this.#entries.delete(token);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.#evicted++;
    }
    if (++this.#insertions >= this.#epochLength) {
      this.#insertions = 0;
      this.#epoch++;
    }
    this.#entries.set(token, { value, staleAt, epoch: this.#epoch });
  }

  /**
   * Drops every entry (counters are kept). Call it after rotating a compromised key.
   *
   * @example
   * ```ts
   * cache.clear();
   * ```
   */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * A snapshot of the counters.
   *
   * @example
   * ```ts
   * cache.stats().size;
   * ```
   */
  stats(): VerifiedTokenCacheStats {
    return {
      enabled: true,
      hits: this.#hits,
      misses: this.#misses,
      expired: this.#expired,
      evicted: this.#evicted,
      size: this.#entries.size,
      maxEntries: this.#maxEntries,
    };
  }
}
