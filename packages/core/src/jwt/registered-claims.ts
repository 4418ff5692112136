/**
 * Checks of registered claims that jose leaves to the caller, applied after jose has verified the
 * signature and its own claim checks: `aud` without a configured audience, and `iat` in the
 * future. Both follow PyJWT, whose `jwt.decode` refuses them (`InvalidAudienceError`,
 * `ImmatureSignatureError`).
 */
import type { JWTPayload } from "jose";
import { JwtVerificationError } from "./errors.js";

/**
 * What {@link checkRegisteredClaims} needs of the policy.
 *
 * @example
 * ```ts
 * const policy: RegisteredClaimsPolicy = { audienceConfigured: false, clockToleranceSeconds: 5 };
 * ```
 */
export interface RegisteredClaimsPolicy {
  /** Whether the verifier was given an `audience` (jose then checks `aud` itself). */
  readonly audienceConfigured: boolean;
  readonly clockToleranceSeconds: number;
}

/**
 * Throws `JWT_CLAIM_INVALID` for a token carrying `aud` when no audience is configured (RFC 7519
 * section 4.1.3: a recipient that does not identify itself with the audience MUST reject the
 * token; RFC 8725 section 3.9), and for an `iat` later than now plus the clock tolerance. `now`
 * is epoch milliseconds, truncated to seconds as jose does for `nbf`.
 *
 * @example
 * ```ts
 * checkRegisteredClaims({ sub: "johndoe", aud: "other-service" }, { audienceConfigured: false, clockToleranceSeconds: 0 }, Date.now());
 * // throws JwtVerificationError JWT_CLAIM_INVALID, claim "aud"
 * ```
 */
export function checkRegisteredClaims(payload: JWTPayload, policy: RegisteredClaimsPolicy, now: number): void {
  // Presence, as PyJWT (`"aud" in payload`): even `null` or `[]` names no audience we are part of.
  if (!policy.audienceConfigured && Object.hasOwn(payload, "aud")) throw new JwtVerificationError("JWT_CLAIM_INVALID", { claim: "aud" });
  // jose has already refused an `iat` that is not a number.
  const iat = payload.iat;
  if (typeof iat === "number" && iat > Math.floor(now / 1000) + policy.clockToleranceSeconds) {
    throw new JwtVerificationError("JWT_CLAIM_INVALID", { claim: "iat" });
  }
}
