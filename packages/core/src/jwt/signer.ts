/**
 * Issuing tokens, as FastAPI's `/token` endpoint does: `{sub, scope, exp}` signed with a key
 * imported once.
 */
import type { JWTPayload } from "jose";
import { SignJWT } from "jose/jwt/sign";
import { type JwtAlgorithm, pinAlgorithms } from "./algorithms.js";
import { importSigningKey, type SigningKeySource } from "./signing-key.js";

/**
 * Options of {@link createJwtSigner}: a key source plus what every issued token carries.
 *
 * @example
 * ```ts
 * const options: JwtSignerOptions = { secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 30 * 60 };
 * ```
 */
export type JwtSignerOptions = SigningKeySource & {
  /** The token's `alg`. */
  readonly algorithm: JwtAlgorithm;
  /** Default lifetime of a token, in seconds (FastAPI's tutorial: 30 minutes). */
  readonly expiresInSeconds: number;
  /** `kid` header, so that a JWKS-based verifier can pick the key. */
  readonly keyId?: string;
  /** `iss` claim of every token. */
  readonly issuer?: string;
  /** `aud` claim of every token. */
  readonly audience?: string | readonly string[];
  /** The clock, in epoch milliseconds (`Date.now` by default). */
  readonly now?: () => number;
};

/**
 * Per-token options of {@link JwtSigner.sign}.
 *
 * @example
 * ```ts
 * const options: SignOptions = { expiresInSeconds: 60 };
 * ```
 */
export interface SignOptions {
  /** Lifetime of this token, in seconds, instead of the signer's default. */
  readonly expiresInSeconds?: number;
}

/**
 * Signs JWTs with one key and algorithm. Made by {@link createJwtSigner}.
 *
 * @example
 * ```ts
 * const accessToken = await signer.sign({ sub: user.username, scope: form.scopes.join(" ") });
 * ```
 */
export interface JwtSigner {
  /** The `alg` of every token. */
  readonly algorithm: JwtAlgorithm;
  /**
   * Signs `claims` plus `iat` and `exp` (now + lifetime), which replace any given in `claims`.
   * The header is `{"alg", "typ": "JWT"}` (plus `kid`), as PyJWT writes it.
   *
   * @example
   * ```ts
   * const token = await signer.sign({ sub: "johndoe", scope: "me items" }, { expiresInSeconds: 15 * 60 });
   * ```
   */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
}

/**
 * Creates a signer; imports the key once. Rejects with a `TypeError` on a configuration mistake.
 *
 * @example
 * ```ts
 * const signer = await createJwtSigner({
 *   secret: "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",
 *   algorithm: "HS256",
 *   expiresInSeconds: 30 * 60,
 * });
 * const token = await signer.sign({ sub: "johndoe", scope: "me items" });
 * ```
 */
export async function createJwtSigner(options: JwtSignerOptions): Promise<JwtSigner> {
  if (typeof options !== "object" || options === null) throw new TypeError("createJwtSigner needs an options object");
  const [algorithm] = pinAlgorithms([options.algorithm], "algorithm") as [JwtAlgorithm];
  checkLifetime(options.expiresInSeconds, "expiresInSeconds");
  const key = await importSigningKey(options, algorithm);
  const { keyId, issuer, audience, expiresInSeconds: defaultLifetime } = options;
  const now = options.now ?? Date.now;
  const header = keyId === undefined ? { alg: algorithm, typ: "JWT" } : { alg: algorithm, typ: "JWT", kid: keyId };
  const aud = audience === undefined || typeof audience === "string" ? audience : [...audience];

  return {
    algorithm,
    async sign(claims, signOptions = {}) {
      const lifetime = signOptions.expiresInSeconds ?? defaultLifetime;
      checkLifetime(lifetime, "expiresInSeconds");
      const iat = Math.floor(now() / 1000);
      const jwt = new SignJWT(claims).setProtectedHeader(header).setIssuedAt(iat).setExpirationTime(iat + lifetime);
      if (issuer !== undefined) jwt.setIssuer(issuer);
      if (aud !== undefined) jwt.setAudience(aud);
      return jwt.sign(key);
    },
  };
}

function checkLifetime(seconds: number, option: string): void {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new TypeError(`"${option}" must be a positive number of seconds, got ${String(seconds)}`);
  }
}
