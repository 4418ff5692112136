/**
 * The one error `verify` rejects with, and the mapping from jose's errors onto its stable codes.
 * Messages are fixed per code so that nothing from the token, the key or the key set reaches a log
 * line or a response by accident; jose's original error stays available as `cause`.
 */

/**
 * Why a token was refused. Stable: switch on it, log it, alert on it.
 *
 * - `JWT_TOO_LONG`: longer than `maxTokenLength`; refused before any decoding or cryptography.
 * - `JWT_MALFORMED`: not a compact JWS/JWT (structure, base64url, JSON, header or claims set shape).
 * - `JWT_ALGORITHM_NOT_ALLOWED`: the header's `alg` is not pinned by the verifier (this includes `none`).
 * - `JWT_UNSUPPORTED`: a feature the token requires is not supported (e.g. an unknown `crit` extension).
 * - `JWT_SIGNATURE_INVALID`: the signature does not match (tampered token or a different key).
 * - `JWT_EXPIRED`: `exp` is in the past (after `clockToleranceSeconds`).
 * - `JWT_CLAIM_INVALID`: a required claim is missing or wrong (`exp` absent, `iss`, `aud`, `nbf`...); see `claim`.
 * - `JWT_KEY_NOT_FOUND`: no key in the key set matches the token's `kid`/`alg`.
 * - `JWT_KEY_UNAVAILABLE`: no usable key could be obtained (remote JWKS unreachable, timed out or
 *   invalid, or the key cannot be used with the token's algorithm). Often worth an alert.
 *
 * @example
 * ```ts
 * function isOperational(code: JwtVerificationErrorCode): boolean {
 *   return code === "JWT_KEY_UNAVAILABLE";
 * }
 * ```
 */
export type JwtVerificationErrorCode =
  | "JWT_TOO_LONG"
  | "JWT_MALFORMED"
  | "JWT_ALGORITHM_NOT_ALLOWED"
  | "JWT_UNSUPPORTED"
  | "JWT_SIGNATURE_INVALID"
  | "JWT_EXPIRED"
  | "JWT_CLAIM_INVALID"
  | "JWT_KEY_NOT_FOUND"
  | "JWT_KEY_UNAVAILABLE";

const MESSAGES: Readonly<Record<JwtVerificationErrorCode, string>> = {
  JWT_TOO_LONG: "JWT is longer than the allowed maximum",
  JWT_MALFORMED: "JWT is malformed",
  JWT_ALGORITHM_NOT_ALLOWED: "JWT algorithm is not allowed",
  JWT_UNSUPPORTED: "JWT uses an unsupported feature",
  JWT_SIGNATURE_INVALID: "JWT signature verification failed",
  JWT_EXPIRED: "JWT has expired",
  JWT_CLAIM_INVALID: "JWT claim validation failed",
  JWT_KEY_NOT_FOUND: "no key matches the JWT",
  JWT_KEY_UNAVAILABLE: "no usable key to verify the JWT",
};

/**
 * A refused token. Callers answer every code the same way (FastAPI's 401 "Could not validate
 * credentials" with `WWW-Authenticate: Bearer`); the code is for logs and metrics. The message
 * never contains the token, the key or claim values.
 *
 * @example
 * ```ts
 * try {
 *   claims = await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof JwtVerificationError) {
 *     log.info({ code: error.code, claim: error.claim }, "rejected bearer token");
 *     throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
 *   }
 *   throw error;
 * }
 * ```
 */
export class JwtVerificationError<Code extends JwtVerificationErrorCode = JwtVerificationErrorCode> extends Error {
  override readonly name = "JwtVerificationError";
  /** Stable, machine-readable reason. */
  readonly code: Code;
  /** For `JWT_CLAIM_INVALID` and `JWT_EXPIRED`: the claim (or header) that failed, e.g. `"exp"`, `"aud"`. */
  readonly claim: string | undefined;

  constructor(code: Code, options: { cause?: unknown; claim?: string | undefined; missing?: boolean } = {}) {
    const claim = options.claim;
    const detail = claim === undefined || code !== "JWT_CLAIM_INVALID" ? "" : `: "${claim}" ${options.missing === true ? "is missing" : "failed its check"}`;
    super(MESSAGES[code] + detail, "cause" in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.claim = claim;
  }
}

// jose's error codes are part of its public API (`error.code`), so matching on them is stable and
// avoids depending on its class identities.
const FROM_JOSE: Readonly<Record<string, JwtVerificationErrorCode>> = {
  ERR_JWS_INVALID: "JWT_MALFORMED",
  ERR_JWT_INVALID: "JWT_MALFORMED",
  ERR_JOSE_ALG_NOT_ALLOWED: "JWT_ALGORITHM_NOT_ALLOWED",
  ERR_JOSE_NOT_SUPPORTED: "JWT_UNSUPPORTED",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "JWT_SIGNATURE_INVALID",
  ERR_JWT_EXPIRED: "JWT_EXPIRED",
  ERR_JWT_CLAIM_VALIDATION_FAILED: "JWT_CLAIM_INVALID",
  ERR_JWKS_NO_MATCHING_KEY: "JWT_KEY_NOT_FOUND",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "JWT_KEY_NOT_FOUND",
};

/**
 * Maps anything thrown while verifying to a {@link JwtVerificationError}. Errors that are not jose's
 * token errors (fetch failures, key-type mismatches) become `JWT_KEY_UNAVAILABLE`: an attacker's
 * token must never turn into a 500, and the original stays in `cause` for the operator.
 *
 * @example
 * ```ts
 * try { await jwtVerify(token, key, options); } catch (error) { throw toVerificationError(error); }
 * ```
 */
export function toVerificationError(error: unknown): JwtVerificationError {
  if (error instanceof JwtVerificationError) return error;
  const joseCode = typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
  const code = typeof joseCode === "string" ? FROM_JOSE[joseCode] : undefined;
  if (code === "JWT_CLAIM_INVALID" || code === "JWT_EXPIRED") {
    // Claim names come from jose's fixed list or from our own options, never from the token.
    const { claim, reason } = error as { claim?: unknown; reason?: unknown };
    return new JwtVerificationError(code, { cause: error, claim: typeof claim === "string" ? claim : undefined, missing: reason === "missing" });
  }
  return new JwtVerificationError(code ?? "JWT_KEY_UNAVAILABLE", { cause: error });
}
