import { createHmac } from "node:crypto";
import t from "tap";
import { SignJWT } from "jose";
import { createJwtVerifier, JwtVerificationError, type JwtVerificationErrorCode } from "@depends/core/jwt";

// FastAPI's tutorial key. PyJWT signs with the UTF-8 bytes of these 64 characters.
const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const SECRET_BYTES = new TextEncoder().encode(SECRET_KEY);
const T0 = 1_700_000_000; // seconds; the injected clock starts here
const now = () => T0 * 1000;

/** What PyJWT's `jwt.encode(payload, SECRET_KEY, algorithm="HS256")` produces, built by hand. */
function pyjwtEncode(payload: object, key: string = SECRET_KEY, header: object = { alg: "HS256", typ: "JWT" }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${part(header)}.${part(payload)}`;
  return `${signingInput}.${createHmac("sha256", Buffer.from(key, "utf8")).update(signingInput).digest("base64url")}`;
}

function hs(alg: "HS256" | "HS384" | "HS512", claims: Record<string, unknown>, key: Uint8Array = SECRET_BYTES): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(key);
}

async function refusal(promise: Promise<unknown>): Promise<JwtVerificationError> {
  const outcome = await promise.then(
    () => new Error("expected a rejection"),
    (error: unknown) => error,
  );
  if (!(outcome instanceof JwtVerificationError)) throw outcome;
  return outcome;
}

interface Asserts {
  equal(found: unknown, wanted: unknown): boolean;
}

async function rejectsWith(t: Asserts, promise: Promise<unknown>, code: JwtVerificationErrorCode): Promise<JwtVerificationError> {
  const error = await refusal(promise);
  t.equal(error.code, code);
  return error;
}

const verifierFor = (extra: Partial<Parameters<typeof createJwtVerifier>[0]> = {}) =>
  createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"], now, ...extra } as Parameters<typeof createJwtVerifier>[0]);

t.test("verifies a jose HS256 token with the FastAPI docs key", async (t) => {
  const verifier = await verifierFor();
  const claims = await verifier.verify(await hs("HS256", { sub: "johndoe", scope: "me items", exp: T0 + 1800 }));
  t.same(claims, { sub: "johndoe", scope: "me items", exp: T0 + 1800 });
});

t.test("interoperates with PyJWT: a token HMAC'd by hand with the key's UTF-8 bytes", async (t) => {
  const token = pyjwtEncode({ sub: "johndoe", scope: "me items", exp: T0 + 1800 });
  // Pinned literal, computed independently with Python's json + hmac the way PyJWT 2 encodes
  // (sorted compact header, compact payload in insertion order, HMAC-SHA256 over the key's UTF-8 bytes).
  t.equal(
    token,
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGUiOiJtZSBpdGVtcyIsImV4cCI6MTcwMDAwMTgwMH0.7MUnrkETDqn9x9MALYX_ZmeHB9onlq94qTmiIK-0Dbg",
  );
  const verifier = await verifierFor();
  t.same(await verifier.verify(token), { sub: "johndoe", scope: "me items", exp: T0 + 1800 });

  // The 32 bytes the hex spells are a different key: proves the UTF-8 reading is the one that interoperates.
  const hexDecoded = await createJwtVerifier({ secret: Buffer.from(SECRET_KEY, "hex"), algorithms: ["HS256"], now });
  await rejectsWith(t, hexDecoded.verify(token), "JWT_SIGNATURE_INVALID");
});

t.test("a Uint8Array secret is used as is", async (t) => {
  const verifier = await createJwtVerifier({ secret: SECRET_BYTES, algorithms: ["HS256"], now });
  t.equal((await verifier.verify(await hs("HS256", { sub: "a", exp: T0 + 60 }))).sub, "a");
});

t.test("expired token: JWT_EXPIRED, claim exp; clockToleranceSeconds shifts the boundary", async (t) => {
  const token = await hs("HS256", { sub: "johndoe", exp: T0 - 5 });
  const error = await rejectsWith(t, (await verifierFor()).verify(token), "JWT_EXPIRED");
  t.equal(error.claim, "exp");
  t.equal((error.cause as { code?: string }).code, "ERR_JWT_EXPIRED", "jose's error is kept as cause");
  t.equal((await (await verifierFor({ clockToleranceSeconds: 10 })).verify(token)).sub, "johndoe");
  await rejectsWith(t, (await verifierFor({ clockToleranceSeconds: 5 })).verify(token), "JWT_EXPIRED");
  // exp == now is already expired (jose: exp <= now - tolerance).
  await rejectsWith(t, (await verifierFor()).verify(await hs("HS256", { exp: T0 })), "JWT_EXPIRED");
});

t.test("a token without exp is refused: JWT_CLAIM_INVALID, claim exp", async (t) => {
  const error = await rejectsWith(t, (await verifierFor()).verify(pyjwtEncode({ sub: "johndoe" })), "JWT_CLAIM_INVALID");
  t.equal(error.claim, "exp");
  t.match(error.message, /"exp" is missing/);
  await rejectsWith(t, (await verifierFor()).verify(pyjwtEncode({ sub: "johndoe", exp: "tomorrow" })), "JWT_CLAIM_INVALID");
});

t.test("tampered payload: JWT_SIGNATURE_INVALID", async (t) => {
  const token = pyjwtEncode({ sub: "johndoe", scope: "me", exp: T0 + 60 });
  const [header, , signature] = token.split(".");
  const forgedPayload = Buffer.from(JSON.stringify({ sub: "johndoe", scope: "me items admin", exp: T0 + 60 })).toString("base64url");
  await rejectsWith(t, (await verifierFor()).verify(`${header}.${forgedPayload}.${signature}`), "JWT_SIGNATURE_INVALID");
});

t.test("tampered signature: JWT_SIGNATURE_INVALID", async (t) => {
  const token = pyjwtEncode({ sub: "johndoe", exp: T0 + 60 });
  const [header, payload, signature = ""] = token.split(".");
  // Change the first character: the last one of a base64url HMAC carries unused bits.
  const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  await rejectsWith(t, (await verifierFor()).verify(`${header}.${payload}.${flipped}`), "JWT_SIGNATURE_INVALID");
  await rejectsWith(t, (await verifierFor()).verify(`${header}.${payload}.`), "JWT_SIGNATURE_INVALID");
  await rejectsWith(t, (await verifierFor()).verify(pyjwtEncode({ sub: "johndoe", exp: T0 + 60 }, "another-secret-of-sixty-four-characters-0123456789abcdef0123456")), "JWT_SIGNATURE_INVALID");
});

t.test('alg "none" is never accepted', async (t) => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const payload = part({ sub: "admin", exp: T0 + 60 });
  for (const alg of ["none", "None", "NONE"]) {
    await rejectsWith(t, (await verifierFor()).verify(`${part({ alg, typ: "JWT" })}.${payload}.`), "JWT_ALGORITHM_NOT_ALLOWED");
  }
  await rejectsWith(t, (await verifierFor()).verify(`${part({ typ: "JWT" })}.${payload}.`), "JWT_MALFORMED");
});

t.test("algorithms are pinned: HS512 and HS384 refused when only HS256 is allowed", async (t) => {
  const verifier = await verifierFor();
  await rejectsWith(t, verifier.verify(await hs("HS512", { exp: T0 + 60 })), "JWT_ALGORITHM_NOT_ALLOWED");
  await rejectsWith(t, verifier.verify(await hs("HS384", { exp: T0 + 60 })), "JWT_ALGORITHM_NOT_ALLOWED");
  // Algorithm confusion: an "RS256" header over an HMAC made with the secret.
  await rejectsWith(t, verifier.verify(pyjwtEncode({ exp: T0 + 60 }, SECRET_KEY, { alg: "RS256", typ: "JWT" })), "JWT_ALGORITHM_NOT_ALLOWED");
});

t.test("several HMAC algorithms: each imported once, picked by the pinned alg", async (t) => {
  const verifier = await verifierFor({ algorithms: ["HS256", "HS512"] });
  t.equal((await verifier.verify(await hs("HS256", { sub: "a", exp: T0 + 60 }))).sub, "a");
  t.equal((await verifier.verify(await hs("HS512", { sub: "b", exp: T0 + 60 }))).sub, "b");
  await rejectsWith(t, verifier.verify(await hs("HS384", { exp: T0 + 60 })), "JWT_ALGORITHM_NOT_ALLOWED");
});

t.test("malformed input: JWT_MALFORMED", async (t) => {
  const verifier = await verifierFor();
  const good = pyjwtEncode({ sub: "a", exp: T0 + 60 });
  const [header, payload, signature] = good.split(".");
  for (const token of ["", "abc", "a.b", "a.b.c.d", `${header}.${payload}`, `%%%.${payload}.${signature}`, `${Buffer.from("not json").toString("base64url")}.${payload}.${signature}`]) {
    await rejectsWith(t, verifier.verify(token), "JWT_MALFORMED");
  }
  // A signed but non-object claims set.
  const signedArray = `${header}.${Buffer.from("[1,2]").toString("base64url")}`;
  await rejectsWith(t, verifier.verify(`${signedArray}.${createHmac("sha256", SECRET_KEY).update(signedArray).digest("base64url")}`), "JWT_MALFORMED");
  await rejectsWith(t, verifier.verify(undefined as unknown as string), "JWT_MALFORMED");
  await rejectsWith(t, verifier.verify(42 as unknown as string), "JWT_MALFORMED");
});

t.test("issuer, audience and requiredClaims: JWT_CLAIM_INVALID naming the claim", async (t) => {
  const verifier = await verifierFor({ issuer: "https://issuer.example", audience: ["api-a", "api-b"], requiredClaims: ["sub"] });
  const base = { sub: "johndoe", iss: "https://issuer.example", aud: "api-b", exp: T0 + 60 };
  t.equal((await verifier.verify(await hs("HS256", base))).sub, "johndoe");
  t.equal((await refusal(verifier.verify(await hs("HS256", { ...base, iss: "https://evil.example" })))).claim, "iss");
  t.equal((await refusal(verifier.verify(await hs("HS256", { ...base, aud: "api-c" })))).claim, "aud");
  const { sub: _sub, ...withoutSub } = base;
  const missing = await rejectsWith(t, verifier.verify(await hs("HS256", withoutSub)), "JWT_CLAIM_INVALID");
  t.equal(missing.claim, "sub");
  t.equal((await refusal(verifier.verify(await hs("HS256", { ...base, nbf: T0 + 30 })))).claim, "nbf");
});

t.test("token length is checked before any parsing or cryptography", async (t) => {
  const key = await crypto.subtle.importKey("raw", SECRET_BYTES, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  let keyLookups = 0;
  const valid = pyjwtEncode({ sub: "johndoe", exp: T0 + 60 });
  const verifier = await createJwtVerifier({
    getKey: () => {
      keyLookups++;
      return key;
    },
    algorithms: ["HS256"],
    maxTokenLength: valid.length,
    now,
  });
  const subtle = crypto.subtle;
  const originalVerify = subtle.verify;
  let subtleVerifies = 0;
  subtle.verify = function (this: typeof subtle, ...args: Parameters<typeof subtle.verify>) {
    subtleVerifies++;
    return originalVerify.apply(this, args);
  };
  t.teardown(() => {
    subtle.verify = originalVerify;
  });

  await rejectsWith(t, verifier.verify(`${valid}x`), "JWT_TOO_LONG");
  // Garbage that jose would call malformed is refused for its length first: it was never parsed.
  await rejectsWith(t, verifier.verify("%".repeat(1_000_000)), "JWT_TOO_LONG");
  t.equal(keyLookups, 0, "no key was looked up");
  t.equal(subtleVerifies, 0, "no signature was checked");

  t.equal((await verifier.verify(valid)).sub, "johndoe", "a token of exactly maxTokenLength is accepted");
  t.equal(keyLookups, 1);
  t.equal(subtleVerifies, 1);
});

t.test("the default maxTokenLength is 8 KiB", async (t) => {
  const verifier = await verifierFor();
  const padded = pyjwtEncode({ sub: "johndoe", pad: "x".repeat(6000), exp: T0 + 60 });
  t.ok(padded.length <= 8192);
  t.equal((await verifier.verify(padded)).sub, "johndoe");
  await rejectsWith(t, verifier.verify(pyjwtEncode({ sub: "johndoe", pad: "x".repeat(6200), exp: T0 + 60 })), "JWT_TOO_LONG");
});

t.test("error messages never carry the token, the secret or claim values", async (t) => {
  const verifier = await verifierFor({ audience: "api" });
  const tokens = [
    pyjwtEncode({ sub: "johndoe-secret-subject", exp: T0 - 1 }),
    pyjwtEncode({ sub: "johndoe-secret-subject", exp: T0 + 60, aud: "johndoe-secret-subject" }),
    pyjwtEncode({ sub: "johndoe-secret-subject", exp: T0 + 60 }, "wrong-key-wrong-key-wrong-key-wrong-key-!!"),
  ];
  for (const token of tokens) {
    const error = await refusal(verifier.verify(token));
    for (const leak of [SECRET_KEY, token, token.split(".")[2] ?? "", "johndoe-secret-subject"]) t.notOk(error.message.includes(leak), `${error.code}: ${error.message}`);
    t.equal(error.name, "JwtVerificationError");
  }
});

t.test("verified claims are deeply frozen, with or without a cache", async (t) => {
  const verifier = await verifierFor();
  const claims = await verifier.verify(await hs("HS256", { sub: "johndoe", roles: ["user"], profile: { name: "John" }, exp: T0 + 60 }));
  t.ok(Object.isFrozen(claims));
  t.ok(Object.isFrozen(claims.roles));
  t.ok(Object.isFrozen(claims.profile));
  t.throws(() => {
    (claims as { sub?: string }).sub = "admin";
  }, TypeError);
});

t.test("configuration mistakes are TypeErrors at creation", async (t) => {
  const cases: [string, Record<string, unknown>][] = [
    ["no algorithms", { secret: SECRET_KEY }],
    ["empty algorithms", { secret: SECRET_KEY, algorithms: [] }],
    ['"none"', { secret: SECRET_KEY, algorithms: ["none"] }],
    ["unknown algorithm", { secret: SECRET_KEY, algorithms: ["HS999"] }],
    ["secret with an asymmetric algorithm", { secret: SECRET_KEY, algorithms: ["HS256", "RS256"] }],
    ["secret shorter than the hash", { secret: "secret", algorithms: ["HS256"] }],
    ["HS512 needs 64 bytes", { secret: SECRET_BYTES.slice(0, 48), algorithms: ["HS512"] }],
    ["secret of the wrong type", { secret: 12345, algorithms: ["HS256"] }],
    ["no key source", { algorithms: ["HS256"] }],
    ["two key sources", { secret: SECRET_KEY, jwks: { keys: [] }, algorithms: ["HS256"] }],
    ["maxTokenLength 0", { secret: SECRET_KEY, algorithms: ["HS256"], maxTokenLength: 0 }],
    ["negative clock tolerance", { secret: SECRET_KEY, algorithms: ["HS256"], clockToleranceSeconds: -1 }],
    ["bad requiredClaims", { secret: SECRET_KEY, algorithms: ["HS256"], requiredClaims: [""] }],
    ["bad issuer", { secret: SECRET_KEY, algorithms: ["HS256"], issuer: [] }],
    ["bad clock", { secret: SECRET_KEY, algorithms: ["HS256"], now: 5 }],
    ["cache.maxEntries 0", { secret: SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 0 } }],
    ["cache.maxTtlSeconds 0", { secret: SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 1, maxTtlSeconds: 0 } }],
    ["getKey not a function", { getKey: "key", algorithms: ["HS256"] }],
  ];
  for (const [name, options] of cases) {
    await t.rejects(createJwtVerifier(options as unknown as Parameters<typeof createJwtVerifier>[0]), TypeError, name);
  }
  await t.rejects(createJwtVerifier(null as unknown as Parameters<typeof createJwtVerifier>[0]), TypeError);
});

t.test("types: one key source, known algorithms, required algorithms, read-only claims", async (t) => {
  // @ts-expect-error two key sources
  await t.rejects(createJwtVerifier({ secret: SECRET_KEY, publicKey: "-----BEGIN PUBLIC KEY-----", algorithms: ["HS256"] }), TypeError);
  // @ts-expect-error "none" is not a JwtAlgorithm
  await t.rejects(createJwtVerifier({ secret: SECRET_KEY, algorithms: ["none"] }), TypeError);
  // @ts-expect-error algorithms are required
  await t.rejects(createJwtVerifier({ secret: SECRET_KEY }), TypeError);
  const claims = await (await verifierFor()).verify(pyjwtEncode({ sub: "johndoe", exp: T0 + 60 }));
  t.throws(() => {
    // @ts-expect-error claims are read-only
    claims.sub = "admin";
  }, TypeError);
});
