import { hash, type Options, verify } from "@node-rs/argon2";

// @node-rs/argon2 types `Algorithm` as an ambient const enum, which isolated modules cannot read:
// 2 is its `Argon2id` member.
const ARGON2ID = 2 as NonNullable<Options["algorithm"]>;

// The guide's parameters (argon2id, m=65536, t=3, p=4): a dummy hash made with them costs an
// unknown username the same verification time as a known one.
const PARAMETERS: Options = { algorithm: ARGON2ID, memoryCost: 65536, timeCost: 3, parallelism: 4 };

/** Verifies passwords against argon2 PHC strings; unknown users still pay for one verification. */
export class PasswordVerifier {
  #dummy: Promise<string> | undefined;

  /** True when `password` matches `hashed`; a malformed hash counts as a mismatch. */
  async verify(password: string, hashed: string): Promise<boolean> {
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  }

  /** Burns one verification's worth of time for a username that does not exist; always false. */
  async verifyDummy(password: string): Promise<false> {
    this.#dummy ??= hash("dummy password for unknown users", PARAMETERS);
    await this.verify(password, await this.#dummy);
    return false;
  }

  /** Pre-computes the dummy hash so that the first unknown-user login is not faster or slower. */
  async warmUp(): Promise<void> {
    this.#dummy ??= hash("dummy password for unknown users", PARAMETERS);
    await this.#dummy;
  }
}

/** Hashes a password with the guide's parameters (for tools that create users). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}
