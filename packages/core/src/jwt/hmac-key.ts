/**
 * HMAC secrets as WebCrypto keys. Importing once matters: handing jose a raw Uint8Array makes it
 * import the key again on every call (about 3x slower per verification, see stack-notes).
 */
import type { CryptoKey } from "jose";
import { type HmacAlgorithm, hmacHash } from "./algorithms.js";

const utf8 = new TextEncoder();

/**
 * A shared secret. A string stands for its UTF-8 bytes, as PyJWT reads the FastAPI docs' hex
 * `SECRET_KEY` (the 64 characters, not the 32 bytes they spell), so tokens interoperate both ways.
 *
 * @example
 * ```ts
 * const secret: HmacSecret = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
 * ```
 */
export type HmacSecret = string | Uint8Array;

/**
 * Imports `secret` once as a non-extractable HMAC `CryptoKey` for `alg`, usable for `usage` only.
 * Refuses a secret shorter than the hash output (RFC 7518 §3.2 makes that a MUST); the message
 * gives lengths, never bytes.
 *
 * @example
 * ```ts
 * const key = await importHmacKey(process.env.SECRET_KEY!, "HS256", "verify");
 * ```
 */
export async function importHmacKey(secret: HmacSecret, alg: HmacAlgorithm, usage: "sign" | "verify"): Promise<CryptoKey> {
  const bytes = typeof secret === "string" ? utf8.encode(secret) : secret;
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"secret" must be a string or a Uint8Array');
  const hash = hmacHash(alg);
  if (bytes.byteLength < hash.bytes) {
    throw new TypeError(`"secret" is ${bytes.byteLength} bytes; ${alg} requires at least ${hash.bytes} (RFC 7518 section 3.2)`);
  }
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: hash.name }, false, [usage]);
}
