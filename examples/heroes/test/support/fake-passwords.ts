import { PasswordVerifier } from "../../src/passwords.js";

// The seeded users' plaintext passwords by hash (migration 002 holds the guide's argon2id hashes).
// Tests that are not about passwords log in through this table instead of argon2 (50-300 ms each).
const PLAINTEXT = new Map<string, string>([
  ["$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc", "secret"],
  ["$argon2id$v=19$m=65536,t=3,p=4$g2/AV1zwopqUntPKJavBFw$BwpRGDCyUHLvHICnwijyX8ROGoiUPwNKZ7915MeYfCE", "secretalice"],
]);

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
