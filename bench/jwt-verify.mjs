// Bearer-JWT micro-benchmark: what a protected route pays per request for token verification,
// with and without the verified-token cache. Imports the built package (npm run build, or
// `npx tsc -p packages/core/tsconfig.json` for the core alone), then: node bench/jwt-verify.mjs
// (or `npm run bench -- --only=jwt`). Exports runJwtBench for bench/run.mjs.
import { createJwtSigner, createJwtVerifier } from "@depends/core/jwt";
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { median, timePerCall } from "./lib/measure.mjs";

const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const secretBytes = new TextEncoder().encode(SECRET_KEY);
const SLOW = 4_000; // iterations per round for real verifications (~100 us each)
const FAST = 400_000; // iterations per round for cache hits

/** Runs the cases, prints them, and returns the figures as informative table rows (no targets). */
export async function runJwtBench({ quick = false } = {}) {
  const rounds = Number(process.env.ROUNDS ?? (quick ? 3 : 9));
  // FastAPI's token: {sub, scope, exp}, HS256, 30 minutes.
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 1800 });
  const token = await signer.sign({ sub: "johndoe", scope: "me items" });
  const uncached = await createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"] });
  const cached = await createJwtVerifier({ secret: SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 10_000 } });
  await cached.verify(token);
  const importedKey = await crypto.subtle.importKey("raw", secretBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const payload = await uncached.verify(token);

  // An external identity provider's ES256 token, verified against a local JWKS.
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] };
  const esToken = await new SignJWT({ sub: "johndoe", scope: "me items" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setExpirationTime("30m").sign(privateKey);
  const esUncached = await createJwtVerifier({ jwks, algorithms: ["ES256"] });
  const esCached = await createJwtVerifier({ jwks, algorithms: ["ES256"], cache: { maxEntries: 10_000 } });
  await esCached.verify(esToken);

  // In a server the token is a new string on every request (sliced from the Authorization header),
  // so the Map lookup hashes it again each time; the same string object would hide that cost.
  const headers = Array.from({ length: 1024 }, () => `Bearer ${token}`.split("").join(""));
  let next = 0;
  const fromHeader = () => headers[next++ & 1023].slice(7);

  const cases = {
    "jose jwtVerify, raw Uint8Array secret": [SLOW, () => jwtVerify(token, secretBytes, { algorithms: ["HS256"] })],
    "jose jwtVerify, CryptoKey imported once": [SLOW, () => jwtVerify(token, importedKey, { algorithms: ["HS256"], requiredClaims: ["exp"] })],
    "HS256 verify, no cache": [SLOW, () => uncached.verify(token)],
    "HS256 verify, cache hit (await)": [FAST, () => cached.verify(token)],
    "HS256 lookup, cache hit (sync)": [FAST, () => cached.lookup(token)],
    "HS256 lookup, hit, token fresh from header": [FAST, () => cached.lookup(fromHeader())],
    "HS256 verify, hit, token fresh from header": [FAST, () => cached.verify(fromHeader())],
    "ES256 local JWKS verify, no cache": [SLOW, () => esUncached.verify(esToken)],
    "ES256 local JWKS verify, cache hit": [FAST, () => esCached.verify(esToken)],
    "copy per hit instead (structuredClone)": [FAST, () => structuredClone(payload)],
  };

  for (const [iterations, fn] of Object.values(cases)) await timePerCall(fn, Math.min(iterations, 20_000));
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, [iterations, fn]] of Object.entries(cases)) samples[name].push(await timePerCall(fn, iterations));
  }
  const us = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values) / 1000]));

  console.log(`\nBearer-JWT verification, Node ${process.version}, median of ${rounds} rounds (sequential, one token)`);
  const width = Math.max(...Object.keys(us).map((name) => name.length));
  for (const [name, value] of Object.entries(us)) console.log(`  ${name.padEnd(width)}  ${value.toFixed(3).padStart(9)} us/op`);
  const ratio = (a, b) => (us[a] / us[b]).toFixed(0);
  console.log(`\n  HS256: no cache / cache hit (await) = ${ratio("HS256 verify, no cache", "HS256 verify, cache hit (await)")}x, / lookup (sync) = ${ratio("HS256 verify, no cache", "HS256 lookup, cache hit (sync)")}x`);
  console.log(`  ES256: no cache / cache hit (await) = ${ratio("ES256 local JWKS verify, no cache", "ES256 local JWKS verify, cache hit")}x`);
  console.log(`  key imported once vs raw secret per call: ${(us["jose jwtVerify, raw Uint8Array secret"] / us["jose jwtVerify, CryptoKey imported once"]).toFixed(1)}x`);

  // For run.mjs's summary: how many times a real verification costs a cache hit (informative, no target).
  const row = (name, miss, hit) => ({ case: name, measured: `${us[miss].toFixed(1)} µs`, baseline: `${us[hit].toFixed(2)} µs hit`, ratio: us[miss] / us[hit] });
  return [
    row("JWT HS256 verify vs cache hit (await)", "HS256 verify, no cache", "HS256 verify, cache hit (await)"),
    row("JWT ES256 verify vs cache hit (await)", "ES256 local JWKS verify, no cache", "ES256 local JWKS verify, cache hit"),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) await runJwtBench({ quick: process.argv.includes("--quick") });
