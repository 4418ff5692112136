/**
 * Turning a configured signing key into an imported key, once, at startup.
 */
import type { CryptoKey, KeyObject } from "jose";
import { importJWK, importPKCS8 } from "jose/key/import";
import { isHmacAlgorithm, type JwtAlgorithm } from "./algorithms.js";
import { type HmacSecret, importHmacKey } from "./hmac-key.js";
import { type AsymmetricKeyInput, type ExclusiveOf, onlyOneOf, shapeOfKeyInput } from "./key-input.js";

type SourceName = "secret" | "privateKey";

/**
 * Where the signer gets its key: exactly one of `secret` (HS256/384/512; a string stands for its
 * UTF-8 bytes) or `privateKey` (PKCS#8 PEM `-----BEGIN PRIVATE KEY-----`, private JWK, or a private
 * `CryptoKey`/`KeyObject`).
 *
 * @example
 * ```ts
 * const source: SigningKeySource = { privateKey: process.env.JWT_PRIVATE_KEY_PEM! };
 * ```
 */
export type SigningKeySource =
  | ExclusiveOf<SourceName, { readonly secret: HmacSecret }>
  | ExclusiveOf<SourceName, { readonly privateKey: AsymmetricKeyInput }>;

/**
 * Imports the signing key for `alg`, refusing combinations that cannot work.
 *
 * @example
 * ```ts
 * const key = await importSigningKey({ secret: SECRET_KEY }, "HS256");
 * ```
 */
export async function importSigningKey(source: SigningKeySource, alg: JwtAlgorithm): Promise<CryptoKey | KeyObject> {
  if (onlyOneOf(source, ["secret", "privateKey"]) === "secret") {
    if (!isHmacAlgorithm(alg)) throw new TypeError(`"secret" can only sign HS256, HS384 or HS512 tokens, not ${alg}`);
    return importHmacKey(source.secret as HmacSecret, alg, "sign");
  }
  if (isHmacAlgorithm(alg)) throw new TypeError(`${alg} needs a "secret", not a "privateKey"`);
  const shape = shapeOfKeyInput(source.privateKey as AsymmetricKeyInput, "privateKey");
  if (shape.kind === "key") {
    if (shape.type !== "private") throw new TypeError(`"privateKey" must be a private key, got a ${shape.type} key`);
    return shape.key;
  }
  if (shape.kind === "pem" && shape.label !== "PRIVATE KEY") {
    throw new TypeError(`"privateKey" PEM must be PKCS#8 ("PRIVATE KEY"), got "${shape.label}" (convert with: openssl pkcs8 -topk8 -nocrypt)`);
  }
  let key: CryptoKey | Uint8Array;
  try {
    key = shape.kind === "jwk" ? await importJWK(shape.jwk, alg) : await importPKCS8(shape.pem, alg);
  } catch (cause) {
    throw new TypeError(`"privateKey" cannot be used with ${alg}`, { cause });
  }
  if (key instanceof Uint8Array || key.type !== "private") throw new TypeError('"privateKey" must be an asymmetric private key');
  return key;
}
