import { PasswordVerifier } from "../../src/passwords.js";
import { GUIDE_USERS } from "../../src/users.js";

// The guide's plaintext passwords by hash. Tests that are not about passwords log in through this
// table instead of argon2, which costs 50-300 ms per verification on these machines.
const PLAINTEXT = new Map<string, string>([
  [GUIDE_USERS[0]!.hashed_password, "secret"],
  [GUIDE_USERS[1]!.hashed_password, "secretalice"],
]);

/** Registers extra users' hashes: any string works as a "hash" for a fake user. */
export function fakeHash(password: string): string {
  const hashed = `fake$${password}`;
  PLAINTEXT.set(hashed, password);
  return hashed;
}

/** A {@link PasswordVerifier} that compares plaintext through a table, with the real one's contract. */
export class FakePasswords extends PasswordVerifier {
  override async verify(password: string, hashed: string): Promise<boolean> {
    return PLAINTEXT.get(hashed) === password;
  }

  override async verifyDummy(): Promise<false> {
    return false;
  }

  override async warmUp(): Promise<void> {}
}

/** The real verifier, recording each hash it is asked to check (the dummy hash included). */
export class RecordingPasswords extends PasswordVerifier {
  readonly checkedHashes: string[] = [];

  override async verify(password: string, hashed: string): Promise<boolean> {
    this.checkedHashes.push(hashed);
    return super.verify(password, hashed);
  }
}
