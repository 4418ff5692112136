// The password verifier's dummy hash is a constant (nothing is hashed at startup): it must be made
// with the very parameters `hashPassword` uses, or unknown usernames would verify faster or slower.
import t from "tap";
import { hashPassword, PasswordVerifier } from "../src/passwords.js";
import { GUIDE_USERS } from "../src/users.js";

class Recording extends PasswordVerifier {
  readonly hashes: string[] = [];

  override async verify(password: string, hashed: string): Promise<boolean> {
    this.hashes.push(hashed);
    return super.verify(password, hashed);
  }
}

/** `$argon2id$v=19$m=...,t=...,p=...`: everything of a PHC string but its salt and hash. */
const header = (phc: string): string => phc.split("$").slice(0, 4).join("$");

t.test("the dummy hash has the PHC header hashPassword makes (the guide's parameters) and a salt and hash of their own sizes", async (t) => {
  const passwords = new Recording();
  t.equal(await passwords.verifyDummy("whatever"), false);
  t.equal(passwords.hashes.length, 1, "one real verification");
  const dummy = passwords.hashes[0]!;
  const made = await hashPassword("a password");
  t.equal(header(dummy), header(made));
  t.equal(header(dummy), header(GUIDE_USERS[0]!.hashed_password), "the users' hashes have the same parameters");
  t.same(dummy.split("$").slice(4).map((part) => part.length), made.split("$").slice(4).map((part) => part.length));
  t.equal(await passwords.verify("dummy password for unknown users", dummy), true, "a valid argon2 hash (of its documented password)");
});

t.test("warmUp hashes nothing and a verification still works without it", async (t) => {
  const passwords = new PasswordVerifier();
  t.equal(await passwords.verify("secret", GUIDE_USERS[0]!.hashed_password), true);
  await passwords.warmUp();
  t.equal(await passwords.verify("wrong", GUIDE_USERS[0]!.hashed_password), false);
});
