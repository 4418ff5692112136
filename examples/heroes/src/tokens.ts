import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { JwtSigner, JwtVerifier } from "@depends/core/jwt";
import { type Database, inTransaction, type Queryable } from "./db/database.js";
import { OAuthError } from "./oauth-error.js";
import { recordRevocation, type RevocationList } from "./revocations.js";
import type { Settings } from "./settings.js";
import type { UserInDB } from "./users.js";

/** The `/token` answer. */
export interface TokenAnswer {
  readonly access_token: string;
  readonly token_type: "bearer";
  readonly refresh_token: string;
  readonly scope: string;
  readonly expires_in: number;
}

interface Services {
  readonly db: Database;
  readonly signer: JwtSigner;
  readonly settings: Settings;
}

const hashOf = (token: string): string => createHash("sha256").update(token).digest("base64url");
const DAY_MS = 86_400_000;

/** The scopes to grant: asked for, held by the user, declared by the scheme; each once, in the order asked. */
export function grantable(asked: readonly string[], user: UserInDB, declared: readonly string[]): string[] {
  return asked.filter((s, i) => user.scopes.includes(s) && declared.includes(s) && asked.indexOf(s) === i);
}

/**
 * Signs an access token (`sub`, `scope`, a fresh `jti`, `sid`: the login family) and stores a new
 * refresh token of `family` in `tx`. The refresh token is 32 random bytes; only its SHA-256 is kept.
 */
async function issue(tx: Queryable, { signer, settings }: Services, username: string, scopes: readonly string[], family: string): Promise<TokenAnswer & { refreshHash: string }> {
  const scope = scopes.join(" ");
  const expiresIn = settings.accessTokenExpireMinutes * 60;
  const accessToken = await signer.sign({ sub: username, scope, jti: randomUUID(), sid: family }, { expiresInSeconds: expiresIn });
  const refreshToken = randomBytes(32).toString("base64url");
  const refreshHash = hashOf(refreshToken);
  await tx.query(
    "INSERT INTO refresh_token (token_hash, family, username, scope, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))",
    [refreshHash, family, username, scope, settings.refreshTokenExpireDays],
  );
  return { access_token: accessToken, token_type: "bearer", refresh_token: refreshToken, scope, expires_in: expiresIn, refreshHash };
}

function answer({ refreshHash: _, ...token }: TokenAnswer & { refreshHash: string }): TokenAnswer {
  return token;
}

/** The password grant's tokens: a new family. */
export async function issueForLogin(services: Services, user: UserInDB, scopes: readonly string[]): Promise<TokenAnswer> {
  return inTransaction(services.db, async (tx) => answer(await issue(tx, services, user.username, scopes, randomUUID())));
}

interface RefreshRow {
  readonly family: string;
  readonly username: string;
  readonly scope: string;
  readonly expired: boolean;
  readonly used: boolean;
  readonly revoked: boolean;
  readonly [column: string]: unknown;
}

/**
 * The refresh grant (RFC 6749 section 6) with rotation: the token presented is used up and a new
 * one of the same family issued. A token used before is a reuse (a stolen copy, or the client's):
 * the whole family is revoked, committed, and then refused as `invalid_grant`.
 */
export async function refresh(services: Services & { readonly revocations: RevocationList }, refreshToken: string, asked: readonly string[] | undefined, currentUser: (username: string, tx: Queryable) => Promise<UserInDB | undefined>, declared: readonly string[]): Promise<TokenAnswer> {
  const refreshHash = hashOf(refreshToken);
  type Outcome = { readonly issued: TokenAnswer } | { readonly refused: string; readonly family?: string; readonly expiresAt?: number };
  const outcome = await inTransaction(services.db, async (tx): Promise<Outcome> => {
    const { rows } = await tx.query<RefreshRow>(
      `SELECT t.family, t.username, t.scope, t.expires_at <= now() AS expired, t.used_at IS NOT NULL AS used,
              EXISTS (SELECT 1 FROM revocation r WHERE r.kind = 'family' AND r.value = t.family::text) AS revoked
         FROM refresh_token t WHERE t.token_hash = $1 FOR UPDATE OF t`,
      [refreshHash],
    );
    const row = rows[0];
    if (row === undefined || row.expired || row.revoked) return { refused: "The refresh token is invalid, expired or revoked" };
    if (row.used) {
      const expiresAt = Date.now() + services.settings.refreshTokenExpireDays * DAY_MS;
      await recordRevocation(tx, "family", row.family, expiresAt);
      return { refused: "The refresh token was already used: every token of this login is revoked", family: row.family, expiresAt };
    }
    const user = await currentUser(row.username, tx);
    if (user === undefined) return { refused: "The refresh token is invalid, expired or revoked" };
    // Never more than the login granted (RFC 6749 section 6), nor than the user holds now.
    const granted = row.scope === "" ? [] : row.scope.split(" ");
    const scopes = grantable(asked ?? granted, user, declared).filter((s) => granted.includes(s));
    const issued = await issue(tx, services, row.username, scopes, row.family);
    await tx.query("UPDATE refresh_token SET used_at = now(), replaced_by = $2 WHERE token_hash = $1", [refreshHash, issued.refreshHash]);
    return { issued: answer(issued) };
  });
  if ("issued" in outcome) return outcome.issued;
  // Committed: honoured here at once, elsewhere through the notification or the next re-read.
  if (outcome.family !== undefined && outcome.expiresAt !== undefined) services.revocations.add("family", outcome.family, outcome.expiresAt);
  throw new OAuthError("invalid_grant", outcome.refused);
}

/**
 * RFC 7009: revokes an access token (its `jti`) or a refresh token (its whole family, and with it
 * the access tokens issued from it). An unknown, invalid or expired token is not an error.
 */
export async function revoke(services: { readonly db: Database; readonly verifier: JwtVerifier; readonly revocations: RevocationList; readonly settings: Settings }, token: string, hint: string | undefined): Promise<void> {
  const asAccess = async (): Promise<boolean> => {
    const claims = await services.verifier.verify(token).catch(() => undefined);
    if (claims === undefined || typeof claims.jti !== "string" || typeof claims.exp !== "number") return false;
    const expiresAt = claims.exp * 1000;
    await inTransaction(services.db, (tx) => recordRevocation(tx, "jti", claims.jti as string, expiresAt));
    services.revocations.add("jti", claims.jti, expiresAt);
    return true;
  };
  const asRefresh = async (): Promise<boolean> => {
    const { rows } = await services.db.query<{ family: string }>("SELECT family FROM refresh_token WHERE token_hash = $1 AND expires_at > now()", [hashOf(token)]);
    const family = rows[0]?.family;
    if (family === undefined) return false;
    const expiresAt = Date.now() + services.settings.refreshTokenExpireDays * DAY_MS;
    await inTransaction(services.db, (tx) => recordRevocation(tx, "family", family, expiresAt));
    services.revocations.add("family", family, expiresAt);
    return true;
  };
  // The hint only orders the lookups (RFC 7009 section 2.1).
  if (hint === "refresh_token") {
    if (!(await asRefresh())) await asAccess();
  } else if (!(await asAccess())) await asRefresh();
}
