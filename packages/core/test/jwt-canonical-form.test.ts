// Issue 20, item 1: jose decodes base64url with `atob`, which skips whitespace and ignores the
// unused bits of a segment's last character, so one token had unlimited spellings that verified,
// each a separate verified-token-cache entry. Only the canonical compact JWS may get through.
import t from "tap";
import { SignJWT } from "jose";
import { createJwtVerifier, JwtVerificationError, type JwtVerifierOptions } from "@depends/core/jwt";

const SECRET_BYTES = new TextEncoder().encode("09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7");
const T0 = 1_700_000_000;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

async function setup() {
  const key = await crypto.subtle.importKey("raw", SECRET_BYTES, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const counter = { keyLookups: 0 };
  const verifier = await createJwtVerifier({
    getKey: () => {
      counter.keyLookups++;
      return key;
    },
    algorithms: ["HS256"],
    now: () => T0 * 1000,
    cache: { maxEntries: 1000 },
  } as JwtVerifierOptions);
  const token = await new SignJWT({ sub: "johndoe", scope: "me items", exp: T0 + 1800 }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(SECRET_BYTES);
  return { verifier, counter, token };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof JwtVerificationError)) throw new Error("expected a JwtVerificationError");
  return error.code;
}

/** The other spellings of a segment's last character that `atob` decodes to the same bytes. */
function sameBytesSpellings(token: string): string[] {
  const signature = token.slice(token.lastIndexOf(".") + 1);
  const unused = signature.length % 4 === 2 ? 0b1111 : signature.length % 4 === 3 ? 0b11 : 0;
  const last = ALPHABET.indexOf(signature.at(-1) ?? "");
  const out: string[] = [];
  for (let bits = 1; bits <= unused; bits++) out.push(token.slice(0, -1) + ALPHABET[(last & ~unused) | bits]);
  return out;
}

t.test("regression: whitespace inserted in a token is refused and never becomes a cache entry", async (t) => {
  const { verifier, counter, token } = await setup();
  await verifier.verify(token);
  const dot = token.lastIndexOf(".");
  const spellings = [
    `${token.slice(0, dot + 5)} ${token.slice(dot + 5)}`, // a space inside the signature
    `${token.slice(0, dot + 5)}\t${token.slice(dot + 5)}`,
    `${token.slice(0, dot + 5)}\n${token.slice(dot + 5)}`,
    `${token.slice(0, 10)} ${token.slice(10)}`, // inside the header
    `${token} `,
    `${token}=`, // padding
    `${token.slice(0, dot + 1)}  ${token.slice(dot + 1)}`,
  ];
  for (const spelling of spellings) {
    t.equal(await codeOf(verifier.verify(spelling)), "JWT_MALFORMED", JSON.stringify(spelling));
    t.equal(verifier.lookup(spelling), undefined);
  }
  t.equal(counter.keyLookups, 1, "none of them reached jose");
  t.equal(verifier.cacheStats().size, 1, "one token, one entry");
});

t.test("regression: a non-canonical last character (same bytes for atob) is refused", async (t) => {
  const { verifier, counter, token } = await setup();
  const others = sameBytesSpellings(token);
  t.equal(others.length, 3, "an HS256 signature (43 characters) has 2 unused bits");
  for (const spelling of others) {
    t.not(spelling, token);
    t.equal(Buffer.from(spelling.split(".")[2] ?? "", "base64url").equals(Buffer.from(token.split(".")[2] ?? "", "base64url")), true, "decodes to the same bytes");
    t.equal(await codeOf(verifier.verify(spelling)), "JWT_MALFORMED");
  }
  t.equal(counter.keyLookups, 0);
  t.same(await verifier.verify(token), { sub: "johndoe", scope: "me items", exp: T0 + 1800 }, "the canonical spelling still verifies");
});

t.test("segments of 4n+1 characters, an empty header and characters outside base64url are refused", async (t) => {
  const { verifier, counter, token } = await setup();
  const [header, payload, signature] = token.split(".") as [string, string, string];
  for (const bad of [`${header}.${payload}.${signature}AA`, `.${payload}.${signature}`, `${header}.${payload}`, `${header}.${payload}.${signature}.`, `${header}.${payload}+.${signature}`, `${header}.${payload}.${signature.slice(0, -1)}/`, `${header}.${payload}.${signature}é`]) {
    t.equal(await codeOf(verifier.verify(bad)), "JWT_MALFORMED", bad.slice(-12));
  }
  t.equal(counter.keyLookups, 0);
});

t.test("regression: 10,000 spellings of one token leave one cache entry and no eviction", async (t) => {
  const { verifier, token } = await setup();
  await verifier.verify(token);
  const dot = token.lastIndexOf(".");
  for (let i = 0; i < 10_000; i++) {
    const at = dot + 1 + (i % 40);
    const spelling = `${token.slice(0, at)}${" ".repeat(1 + (i % 7))}${token.slice(at)}`;
    await verifier.verify(spelling).catch(() => undefined);
  }
  t.match(verifier.cacheStats(), { size: 1, evicted: 0 });
});
