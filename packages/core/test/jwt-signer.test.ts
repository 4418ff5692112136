import { createHmac } from "node:crypto";
import t from "tap";
import { decodeProtectedHeader } from "jose";
import { createJwtSigner, createJwtVerifier } from "@depends/core/jwt";

const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const T0 = 1_700_000_000;
const now = () => T0 * 1000 + 999; // sub-second part is dropped, as NumericDate requires

const decodePart = (token: string, index: number): unknown => JSON.parse(Buffer.from(token.split(".")[index] ?? "", "base64url").toString());

t.test("FastAPI's /token: {sub, scope} plus iat and exp = now + 30 minutes, HS256", async (t) => {
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 30 * 60, now });
  t.equal(signer.algorithm, "HS256");
  const token = await signer.sign({ sub: "johndoe", scope: "me items" });
  t.same(decodeProtectedHeader(token), { alg: "HS256", typ: "JWT" });
  t.same(decodePart(token, 1), { sub: "johndoe", scope: "me items", iat: T0, exp: T0 + 1800 });

  const verifier = await createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"], now });
  t.match(await verifier.verify(token), { sub: "johndoe", scope: "me items", exp: T0 + 1800 });
});

t.test("what it signs, PyJWT can verify: HMAC-SHA256 over the key's UTF-8 bytes", async (t) => {
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 60, now });
  const [header, payload, signature] = (await signer.sign({ sub: "johndoe" })).split(".");
  t.equal(signature, createHmac("sha256", Buffer.from(SECRET_KEY, "utf8")).update(`${header}.${payload}`).digest("base64url"));
});

t.test("per-token lifetime; exp and iat in the claims are replaced", async (t) => {
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 60, now });
  t.match(decodePart(await signer.sign({ sub: "a" }, { expiresInSeconds: 15 }), 1), { exp: T0 + 15 });
  t.match(decodePart(await signer.sign({ sub: "a", exp: T0 + 999_999, iat: 1 }), 1), { exp: T0 + 60, iat: T0 });
  await t.rejects(signer.sign({ sub: "a" }, { expiresInSeconds: 0 }), TypeError);
  await t.rejects(signer.sign({ sub: "a" }, { expiresInSeconds: Number.NaN }), TypeError);
});

t.test("issuer, audience and kid are stamped on every token and satisfy a matching verifier", async (t) => {
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS512", expiresInSeconds: 60, issuer: "https://me.example", audience: ["api"], keyId: "k1", now });
  const token = await signer.sign({ sub: "johndoe" });
  t.same(decodeProtectedHeader(token), { alg: "HS512", typ: "JWT", kid: "k1" });
  const verifier = await createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS512"], issuer: "https://me.example", audience: "api", now });
  t.match(await verifier.verify(token), { sub: "johndoe", iss: "https://me.example", aud: ["api"] });
  const single = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 60, audience: "api", now });
  t.match(decodePart(await single.sign({}), 1), { aud: "api" });
});

t.test("the default clock is Date.now", async (t) => {
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 60 });
  const before = Math.floor(Date.now() / 1000);
  const { iat } = decodePart(await signer.sign({}), 1) as { iat: number };
  t.ok(iat >= before && iat <= before + 1);
});

t.test("signer configuration mistakes are TypeErrors", async (t) => {
  const cases: [string, Record<string, unknown>][] = [
    ["no options", {}],
    ['"none"', { secret: SECRET_KEY, algorithm: "none", expiresInSeconds: 60 }],
    ["secret with RS256", { secret: SECRET_KEY, algorithm: "RS256", expiresInSeconds: 60 }],
    ["short secret", { secret: "secret", algorithm: "HS256", expiresInSeconds: 60 }],
    ["no lifetime", { secret: SECRET_KEY, algorithm: "HS256" }],
    ["negative lifetime", { secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: -1 }],
    ["two key sources", { secret: SECRET_KEY, privateKey: "x", algorithm: "HS256", expiresInSeconds: 60 }],
  ];
  for (const [name, options] of cases) {
    await t.rejects(createJwtSigner(options as unknown as Parameters<typeof createJwtSigner>[0]), TypeError, name);
  }
  await t.rejects(createJwtSigner(undefined as unknown as Parameters<typeof createJwtSigner>[0]), TypeError);
});
