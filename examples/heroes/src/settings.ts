import { randomBytes } from "node:crypto";

/** The heroes example's configuration, read from the environment. */
export interface Settings {
  readonly host: string;
  readonly port: number;
  /** HS256 key material: the UTF-8 bytes of this string (as PyJWT uses the guide's hex key). */
  readonly secretKey: string;
  /** True when `secretKey` was generated at start (tokens then die with the process). */
  readonly generatedSecret: boolean;
  readonly accessTokenExpireMinutes: number;
  readonly refreshTokenExpireDays: number;
  /** `postgres://...`: a real server through `pg`; undefined: the embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** PGlite's data directory when there is no `databaseUrl`; `memory://` keeps it in memory. */
  readonly pgliteDataDir: string;
  /**
   * The revocation bound, in milliseconds: a token revoked on any instance is refused by every
   * instance at the latest this long after the revocation committed (see revocations.ts).
   */
  readonly revocationBoundMs: number;
}

/** A configuration problem that must stop the server before it listens. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

function positiveInteger(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new SettingsError(`${name} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Reads `HOST`, `PORT` (default 8001), `SECRET_KEY`, `ACCESS_TOKEN_EXPIRE_MINUTES`,
 * `REFRESH_TOKEN_EXPIRE_DAYS`, `DATABASE_URL`, `PGLITE_DATA_DIR` and `REVOCATION_BOUND_MS`.
 * Without `SECRET_KEY` a random key is generated (and `warn` is told), except with
 * `NODE_ENV=production`: instances behind one load balancer must share their key.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = () => {}): Settings {
  const secret = env.SECRET_KEY;
  let secretKey: string;
  let generatedSecret = false;
  if (secret === undefined || secret === "") {
    if (env.NODE_ENV === "production") {
      throw new SettingsError("SECRET_KEY is not set: refusing to start with NODE_ENV=production (generate one with `openssl rand -hex 32`)");
    }
    secretKey = randomBytes(32).toString("hex");
    generatedSecret = true;
    warn("SECRET_KEY is not set: using a random key for this process only; tokens will not survive a restart");
  } else {
    if (Buffer.byteLength(secret, "utf8") < 32) throw new SettingsError("SECRET_KEY must be at least 32 bytes long (e.g. `openssl rand -hex 32`)");
    secretKey = secret;
  }
  const databaseUrl = env.DATABASE_URL === undefined || env.DATABASE_URL === "" ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new SettingsError("DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  return {
    host: env.HOST || "127.0.0.1",
    port: positiveInteger("PORT", env.PORT, 8001, 65535),
    secretKey,
    generatedSecret,
    accessTokenExpireMinutes: positiveInteger("ACCESS_TOKEN_EXPIRE_MINUTES", env.ACCESS_TOKEN_EXPIRE_MINUTES, 30, 60 * 24 * 365),
    refreshTokenExpireDays: positiveInteger("REFRESH_TOKEN_EXPIRE_DAYS", env.REFRESH_TOKEN_EXPIRE_DAYS, 14, 3650),
    databaseUrl,
    pgliteDataDir: env.PGLITE_DATA_DIR || "./heroes-pgdata",
    revocationBoundMs: positiveInteger("REVOCATION_BOUND_MS", env.REVOCATION_BOUND_MS, 5_000, 3_600_000),
  };
}
