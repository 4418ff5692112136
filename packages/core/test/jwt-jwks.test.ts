import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import { type CryptoKey, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, type JWK, SignJWT } from "jose";
import { createJwtSigner, createJwtVerifier, JwtVerificationError, type JwtVerifierOptions } from "@depends/core/jwt";

type Alg = "RS256" | "ES256" | "EdDSA";
interface Pair {
  readonly alg: Alg;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
}

async function pair(alg: Alg, kid: string): Promise<Pair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

const exp = () => Math.floor(Date.now() / 1000) + 300;
/** Signs with `p`; `kid` null leaves the header without one. */
const sign = (p: Pair, claims: Record<string, unknown> = {}, kid: string | null = p.kid) =>
  new SignJWT({ sub: `user-of-${p.kid}`, exp: exp(), ...claims }).setProtectedHeader(kid === null ? { alg: p.alg } : { alg: p.alg, kid }).sign(p.privateKey);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof JwtVerificationError)) throw new Error(`expected a JwtVerificationError, got ${String(error)}`);
  return error.code;
}

/** A JWKS endpoint on 127.0.0.1 (ephemeral port) serving `state.jwks`, counting requests. */
async function jwksServer(t: { teardown(fn: () => unknown): void }, state: { jwks: { keys: JWK[] }; status?: number; hang?: boolean }) {
  const counter = { requests: 0 };
  const server: Server = createServer((request, response) => {
    counter.requests++;
    if (state.hang === true) return; // never answers: exercises jose's timeout
    response.writeHead(state.status ?? 200, { "content-type": "application/jwk-set+json" });
    response.end(JSON.stringify(state.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, counter };
}

const rsa = await pair("RS256", "rsa-1");
const ec = await pair("ES256", "ec-1");
const ed = await pair("EdDSA", "ed-1");
const all = [rsa, ec, ed];
const ALGS: Alg[] = ["RS256", "ES256", "EdDSA"];

t.test("local JWKS: RS256, ES256 and EdDSA tokens verify, the kid picks the key", async (t) => {
  const verifier = await createJwtVerifier({ jwks: { keys: all.map((p) => p.jwk) }, algorithms: ALGS });
  for (const p of all) t.equal((await verifier.verify(await sign(p))).sub, `user-of-${p.kid}`, p.alg);
});

t.test("local JWKS: unknown kid is JWT_KEY_NOT_FOUND; a key that is not the signer's is JWT_SIGNATURE_INVALID", async (t) => {
  const verifier = await createJwtVerifier({ jwks: { keys: all.map((p) => p.jwk) }, algorithms: ALGS });
  const stranger = await pair("ES256", "ec-1"); // same kid as a trusted key, different key
  t.equal(await codeOf(verifier.verify(await sign(ec, {}, "nobody"))), "JWT_KEY_NOT_FOUND");
  t.equal(await codeOf(verifier.verify(await sign(stranger))), "JWT_SIGNATURE_INVALID");
  const attacker = await pair("ES256", "rsa-1"); // an EC token pointing at the RSA key's kid
  t.equal(await codeOf(verifier.verify(await sign(attacker))), "JWT_KEY_NOT_FOUND");
});

t.test("local JWKS: algorithms stay pinned", async (t) => {
  const verifier = await createJwtVerifier({ jwks: { keys: all.map((p) => p.jwk) }, algorithms: ["RS256"] });
  t.equal(await codeOf(verifier.verify(await sign(ec))), "JWT_ALGORITHM_NOT_ALLOWED");
  t.equal(await codeOf(verifier.verify(await sign(ed))), "JWT_ALGORITHM_NOT_ALLOWED");
  t.equal((await verifier.verify(await sign(rsa))).sub, "user-of-rsa-1");
});

t.test("local JWKS: a token without kid is tried against each matching key (key rotation)", async (t) => {
  const older = await pair("ES256", "unused");
  const newer = await pair("ES256", "unused");
  const noKid = (p: Pair): JWK => {
    const { kid: _kid, ...jwk } = p.jwk;
    return jwk;
  };
  const verifier = await createJwtVerifier({ jwks: { keys: [noKid(older), noKid(newer)] }, algorithms: ["ES256"] });
  t.equal((await verifier.verify(await sign(newer, { sub: "n" }, null))).sub, "n");
  t.equal((await verifier.verify(await sign(older, { sub: "o" }, null))).sub, "o");
  t.equal(await codeOf(verifier.verify(await sign(await pair("ES256", "x"), {}, null))), "JWT_SIGNATURE_INVALID");
  t.equal(await codeOf(verifier.verify(await sign(newer, { exp: 1 }, null))), "JWT_EXPIRED", "claims are still checked after the right key is found");
});

t.test("remote JWKS on 127.0.0.1: fetched once, RS256/ES256/EdDSA verify, unknown kid refused", async (t) => {
  const { url, counter } = await jwksServer(t, { jwks: { keys: all.map((p) => p.jwk) } });
  const verifier = await createJwtVerifier({ jwksUrl: url, algorithms: ALGS });
  t.equal(counter.requests, 0, "nothing is fetched before the first token");
  for (const p of all) t.equal((await verifier.verify(await sign(p))).sub, `user-of-${p.kid}`, p.alg);
  t.equal(counter.requests, 1, "one fetch serves every key");
  t.equal(await codeOf(verifier.verify(await sign(ec, {}, "unknown"))), "JWT_KEY_NOT_FOUND");
  t.equal(counter.requests, 1, "within jose's cooldown an unknown kid does not refetch");
});

t.test("remote JWKS: jwksOptions reach jose (cooldownDuration 0 picks up a rotated key)", async (t) => {
  const state = { jwks: { keys: [rsa.jwk] } };
  const { url, counter } = await jwksServer(t, state);
  const eager = await createJwtVerifier({ jwksUrl: new URL(url), jwksOptions: { cooldownDuration: 0 }, algorithms: ALGS });
  const lazy = await createJwtVerifier({ jwksUrl: url, algorithms: ALGS });
  await eager.verify(await sign(rsa));
  await lazy.verify(await sign(rsa));
  state.jwks = { keys: [rsa.jwk, ec.jwk] }; // the provider publishes a new key
  t.equal((await eager.verify(await sign(ec))).sub, "user-of-ec-1");
  t.equal(await codeOf(lazy.verify(await sign(ec))), "JWT_KEY_NOT_FOUND", "default cooldown: not refetched yet");
  t.equal(counter.requests, 3);
});

t.test("remote JWKS failures are JWT_KEY_UNAVAILABLE, never a crash", async (t) => {
  const broken = await jwksServer(t, { jwks: { keys: [] }, status: 500 });
  t.equal(await codeOf((await createJwtVerifier({ jwksUrl: broken.url, algorithms: ALGS })).verify(await sign(ec))), "JWT_KEY_UNAVAILABLE");

  const garbage = await jwksServer(t, { jwks: { nope: true } as unknown as { keys: JWK[] } });
  t.equal(await codeOf((await createJwtVerifier({ jwksUrl: garbage.url, algorithms: ALGS })).verify(await sign(ec))), "JWT_KEY_UNAVAILABLE");

  const hanging = await jwksServer(t, { jwks: { keys: [] }, hang: true });
  const slow = await createJwtVerifier({ jwksUrl: hanging.url, jwksOptions: { timeoutDuration: 50 }, algorithms: ALGS });
  const timedOut = await slow.verify(await sign(ec)).then(() => undefined, (e: unknown) => e);
  t.ok(timedOut instanceof JwtVerificationError && timedOut.code === "JWT_KEY_UNAVAILABLE");
  t.equal(((timedOut as Error).cause as { code?: string }).code, "ERR_JWKS_TIMEOUT", "jose's error is the cause");

  // A port nobody listens on: the fetch itself fails (a TypeError inside jose).
  const closed = await jwksServer(t, { jwks: { keys: [] } });
  const deadUrl = closed.url.replace(/:\d+\//, ":1/");
  t.equal(await codeOf((await createJwtVerifier({ jwksUrl: deadUrl, algorithms: ALGS })).verify(await sign(ec))), "JWT_KEY_UNAVAILABLE");
});

t.test("remote JWKS plus cache: hits need no key set at all", async (t) => {
  const state: { jwks: { keys: JWK[] }; status?: number } = { jwks: { keys: all.map((p) => p.jwk) } };
  const { url, counter } = await jwksServer(t, state);
  const verifier = await createJwtVerifier({ jwksUrl: url, algorithms: ALGS, cache: { maxEntries: 100 } });
  const token = await sign(ed);
  await verifier.verify(token);
  state.status = 500;
  t.equal((await verifier.verify(token)).sub, "user-of-ed-1");
  t.equal(counter.requests, 1);
});

t.test("one public key: SPKI PEM, public JWK or CryptoKey", async (t) => {
  const spki = await exportSPKI(rsa.publicKey);
  const fromPem = await createJwtVerifier({ publicKey: spki, algorithms: ["RS256"] });
  t.equal((await fromPem.verify(await sign(rsa))).sub, "user-of-rsa-1");
  t.equal(await codeOf(fromPem.verify(await sign(await pair("RS256", "other")))), "JWT_SIGNATURE_INVALID");

  // One RSA key for two algorithms: imported once per algorithm.
  const twoAlgs = await createJwtVerifier({ publicKey: spki, algorithms: ["RS256", "PS256"] });
  const pssKey = await importPKCS8(await exportPKCS8(rsa.privateKey), "PS256");
  const ps = await new SignJWT({ sub: "pss", exp: exp() }).setProtectedHeader({ alg: "PS256" }).sign(pssKey);
  t.equal((await twoAlgs.verify(ps)).sub, "pss");
  t.equal((await twoAlgs.verify(await sign(rsa))).sub, "user-of-rsa-1");

  const fromJwk = await createJwtVerifier({ publicKey: ec.jwk, algorithms: ["ES256"] });
  t.equal((await fromJwk.verify(await sign(ec))).sub, "user-of-ec-1");

  const fromCryptoKey = await createJwtVerifier({ publicKey: ed.publicKey, algorithms: ["EdDSA"] });
  t.equal((await fromCryptoKey.verify(await sign(ed))).sub, "user-of-ed-1");
});

// A throwaway self-signed P-256 certificate and its key (openssl req -x509, test fixture only).
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBhDCCASugAwIBAgIUe1b3Ssn+Jt6jKOD+gff9aeP6QwYwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMZGVwZW5kcy10ZXN0MCAXDTI2MTEyMjIyMzY0MVoYDzIxMjYx
MDI5MjIzNjQxWjAXMRUwEwYDVQQDDAxkZXBlbmRzLXRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQxmYwm1gxF+/L3CaWpS9vsZ2Xb47wOALh7K63bQZ8ifKec
1WcDe5zYAyb7nan2QD/Y4aljTgd+qi/E/tPFf8tjo1MwUTAdBgNVHQ4EFgQULz/s
PNtEbEbW9YNp/qGt31kNFwwwHwYDVR0jBBgwFoAULz/sPNtEbEbW9YNp/qGt31kN
FwwwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiB28h4Ft/c/EB4g
If9wbSoskZniqnX1AJfg9/KK23MtPAIga8ciJG7+aPnj9AWWgpf2S1mjJcqXw4l+
kK9C7jsuDSM=
-----END CERTIFICATE-----`;
const CERTIFICATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8TulNmzKrmQOW+fD
NQVxIzylVniimuXfJkY7LnQaqjKhRANCAAQxmYwm1gxF+/L3CaWpS9vsZ2Xb47wO
ALh7K63bQZ8ifKec1WcDe5zYAyb7nan2QD/Y4aljTgd+qi/E/tPFf8tj
-----END PRIVATE KEY-----`;

t.test("one public key: an X.509 certificate PEM", async (t) => {
  const signer = await createJwtSigner({ privateKey: CERTIFICATE_KEY, algorithm: "ES256", expiresInSeconds: 60 });
  const verifier = await createJwtVerifier({ publicKey: CERTIFICATE, algorithms: ["ES256"] });
  t.match(await verifier.verify(await signer.sign({ sub: "from-cert" })), { sub: "from-cert" });
  t.equal(await codeOf(verifier.verify(await sign(ec))), "JWT_SIGNATURE_INVALID");
});

t.test("signer with a private key and kid; verified through a JWKS", async (t) => {
  const signer = await createJwtSigner({ privateKey: await exportPKCS8(ec.privateKey), algorithm: "ES256", keyId: ec.kid, expiresInSeconds: 60 });
  const token = await signer.sign({ sub: "johndoe", scope: "me" });
  t.match(JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()), { alg: "ES256", kid: "ec-1", typ: "JWT" });
  const verifier = await createJwtVerifier({ jwks: { keys: all.map((p) => p.jwk) }, algorithms: ALGS });
  t.match(await verifier.verify(token), { sub: "johndoe", scope: "me" });

  const fromJwk = await createJwtSigner({ privateKey: await exportJWK(ed.privateKey), algorithm: "EdDSA", keyId: ed.kid, expiresInSeconds: 60 });
  t.match(await verifier.verify(await fromJwk.sign({ sub: "ed" })), { sub: "ed" });
  const fromKey = await createJwtSigner({ privateKey: rsa.privateKey, algorithm: "RS256", keyId: rsa.kid, expiresInSeconds: 60 });
  t.match(await verifier.verify(await fromKey.sign({ sub: "rs" })), { sub: "rs" });
});

t.test("asymmetric configuration mistakes are TypeErrors at creation", async (t) => {
  const spki = await exportSPKI(rsa.publicKey);
  const pkcs8 = await exportPKCS8(rsa.privateKey);
  const privateJwk = await exportJWK(ec.privateKey);
  const cases: [string, Record<string, unknown>][] = [
    ["HS256 next to a public key", { publicKey: spki, algorithms: ["RS256", "HS256"] }],
    ["HS256 with a JWKS", { jwks: { keys: [rsa.jwk] }, algorithms: ["HS256"] }],
    ["HS256 with a remote JWKS", { jwksUrl: "https://idp.example/jwks", algorithms: ["HS256"] }],
    ["private PEM as publicKey", { publicKey: pkcs8, algorithms: ["RS256"] }],
    ["private JWK as publicKey", { publicKey: privateJwk, algorithms: ["ES256"] }],
    ["private CryptoKey as publicKey", { publicKey: ec.privateKey, algorithms: ["ES256"] }],
    ["oct JWK as publicKey", { publicKey: { kty: "oct", k: "c2VjcmV0" }, algorithms: ["ES256"] }],
    ["not a key", { publicKey: "hello", algorithms: ["RS256"] }],
    ["not a key object", { publicKey: 42, algorithms: ["RS256"] }],
    ["RSA key for ES256", { publicKey: spki, algorithms: ["ES256"] }],
    ["plain http JWKS off loopback", { jwksUrl: "http://idp.example/jwks", algorithms: ["RS256"] }],
    ["ftp JWKS", { jwksUrl: "ftp://idp.example/jwks", algorithms: ["RS256"] }],
    ["relative JWKS URL", { jwksUrl: "/jwks", algorithms: ["RS256"] }],
    ["malformed local JWKS", { jwks: { nope: [] }, algorithms: ["RS256"] }],
    ["JWKS that is not an object", { jwks: "keys", algorithms: ["RS256"] }],
  ];
  for (const [name, options] of cases) {
    await t.rejects(createJwtVerifier(options as unknown as JwtVerifierOptions), TypeError, name);
  }
  await t.resolves(createJwtVerifier({ jwksUrl: "http://idp.internal/jwks", allowInsecureJwksUrl: true, algorithms: ["RS256"] }), "explicit opt-in");
  await t.resolves(createJwtVerifier({ jwksUrl: "http://[::1]:8080/jwks", algorithms: ["RS256"] }), "IPv6 loopback");
  await t.resolves(createJwtVerifier({ jwksUrl: "http://localhost:8080/jwks", algorithms: ["RS256"] }), "localhost");

  const signerCases: [string, Record<string, unknown>][] = [
    ["public key as privateKey", { privateKey: spki, algorithm: "RS256", expiresInSeconds: 60 }],
    ["public CryptoKey as privateKey", { privateKey: rsa.publicKey, algorithm: "RS256", expiresInSeconds: 60 }],
    ["public JWK as privateKey", { privateKey: rsa.jwk, algorithm: "RS256", expiresInSeconds: 60 }],
    ["privateKey with HS256", { privateKey: pkcs8, algorithm: "HS256", expiresInSeconds: 60 }],
    ["RSA key for ES256", { privateKey: pkcs8, algorithm: "ES256", expiresInSeconds: 60 }],
    ["legacy PKCS#1 PEM", { privateKey: "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", algorithm: "RS256", expiresInSeconds: 60 }],
  ];
  for (const [name, options] of signerCases) {
    await t.rejects(createJwtSigner(options as unknown as Parameters<typeof createJwtSigner>[0]), TypeError, name);
  }
});
