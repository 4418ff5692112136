import t from "tap";
import { SignJWT } from "jose";
import { createJwtVerifier, JwtVerificationError, type JwtVerifierOptions, type VerifiedTokenCacheOptions } from "@depends/core/jwt";

const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const SECRET_BYTES = new TextEncoder().encode(SECRET_KEY);
const T0 = 1_700_000_000;

/** A clock the test moves by hand, plus a key resolver that counts real verifications. */
async function setup(cache: VerifiedTokenCacheOptions | undefined, extra: Partial<JwtVerifierOptions> = {}) {
  const clock = { ms: T0 * 1000 };
  const key = await crypto.subtle.importKey("raw", SECRET_BYTES, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const counter = { verifications: 0 };
  const verifier = await createJwtVerifier({
    getKey: () => {
      counter.verifications++;
      return key;
    },
    algorithms: ["HS256"],
    now: () => clock.ms,
    ...(cache === undefined ? {} : { cache }),
    ...extra,
  } as JwtVerifierOptions);
  const advance = (seconds: number) => {
    clock.ms += seconds * 1000;
  };
  return { verifier, counter, clock, advance };
}

const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(SECRET_BYTES);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof JwtVerificationError)) throw new Error("expected a JwtVerificationError");
  return error.code;
}

t.test("a hit returns the same claims without verifying again", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 10 });
  const token = await sign({ sub: "johndoe", scope: "me items", exp: T0 + 1800 });
  const first = await verifier.verify(token);
  const second = await verifier.verify(token);
  t.same(first, { sub: "johndoe", scope: "me items", exp: T0 + 1800 });
  t.equal(second, first, "the very same frozen object");
  t.equal(counter.verifications, 1);
  t.match(verifier.cacheStats(), { enabled: true, hits: 1, misses: 1, size: 1, maxEntries: 10 });
});

t.test("misses are counted, one per token not yet verified", async (t) => {
  const { verifier } = await setup({ maxEntries: 10 });
  for (const sub of ["a", "b", "c"]) await verifier.verify(await sign({ sub, exp: T0 + 60 }));
  t.match(verifier.cacheStats(), { hits: 0, misses: 3, size: 3 });
});

t.test("a tampered token never hits: the key is the whole token, signature included", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 10 });
  const token = await sign({ sub: "johndoe", scope: "me", exp: T0 + 60 });
  await verifier.verify(token);
  const [header, payload, signature = ""] = token.split(".");
  const forgedPayload = Buffer.from(JSON.stringify({ sub: "johndoe", scope: "me admin", exp: T0 + 60 })).toString("base64url");
  const tampered = [
    `${header}.${forgedPayload}.${signature}`,
    `${header}.${payload}.${(signature[0] === "A" ? "B" : "A") + signature.slice(1)}`,
    `${header}.${payload}.${signature.slice(0, -3)}`,
  ];
  for (const forged of tampered) {
    t.equal(verifier.lookup(forged), undefined);
    t.equal(await codeOf(verifier.verify(forged)), "JWT_SIGNATURE_INVALID");
  }
  t.equal(counter.verifications, 1 + tampered.length, "each forgery went through a real verification");
  // Another spelling of the same bytes (a space, a non-canonical last character) is refused before
  // the cache and before jose: see jwt-canonical-form.test.ts.
  for (const respelled of [` ${token}`, `${token.slice(0, -1)} ${token.slice(-1)}`]) {
    t.equal(verifier.lookup(respelled), undefined);
    t.equal(await codeOf(verifier.verify(respelled)), "JWT_MALFORMED");
  }
  t.equal(counter.verifications, 1 + tampered.length, "no verification for a respelled token");
  t.match(verifier.cacheStats(), { hits: 0, size: 1 });
});

t.test("an entry past exp is evicted on the hit and the token re-verified (JWT_EXPIRED)", async (t) => {
  const { verifier, advance, counter } = await setup({ maxEntries: 10 });
  const token = await sign({ sub: "johndoe", exp: T0 + 60 });
  await verifier.verify(token);
  advance(59.999);
  t.equal((await verifier.verify(token)).sub, "johndoe", "still served just before exp");
  t.equal(counter.verifications, 1);
  advance(0.001);
  t.equal(await codeOf(verifier.verify(token)), "JWT_EXPIRED");
  t.match(verifier.cacheStats(), { hits: 1, misses: 2, expired: 1, size: 0 });
  t.equal(counter.verifications, 2, "the expired hit fell through to jose, which gave the real error");
});

t.test("cache hits expire at exactly the instant jose would refuse the token, with clock tolerance", async (t) => {
  for (const tolerance of [0, 5, 2.5]) {
    for (const exp of [T0 + 30, T0 + 30.4]) {
      const token = await sign({ sub: "johndoe", exp });
      const cached = await setup({ maxEntries: 10 }, { clockToleranceSeconds: tolerance });
      const uncached = await setup(undefined, { clockToleranceSeconds: tolerance });
      await cached.verifier.verify(token);
      for (const offset of [29, 29.999, 30, 30.2, 30.5, 31, 32, 32.5, 33, 34, 35, 35.001, 36]) {
        cached.clock.ms = uncached.clock.ms = (T0 + offset) * 1000;
        const fromCache = cached.verifier.lookup(token) !== undefined;
        const fromJose = await uncached.verifier.verify(token).then(() => true, () => false);
        t.equal(fromCache, fromJose, `tolerance ${tolerance}, exp ${exp - T0}, t=${offset}`);
        if (!fromCache) break; // evicted: stays out
      }
    }
  }
});

t.test("a token that expires while it is being verified is returned but not cached", async (t) => {
  const clock = { ms: T0 * 1000 };
  const key = await crypto.subtle.importKey("raw", SECRET_BYTES, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const verifier = await createJwtVerifier({
    getKey: () => {
      clock.ms += 120_000; // a slow key lookup: the token's exp passes meanwhile
      return key;
    },
    algorithms: ["HS256"],
    now: () => clock.ms,
    cache: { maxEntries: 10 },
  });
  t.equal((await verifier.verify(await sign({ sub: "johndoe", exp: T0 + 60 }))).sub, "johndoe", "valid at the instant verification began");
  t.equal(verifier.cacheStats().size, 0);
});

t.test("LRU: maxEntries is a hard bound and the least recently used entry goes first", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 2 });
  const [a, b, c] = await Promise.all(["a", "b", "c"].map((sub) => sign({ sub, exp: T0 + 60 })));
  if (a === undefined || b === undefined || c === undefined) throw new Error("unreachable");
  await verifier.verify(a);
  await verifier.verify(b);
  await verifier.verify(a); // a is now more recent than b
  await verifier.verify(c); // evicts b
  t.match(verifier.cacheStats(), { size: 2, evicted: 1 });
  t.not(verifier.lookup(a), undefined);
  t.equal(verifier.lookup(b), undefined, "b was evicted");
  t.not(verifier.lookup(c), undefined);
  t.equal(counter.verifications, 3);
});

t.test("failures are never cached", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 10 });
  const expired = await sign({ sub: "johndoe", exp: T0 - 1 });
  const noExp = await sign({ sub: "johndoe" });
  const wrongKey = await new SignJWT({ sub: "x", exp: T0 + 60 }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("k".repeat(32)));
  for (const token of [expired, noExp, wrongKey]) {
    t.not(await codeOf(verifier.verify(token)), "");
    t.not(await codeOf(verifier.verify(token)), "");
    t.equal(verifier.lookup(token), undefined);
  }
  t.equal(counter.verifications, 6, "every attempt was a full verification");
  t.match(verifier.cacheStats(), { hits: 0, size: 0 });
});

t.test("maxTtlSeconds caps an entry's life below the token's exp", async (t) => {
  const { verifier, advance, counter } = await setup({ maxEntries: 10, maxTtlSeconds: 10 });
  const token = await sign({ sub: "johndoe", exp: T0 + 3600 });
  await verifier.verify(token);
  advance(9.9);
  await verifier.verify(token);
  t.equal(counter.verifications, 1, "served from cache within maxTtl");
  advance(0.1);
  t.equal(verifier.lookup(token), undefined, "stale at maxTtl");
  await verifier.verify(token);
  t.equal(counter.verifications, 2, "re-verified, and cached again");
  t.match(verifier.cacheStats(), { expired: 1, size: 1 });
});

t.test("maxTtlSeconds defaults to 600; Infinity leaves only exp", async (t) => {
  const token = await sign({ sub: "johndoe", exp: T0 + 3600 });
  const byDefault = await setup({ maxEntries: 10 });
  await byDefault.verifier.verify(token);
  byDefault.advance(599);
  t.not(byDefault.verifier.lookup(token), undefined);
  byDefault.advance(1);
  t.equal(byDefault.verifier.lookup(token), undefined);

  const unbounded = await setup({ maxEntries: 10, maxTtlSeconds: Infinity });
  await unbounded.verifier.verify(token);
  unbounded.advance(3599);
  t.not(unbounded.verifier.lookup(token), undefined);
  unbounded.advance(1);
  t.equal(unbounded.verifier.lookup(token), undefined);
});

t.test("cached claims are deeply frozen: one caller cannot change what the next one sees", async (t) => {
  const { verifier } = await setup({ maxEntries: 10 });
  const token = await sign({ sub: "johndoe", roles: ["user"], exp: T0 + 60 });
  const first = await verifier.verify(token);
  t.throws(() => (first.roles as string[]).push("admin"), TypeError);
  t.throws(() => {
    (first as { sub?: string }).sub = "admin";
  }, TypeError);
  t.same(await verifier.verify(token), { sub: "johndoe", roles: ["user"], exp: T0 + 60 });
});

t.test("lookup: synchronous, never verifies, honours the length gate", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 10, }, { maxTokenLength: 400 });
  const token = await sign({ sub: "johndoe", exp: T0 + 60 });
  t.equal(verifier.lookup(token), undefined, "not verified yet");
  t.equal(counter.verifications, 0, "lookup never verifies");
  await verifier.verify(token);
  t.equal(verifier.lookup(token)?.sub, "johndoe");
  t.equal(verifier.lookup("x".repeat(401)), undefined);
  t.equal(verifier.lookup(undefined as unknown as string), undefined);
  t.equal(await codeOf(verifier.verify("x".repeat(401))), "JWT_TOO_LONG");
});

t.test("clearCache drops every entry", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 10 });
  const token = await sign({ sub: "johndoe", exp: T0 + 60 });
  await verifier.verify(token);
  verifier.clearCache();
  t.equal(verifier.cacheStats().size, 0);
  await verifier.verify(token);
  t.equal(counter.verifications, 2);
});

t.test("concurrent first verifications of one token leave one entry", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 10 });
  const token = await sign({ sub: "johndoe", exp: T0 + 60 });
  const results = await Promise.all([verifier.verify(token), verifier.verify(token), verifier.verify(token)]);
  t.equal(results.length, 3);
  t.equal(counter.verifications, 3, "no single-flight: each concurrent miss verifies");
  t.match(verifier.cacheStats(), { size: 1 });
});

t.test("without a cache: stats say so, lookup finds nothing, clearCache is harmless", async (t) => {
  const { verifier, counter } = await setup(undefined);
  const token = await sign({ sub: "johndoe", exp: T0 + 60 });
  await verifier.verify(token);
  await verifier.verify(token);
  t.equal(counter.verifications, 2);
  t.equal(verifier.lookup(token), undefined);
  verifier.clearCache();
  t.same(verifier.cacheStats(), { enabled: false, hits: 0, misses: 0, expired: 0, evicted: 0, size: 0, maxEntries: 0 });
});

t.test("a large cache refreshes recency once per epoch, and still evicts what was not used", async (t) => {
  const { verifier, counter } = await setup({ maxEntries: 8 });
  const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => sign({ sub: `user${i}`, exp: T0 + 1800 })));
  for (const token of tokens.slice(0, 8)) await verifier.verify(token);
  // user0 is the oldest entry; using it (even many times) moves it to the recent end.
  for (let i = 0; i < 5; i++) t.ok(verifier.lookup(tokens[0] as string));
  await verifier.verify(tokens[8] as string);
  await verifier.verify(tokens[9] as string);
  t.ok(verifier.lookup(tokens[0] as string), "the used entry survived two evictions");
  t.equal(verifier.lookup(tokens[1] as string), undefined, "the least recently used entries went first");
  t.equal(verifier.lookup(tokens[2] as string), undefined);
  t.equal(verifier.cacheStats().size, 8);
  t.equal(counter.verifications, 10, "only misses were verified");
});
