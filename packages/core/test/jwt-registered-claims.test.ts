// Issue 20, items 2 and 3: a token minted for another service (`aud`) was accepted when no
// audience was configured, and an `iat` in the future was accepted; PyJWT refuses both
// (`InvalidAudienceError`, `ImmatureSignatureError`).
import t from "tap";
import { SignJWT } from "jose";
import { createJwtVerifier, JwtVerificationError, type JwtVerifierOptions } from "@depends/core/jwt";

const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const SECRET_BYTES = new TextEncoder().encode(SECRET_KEY);
const T0 = 1_700_000_000;

const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(SECRET_BYTES);
const verifierFor = (extra: Partial<JwtVerifierOptions> = {}) =>
  createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"], now: () => T0 * 1000, cache: { maxEntries: 10 }, ...extra } as JwtVerifierOptions);

async function refusal(promise: Promise<unknown>): Promise<JwtVerificationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof JwtVerificationError)) throw new Error("expected a JwtVerificationError");
  return error;
}

t.test("regression: a token carrying aud is refused when no audience is configured", async (t) => {
  const verifier = await verifierFor();
  for (const aud of ["other-service", ["other-service", "my-api"], [], "", null]) {
    const error = await refusal(verifier.verify(await sign({ sub: "johndoe", aud, exp: T0 + 60 })));
    t.equal(error.code, "JWT_CLAIM_INVALID", JSON.stringify(aud));
    t.equal(error.claim, "aud");
  }
  t.equal(verifier.cacheStats().size, 0, "nothing refused is cached");
  t.equal((await verifier.verify(await sign({ sub: "johndoe", exp: T0 + 60 }))).sub, "johndoe", "a token without aud still verifies");
});

t.test("with an audience configured, aud must name it (jose's check, unchanged)", async (t) => {
  const verifier = await verifierFor({ audience: "my-api" });
  t.equal((await verifier.verify(await sign({ sub: "a", aud: ["x", "my-api"], exp: T0 + 60 }))).sub, "a");
  t.equal((await refusal(verifier.verify(await sign({ sub: "a", aud: "other", exp: T0 + 60 })))).claim, "aud");
  t.equal((await refusal(verifier.verify(await sign({ sub: "a", exp: T0 + 60 })))).claim, "aud", "missing aud");
});

t.test("regression: iat in the future beyond clockToleranceSeconds is refused", async (t) => {
  const strict = await verifierFor();
  const future = await refusal(strict.verify(await sign({ sub: "a", iat: T0 + 1, exp: T0 + 60 })));
  t.equal(future.code, "JWT_CLAIM_INVALID");
  t.equal(future.claim, "iat");
  t.equal((await strict.verify(await sign({ sub: "a", iat: T0, exp: T0 + 60 }))).sub, "a", "iat == now is fine");
  t.equal((await strict.verify(await sign({ sub: "b", iat: T0 - 3600, exp: T0 + 60 }))).sub, "b", "iat in the past is fine");

  const tolerant = await verifierFor({ clockToleranceSeconds: 5 });
  t.equal((await tolerant.verify(await sign({ sub: "c", iat: T0 + 5, exp: T0 + 60 }))).sub, "c", "within the tolerance");
  t.equal((await refusal(tolerant.verify(await sign({ sub: "d", iat: T0 + 6, exp: T0 + 60 })))).claim, "iat");
  t.equal(tolerant.cacheStats().size, 1, "only the accepted token is cached");
});

t.test("the clock is truncated to seconds, as jose does for nbf", async (t) => {
  const verifier = await verifierFor({ now: () => T0 * 1000 + 999 });
  t.equal((await refusal(verifier.verify(await sign({ sub: "a", iat: T0 + 1, exp: T0 + 60 })))).claim, "iat");
});
