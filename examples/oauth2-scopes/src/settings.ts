import { randomBytes } from "node:crypto";

/** The example's configuration, read from the environment. */
export interface Settings {
  readonly host: string;
  readonly port: number;
  /** HS256 key material: the UTF-8 bytes of this string, as PyJWT uses the guide's hex key. */
  readonly secretKey: string;
  /** True when `secretKey` was generated at start (tokens then die with the process). */
  readonly generatedSecret: boolean;
  readonly accessTokenExpireMinutes: number;
}

/** A configuration problem that must stop the server before it listens. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

function positiveInteger(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  // Digits only: Number() would also accept "0x50", "1e3", " 8000 " and "8000.0".
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new SettingsError(`${name} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Reads `HOST`, `PORT`, `SECRET_KEY` and `ACCESS_TOKEN_EXPIRE_MINUTES`. Without `SECRET_KEY` a
 * random key is generated (and `warn` is told), except with `NODE_ENV=production`, where starting
 * without a key is refused: tokens signed by a throw-away key would be rejected by every other
 * instance and after every restart.
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
  return {
    host: env.HOST || "127.0.0.1",
    port: positiveInteger("PORT", env.PORT, 8000, 65535),
    secretKey,
    generatedSecret,
    accessTokenExpireMinutes: positiveInteger("ACCESS_TOKEN_EXPIRE_MINUTES", env.ACCESS_TOKEN_EXPIRE_MINUTES, 30, 60 * 24 * 365),
  };
}
