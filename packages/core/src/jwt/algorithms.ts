/**
 * The JWS algorithms this helper accepts, and the facts about them that key handling needs.
 * The list is closed on purpose: an algorithm is only usable once we know which key type it needs,
 * so "none" and anything unknown can never slip in through configuration.
 */

/**
 * A JWS `alg` value the verifier and signer accept. `none` is not one of them, by construction.
 *
 * @example
 * ```ts
 * const algorithms: JwtAlgorithm[] = ["RS256", "ES256", "EdDSA"];
 * ```
 */
export type JwtAlgorithm = HmacAlgorithm | AsymmetricAlgorithm;

/**
 * A JWS algorithm that uses a shared secret (HMAC).
 *
 * @example
 * ```ts
 * const algorithm: HmacAlgorithm = "HS256";
 * ```
 */
export type HmacAlgorithm = "HS256" | "HS384" | "HS512";

/**
 * A JWS algorithm that verifies with a public key.
 *
 * @example
 * ```ts
 * const algorithm: AsymmetricAlgorithm = "ES256";
 * ```
 */
export type AsymmetricAlgorithm =
  | "RS256" | "RS384" | "RS512"
  | "PS256" | "PS384" | "PS512"
  | "ES256" | "ES384" | "ES512"
  | "EdDSA" | "Ed25519";

// Hash size in bytes doubles as the minimum secret length: RFC 7518 §3.2 says an HMAC key MUST be at
// least as long as the hash output.
const HMAC_HASH_BYTES: Readonly<Record<HmacAlgorithm, 32 | 48 | 64>> = { HS256: 32, HS384: 48, HS512: 64 };

const ASYMMETRIC: ReadonlySet<string> = new Set<AsymmetricAlgorithm>([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
]);

/**
 * Whether `alg` is one of the HMAC algorithms.
 *
 * @example
 * ```ts
 * isHmacAlgorithm("HS256"); // true
 * isHmacAlgorithm("RS256"); // false
 * ```
 */
export function isHmacAlgorithm(alg: string): alg is HmacAlgorithm {
  return Object.hasOwn(HMAC_HASH_BYTES, alg);
}

/**
 * The WebCrypto hash name and byte size behind an HMAC algorithm.
 *
 * @example
 * ```ts
 * hmacHash("HS384"); // { name: "SHA-384", bytes: 48 }
 * ```
 */
export function hmacHash(alg: HmacAlgorithm): { readonly name: string; readonly bytes: number } {
  const bytes = HMAC_HASH_BYTES[alg];
  return { name: `SHA-${bytes * 8}`, bytes };
}

/**
 * Checks a configured algorithm list and returns it deduplicated and frozen. Throws a `TypeError`
 * (a configuration mistake, found at startup) for an empty list, `none`, or an unknown algorithm.
 *
 * @example
 * ```ts
 * pinAlgorithms(["HS256", "HS256"]); // ["HS256"]
 * pinAlgorithms(["none"]);           // throws TypeError
 * ```
 */
export function pinAlgorithms(algorithms: readonly string[] | undefined, option = "algorithms"): readonly JwtAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError(`"${option}" must be a non-empty array of JWS algorithms, e.g. ["HS256"]; it is never inferred from the token`);
  }
  const pinned = new Set<JwtAlgorithm>();
  for (const alg of algorithms) {
    if (typeof alg !== "string" || !(isHmacAlgorithm(alg) || ASYMMETRIC.has(alg))) {
      throw new TypeError(`"${option}" contains an unsupported JWS algorithm: ${JSON.stringify(alg)}`);
    }
    pinned.add(alg as JwtAlgorithm);
  }
  return Object.freeze([...pinned]);
}
