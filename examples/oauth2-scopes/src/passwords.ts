import type { Options } from "@node-rs/argon2";

// @node-rs/argon2 types `Algorithm` as an ambient const enum, which isolated modules cannot read:
// 2 is its `Argon2id` member.
const ARGON2ID = 2 as NonNullable<Options["algorithm"]>;

// The guide's parameters (argon2id, m=65536, t=3, p=4): a dummy hash made with them costs an
// unknown username the same verification time as a known one.
const PARAMETERS: Options = { algorithm: ARGON2ID, memoryCost: 65536, timeCost: 3, parallelism: 4 };

// The hash of "dummy password for unknown users" with PARAMETERS (a test checks that its PHC
// header is what `hashPassword` makes). Made once, offline, like the guide's users' hashes: hashing
// it at startup cost every boot one argon2 run (64 MiB, tens of milliseconds or more) before the
// app could serve, for a value that never changes. Verifying against it costs what verifying a
// user's hash costs, which is what keeps unknown usernames from answering faster.
const DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$5r2NvnpCoPqxxjmCuBQHTg$BH7MaWyfpGYHezFwuNtKWTATfNQ2LQzYHyaKgpcDWrE";

// The native binding is loaded on the first login, not at startup: no request but /token needs it.
// (Node's module cache keeps it after that.)
const argon2 = (): Promise<typeof import("@node-rs/argon2")> => import("@node-rs/argon2");

/** Verifies passwords against argon2 PHC strings; unknown users still pay for one verification. */
export class PasswordVerifier {
  /** True when `password` matches `hashed`; a malformed hash counts as a mismatch. */
  async verify(password: string, hashed: string): Promise<boolean> {
    const { verify } = await argon2();
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  }

  /** Burns one verification's worth of time for a username that does not exist; always false. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(password, DUMMY_HASH);
    return false;
  }

  /**
   * Loads the argon2 binding ahead of the first login (optional: a login loads it too, for a known
   * and an unknown username alike). Nothing is hashed: the dummy hash is a constant.
   */
  async warmUp(): Promise<void> {
    await argon2();
  }
}

/** Hashes a password with the guide's parameters (for tools that create users). */
export async function hashPassword(password: string): Promise<string> {
  const { hash } = await argon2();
  return hash(password, PARAMETERS);
}
