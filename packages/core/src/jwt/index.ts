/**
 * `@depends/core/jwt`: bearer-JWT verification and signing on jose, for dependencies such as
 * FastAPI's `get_current_user`. Keys are imported once, algorithms are pinned, `exp` is required,
 * oversized tokens are refused before any cryptography, and verified tokens can be cached.
 *
 * @example
 * ```ts
 * import { createJwtVerifier, JwtVerificationError } from "@depends/core/jwt";
 *
 * const verifier = await createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 10_000 } });
 * try {
 *   const claims = await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof JwtVerificationError) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
 *   throw error;
 * }
 * ```
 *
 * @packageDocumentation
 */
export type { AsymmetricAlgorithm, HmacAlgorithm, JwtAlgorithm } from "./algorithms.js";
export { DEFAULT_MAX_TTL_SECONDS, type VerifiedTokenCacheOptions, type VerifiedTokenCacheStats } from "./cache.js";
export { JwtVerificationError, type JwtVerificationErrorCode } from "./errors.js";
export type { DeepReadonly } from "./freeze.js";
export type { HmacSecret } from "./hmac-key.js";
export type { AsymmetricKeyInput, ExclusiveOf } from "./key-input.js";
export type { SigningKeySource } from "./signing-key.js";
export { createJwtSigner, type JwtSigner, type JwtSignerOptions, type SignOptions } from "./signer.js";
export type { RemoteJwksSource, VerificationKeySource } from "./verification-key.js";
export { DEFAULT_MAX_TOKEN_LENGTH, type JwtVerificationPolicy, type JwtVerifierOptions } from "./verifier-options.js";
export { createJwtVerifier, type JwtVerifier, type VerifiedJwtPayload } from "./verifier.js";
