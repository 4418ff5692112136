import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { GUIDE_SECRET_KEY } from "./settings.js";

const base64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

/** Seconds since the epoch, as `exp` holds them. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A token exactly as PyJWT 2 writes one for the guide: the header `{"alg":"HS256","typ":"JWT"}`
 * (sorted keys), the claims as compact JSON (`separators=(",", ":")`) in the order given, and
 * HMAC-SHA256 keyed with the UTF-8 bytes of `secret` (the hex string itself, not what it decodes to).
 */
export function pyjwtToken(claims: Record<string, unknown>, secret: string | Buffer = GUIDE_SECRET_KEY): string {
  const signingInput = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  const key = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  return `${signingInput}.${createHmac("sha256", key).update(signingInput).digest("base64url")}`;
}

/** Checks a compact HS256 JWT's signature by hand, as PyJWT would with the UTF-8 bytes of `secret`. */
export function pyjwtSignatureMatches(token: string, secret: string = GUIDE_SECRET_KEY): boolean {
  const [header = "", payload = "", signature = ""] = token.split(".");
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${header}.${payload}`).digest("base64url");
  return signature === expected;
}

/** The decoded header and claims of a compact JWT (no verification). */
export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header = "", payload = ""] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>,
  };
}

/** Signs `claims` with jose and the guide's key (HS256 unless `alg` says otherwise). */
export function joseToken(claims: Record<string, unknown>, alg = "HS256", secret: string = GUIDE_SECRET_KEY): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

/** A fresh `exp`, 30 minutes from now. */
export const inHalfAnHour = (): number => nowSeconds() + 30 * 60;
