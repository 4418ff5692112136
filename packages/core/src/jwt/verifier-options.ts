/**
 * The verifier's options and their validation. Everything is checked once, at creation, and turned
 * into the exact jose options object reused for every token.
 */
import type { JWTVerifyOptions } from "jose";
import { type JwtAlgorithm, pinAlgorithms } from "./algorithms.js";
import type { VerifiedTokenCacheOptions } from "./cache.js";
import type { VerificationKeySource } from "./verification-key.js";

/**
 * The default of {@link JwtVerificationPolicy.maxTokenLength}: 8 KiB, far above a FastAPI token
 * (about 200 characters) and in line with common HTTP header limits.
 *
 * @example
 * ```ts
 * const verifier = await createJwtVerifier({ secret, algorithms: ["HS256"], maxTokenLength: DEFAULT_MAX_TOKEN_LENGTH * 2 });
 * ```
 */
export const DEFAULT_MAX_TOKEN_LENGTH = 8192;

/**
 * What a token must satisfy, besides being signed by the configured key.
 *
 * @example
 * ```ts
 * const policy: JwtVerificationPolicy = {
 *   algorithms: ["RS256"],
 *   issuer: "https://idp.example.com/",
 *   audience: "my-api",
 *   clockToleranceSeconds: 5,
 *   cache: { maxEntries: 10_000 },
 * };
 * ```
 */
export interface JwtVerificationPolicy {
  /** The only `alg` values accepted. Required, never inferred from the token; `none` cannot be listed. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** Required `iss` value (one of them, for an array). */
  readonly issuer?: string | readonly string[];
  /** Required `aud` value (the token's `aud` must contain one of them, for an array). */
  readonly audience?: string | readonly string[];
  /** Allowed clock skew, in seconds, for `exp` and `nbf`; also applied to cache hits. Default 0. */
  readonly clockToleranceSeconds?: number;
  /** Claims that must be present, in addition to `exp` (always required). */
  readonly requiredClaims?: readonly string[];
  /**
   * Longest accepted token, in characters. Longer tokens are refused with `JWT_TOO_LONG` before any
   * decoding, hashing or cryptography. Default 8192.
   */
  readonly maxTokenLength?: number;
  /** Cache verified tokens (see {@link VerifiedTokenCacheOptions}). Off when absent. */
  readonly cache?: VerifiedTokenCacheOptions;
  /** The clock, in epoch milliseconds (`Date.now` by default). Tests inject it. */
  readonly now?: () => number;
}

/**
 * Options of `createJwtVerifier`: one key source plus the policy.
 *
 * @example
 * ```ts
 * const options: JwtVerifierOptions = { secret: SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 10_000 } };
 * ```
 */
export type JwtVerifierOptions = VerificationKeySource & JwtVerificationPolicy;

/**
 * The validated policy, ready for use on every token.
 *
 * @example
 * ```ts
 * const policy = normalizePolicy({ algorithms: ["HS256"] });
 * policy.joseOptions.requiredClaims; // ["exp"]
 * ```
 */
export interface NormalizedPolicy {
  readonly algorithms: readonly JwtAlgorithm[];
  readonly joseOptions: Readonly<JWTVerifyOptions>;
  readonly maxTokenLength: number;
  readonly clockToleranceSeconds: number;
  readonly cache: VerifiedTokenCacheOptions | undefined;
  readonly now: (() => number) | undefined;
}

/**
 * Validates the policy options (throwing a `TypeError` for a configuration mistake) and builds the
 * jose options.
 *
 * @example
 * ```ts
 * normalizePolicy({ algorithms: ["HS256"], maxTokenLength: 0 }); // throws TypeError
 * ```
 */
export function normalizePolicy(options: JwtVerificationPolicy): NormalizedPolicy {
  const algorithms = pinAlgorithms(options.algorithms);
  const { issuer, audience, clockToleranceSeconds = 0, requiredClaims = [], maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH, cache, now } = options;
  if (!Number.isSafeInteger(maxTokenLength) || maxTokenLength < 1) {
    throw new TypeError(`"maxTokenLength" must be a positive integer, got ${String(maxTokenLength)}`);
  }
  if (typeof clockToleranceSeconds !== "number" || !Number.isFinite(clockToleranceSeconds) || clockToleranceSeconds < 0) {
    throw new TypeError(`"clockToleranceSeconds" must be a non-negative number of seconds, got ${String(clockToleranceSeconds)}`);
  }
  if (!Array.isArray(requiredClaims) || !requiredClaims.every((claim) => typeof claim === "string" && claim !== "")) {
    throw new TypeError('"requiredClaims" must be an array of claim names');
  }
  if (now !== undefined && typeof now !== "function") throw new TypeError('"now" must be a function returning epoch milliseconds');
  checkStrings(issuer, "issuer");
  checkStrings(audience, "audience");

  const joseOptions: JWTVerifyOptions = {
    algorithms: [...algorithms],
    // `exp` is not optional here: a token without one would be valid forever, and cached forever.
    requiredClaims: [...new Set(["exp", ...requiredClaims])],
    clockTolerance: clockToleranceSeconds,
  };
  if (issuer !== undefined) joseOptions.issuer = typeof issuer === "string" ? issuer : [...issuer];
  if (audience !== undefined) joseOptions.audience = typeof audience === "string" ? audience : [...audience];
  return { algorithms, joseOptions: Object.freeze(joseOptions), maxTokenLength, clockToleranceSeconds, cache, now };
}

function checkStrings(value: string | readonly string[] | undefined, option: string): void {
  if (value === undefined || typeof value === "string") return;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === "string")) {
    throw new TypeError(`"${option}" must be a string or a non-empty array of strings`);
  }
}
