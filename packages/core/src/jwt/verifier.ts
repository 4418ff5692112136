/**
 * The bearer-JWT verifier: a length gate and a canonical-shape gate, then the optional
 * verified-token cache, then jose's `jwtVerify` with the key imported once and the algorithms
 * pinned, then the registered-claim checks jose leaves to its caller (`aud`, future `iat`).
 */
import type { CryptoKey, JWTPayload, JWTVerifyOptions } from "jose";
import { jwtVerify } from "jose/jwt/verify";
import { VerifiedTokenCache, type VerifiedTokenCacheStats } from "./cache.js";
import { isCanonicalCompactJws } from "./compact-jws.js";
import { JwtVerificationError, toVerificationError } from "./errors.js";
import { type DeepReadonly, deepFreeze } from "./freeze.js";
import { checkRegisteredClaims, type RegisteredClaimsPolicy } from "./registered-claims.js";
import { type VerificationKey, resolveVerificationKey } from "./verification-key.js";
import { type JwtVerifierOptions, type NormalizedPolicy, normalizePolicy } from "./verifier-options.js";

/**
 * Verified claims: deeply frozen, because the same object may be returned to every request that
 * presents the same token.
 *
 * @example
 * ```ts
 * const claims: VerifiedJwtPayload = await verifier.verify(token);
 * const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
 * ```
 */
export type VerifiedJwtPayload = DeepReadonly<JWTPayload>;

/**
 * Verifies bearer JWTs. Made by {@link createJwtVerifier}; create one per application and share it.
 *
 * @example
 * ```ts
 * const verifier = await createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 10_000 } });
 * const claims = await verifier.verify(token);
 * ```
 */
export interface JwtVerifier {
  /**
   * Resolves to the token's verified claims, or rejects with a {@link JwtVerificationError}
   * (never with anything else). With a cache, a token verified before and not yet expired is
   * answered from memory.
   *
   * @example
   * ```ts
   * const claims = await verifier.verify(token); // throws JwtVerificationError with a stable code
   * ```
   */
  verify(token: string): Promise<VerifiedJwtPayload>;

  /**
   * The cached claims of `token` if it is in the cache and not expired, else `undefined`;
   * synchronous, never verifies, never throws. Lets a dependency answer a cache hit without
   * creating a promise: `verifier.lookup(token) ?? (await verifier.verify(token))`.
   * Always `undefined` without a cache.
   *
   * @example
   * ```ts
   * const cached = verifier.lookup(token);
   * return cached !== undefined ? toUser(cached) : verifier.verify(token).then(toUser);
   * ```
   */
  lookup(token: string): VerifiedJwtPayload | undefined;

  /**
   * A snapshot of the cache's counters (all zero, `enabled: false`, without a cache).
   *
   * @example
   * ```ts
   * metrics.gauge("jwt_cache_size", verifier.cacheStats().size);
   * ```
   */
  cacheStats(): VerifiedTokenCacheStats;

  /**
   * Empties the cache, e.g. after revoking a signing key, so every token is verified again.
   *
   * @example
   * ```ts
   * verifier.clearCache();
   * ```
   */
  clearCache(): void;
}

const NO_CACHE_STATS: VerifiedTokenCacheStats = Object.freeze({ enabled: false, hits: 0, misses: 0, expired: 0, evicted: 0, size: 0, maxEntries: 0 });

/**
 * Creates a verifier: validates the options and imports the key once (a secret becomes a
 * non-extractable HMAC `CryptoKey`; a PEM or JWK an imported public key; a JWKS a key-set resolver).
 * Rejects with a `TypeError` on a configuration mistake, so await it at startup.
 *
 * @example
 * ```ts
 * // FastAPI's tutorial: the hex SECRET_KEY, used as its UTF-8 bytes like PyJWT does.
 * const verifier = await createJwtVerifier({
 *   secret: "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",
 *   algorithms: ["HS256"],
 *   cache: { maxEntries: 10_000 },
 * });
 *
 * // An external identity provider.
 * const idp = await createJwtVerifier({
 *   jwksUrl: "https://idp.example.com/.well-known/jwks.json",
 *   algorithms: ["RS256", "ES256"],
 *   issuer: "https://idp.example.com/",
 *   audience: "my-api",
 * });
 * ```
 */
export async function createJwtVerifier(options: JwtVerifierOptions): Promise<JwtVerifier> {
  if (typeof options !== "object" || options === null) throw new TypeError("createJwtVerifier needs an options object");
  const policy = normalizePolicy(options);
  const key = await resolveVerificationKey(options, policy.algorithms);
  return new BearerJwtVerifier(key, policy);
}

class BearerJwtVerifier implements JwtVerifier {
  readonly #key: VerificationKey;
  readonly #policy: NormalizedPolicy;
  readonly #cache: VerifiedTokenCache<VerifiedJwtPayload> | undefined;
  readonly #now: () => number;
  readonly #claims: RegisteredClaimsPolicy;

  constructor(key: VerificationKey, policy: NormalizedPolicy) {
    this.#key = key;
    this.#policy = policy;
    this.#claims = { audienceConfigured: policy.joseOptions.audience !== undefined, clockToleranceSeconds: policy.clockToleranceSeconds };
    this.#cache = policy.cache === undefined ? undefined : new VerifiedTokenCache(policy.cache);
    this.#now = policy.now ?? Date.now;
  }

  verify(token: string): Promise<VerifiedJwtPayload> {
    // Both gates come before the cache: hashing a huge string for a Map lookup is work, and a
    // non-canonical spelling must neither be verified nor become an entry of its own.
    const refused = this.#refuseBeforeParsing(token);
    if (refused !== undefined) return Promise.reject(refused);
    const hit = this.#cache?.get(token, this.#now());
    if (hit !== undefined) return Promise.resolve(hit);
    return this.#verifyAndRemember(token);
  }

  lookup(token: string): VerifiedJwtPayload | undefined {
    const cache = this.#cache;
    if (cache === undefined || typeof token !== "string" || token.length > this.#policy.maxTokenLength) return undefined;
    // Only canonical spellings are ever stored (verify's gate comes first), so a token the cache
    // holds is canonical: the shape check is left to the other tokens (it kept a non-canonical
    // lookup out of the miss counter, and still does), saving it on every hit.
    if (!cache.holds(token) && !isCanonicalCompactJws(token)) return undefined;
    return cache.get(token, this.#now());
  }

  cacheStats(): VerifiedTokenCacheStats {
    return this.#cache?.stats() ?? NO_CACHE_STATS;
  }

  clearCache(): void {
    this.#cache?.clear();
  }

  #refuseBeforeParsing(token: string): JwtVerificationError | undefined {
    if (typeof token !== "string" || token === "") return new JwtVerificationError("JWT_MALFORMED");
    if (token.length > this.#policy.maxTokenLength) return new JwtVerificationError("JWT_TOO_LONG");
    if (!isCanonicalCompactJws(token)) return new JwtVerificationError("JWT_MALFORMED");
    return undefined;
  }

  async #verifyAndRemember(token: string): Promise<VerifiedJwtPayload> {
    const verified = await this.#verifyWithJose(token);
    checkRegisteredClaims(verified, this.#claims, this.#now());
    const payload = deepFreeze(verified);
    const exp = payload.exp;
    if (this.#cache !== undefined && typeof exp === "number") {
      // jose calls a token expired when exp <= floor(now_s) - tolerance, i.e. from
      // ceil(exp + tolerance) seconds on: the cache uses the very same instant.
      this.#cache.set(token, payload, Math.ceil(exp + this.#policy.clockToleranceSeconds) * 1000, this.#now());
    }
    return payload;
  }

  async #verifyWithJose(token: string): Promise<JWTPayload> {
    const options = this.#joseOptions();
    try {
      return (await jwtVerify(token, this.#key, options)).payload;
    } catch (error) {
      if (hasCandidateKeys(error)) return verifyWithCandidates(token, error, options);
      throw toVerificationError(error);
    }
  }

  #joseOptions(): JWTVerifyOptions {
    const { joseOptions, now } = this.#policy;
    return now === undefined ? joseOptions : { ...joseOptions, currentDate: new Date(now()) };
  }
}

// A key set may hold several keys matching a token without `kid` (e.g. during a rotation); jose then
// offers them one by one, and the token is valid if any of them verifies its signature.
async function verifyWithCandidates(token: string, candidates: AsyncIterable<CryptoKey>, options: JWTVerifyOptions): Promise<JWTPayload> {
  for await (const key of candidates) {
    try {
      return (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      if (joseCode(error) !== "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") throw toVerificationError(error);
    }
  }
  throw new JwtVerificationError("JWT_SIGNATURE_INVALID", { cause: candidates });
}

function hasCandidateKeys(error: unknown): error is AsyncIterable<CryptoKey> {
  return joseCode(error) === "ERR_JWKS_MULTIPLE_MATCHING_KEYS" && typeof (error as Partial<AsyncIterable<CryptoKey>>)[Symbol.asyncIterator] === "function";
}

function joseCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}
