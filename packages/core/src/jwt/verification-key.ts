/**
 * Turning a configured verification key source into what jose's `jwtVerify` takes, once, at
 * startup: imported CryptoKeys for secrets and public keys, a key-set resolver for JWKS.
 * Every mismatch between the source and the pinned algorithms is a `TypeError` here, so that it is
 * found when the application boots rather than on the first request.
 */
// jose's entry points one by one rather than its index (which loads JWE, key generation and the
// rest too): what an app loads at startup is what it uses.
import type { CryptoKey, JSONWebKeySet, JWTVerifyGetKey, KeyObject, RemoteJWKSetOptions } from "jose";
import { createLocalJWKSet } from "jose/jwks/local";
import { createRemoteJWKSet } from "jose/jwks/remote";
import { importJWK, importSPKI, importX509 } from "jose/key/import";
import { type HmacAlgorithm, isHmacAlgorithm, type JwtAlgorithm } from "./algorithms.js";
import { JwtVerificationError } from "./errors.js";
import { type HmacSecret, importHmacKey } from "./hmac-key.js";
import { type AsymmetricKeyInput, type ExclusiveOf, onlyOneOf, shapeOfKeyInput } from "./key-input.js";

type SourceName = "secret" | "publicKey" | "jwks" | "jwksUrl" | "getKey";
const SOURCE_NAMES: readonly SourceName[] = ["secret", "publicKey", "jwks", "jwksUrl", "getKey"];

/**
 * Where the verifier gets its key: exactly one of
 * - `secret`: a shared HMAC secret (HS256/384/512 only);
 * - `publicKey`: one public key: SPKI PEM (`-----BEGIN PUBLIC KEY-----`), X.509 certificate PEM, public
 *   JWK, or a public `CryptoKey`/`KeyObject` (asymmetric algorithms only);
 * - `jwks`: a local JSON Web Key Set (jose's `createLocalJWKSet`; the token's `kid` selects the key);
 * - `jwksUrl`: a remote JWKS (jose's `createRemoteJWKSet`; `jwksOptions` passes its `cooldownDuration`,
 *   `cacheMaxAge`, `timeoutDuration` and `headers` through). `https:` is required except on loopback
 *   hosts, unless `allowInsecureJwksUrl` is set: keys fetched over plain HTTP can be swapped by anyone
 *   on the path, who could then sign any token;
 * - `getKey`: your own jose key resolver, for anything else.
 *
 * @example
 * ```ts
 * const fromIdp: VerificationKeySource = { jwksUrl: "https://idp.example.com/.well-known/jwks.json", jwksOptions: { cooldownDuration: 30_000 } };
 * const fromSecret: VerificationKeySource = { secret: process.env.SECRET_KEY! };
 * ```
 */
export type VerificationKeySource =
  | ExclusiveOf<SourceName, { readonly secret: HmacSecret }>
  | ExclusiveOf<SourceName, { readonly publicKey: AsymmetricKeyInput }>
  | ExclusiveOf<SourceName, { readonly jwks: JSONWebKeySet }>
  | ExclusiveOf<SourceName, RemoteJwksSource>
  | ExclusiveOf<SourceName, { readonly getKey: JWTVerifyGetKey }>;

/**
 * The remote-JWKS key source (one member of {@link VerificationKeySource}).
 *
 * @example
 * ```ts
 * const source: RemoteJwksSource = { jwksUrl: new URL("https://idp.example.com/jwks"), jwksOptions: { cacheMaxAge: 600_000 } };
 * ```
 */
export interface RemoteJwksSource {
  readonly jwksUrl: string | URL;
  readonly jwksOptions?: RemoteJWKSetOptions;
  readonly allowInsecureJwksUrl?: boolean;
}

/**
 * What `jwtVerify` receives: one imported key, or a resolver picking one per token.
 *
 * @example
 * ```ts
 * const key: VerificationKey = await resolveVerificationKey({ secret }, ["HS256"]);
 * await jwtVerify(token, key, { algorithms: ["HS256"] });
 * ```
 */
export type VerificationKey = CryptoKey | KeyObject | JWTVerifyGetKey;

/**
 * Imports or wraps the configured key source for the pinned `algorithms`.
 *
 * @example
 * ```ts
 * const key = await resolveVerificationKey({ publicKey: spkiPem }, ["RS256"]);
 * ```
 */
export async function resolveVerificationKey(source: VerificationKeySource, algorithms: readonly JwtAlgorithm[]): Promise<VerificationKey> {
  switch (onlyOneOf(source, SOURCE_NAMES)) {
    case "secret":
      return fromSecret(source.secret as HmacSecret, algorithms);
    case "publicKey":
      return fromPublicKey(source.publicKey as AsymmetricKeyInput, asymmetricOnly(algorithms, "publicKey"));
    case "jwks":
      asymmetricOnly(algorithms, "jwks");
      try {
        return createLocalJWKSet(source.jwks as JSONWebKeySet);
      } catch (cause) {
        throw new TypeError('"jwks" must be a JSON Web Key Set ({ keys: [...] })', { cause });
      }
    case "jwksUrl": {
      asymmetricOnly(algorithms, "jwksUrl");
      const remote = source as RemoteJwksSource;
      return createRemoteJWKSet(checkedJwksUrl(remote.jwksUrl, remote.allowInsecureJwksUrl === true), remote.jwksOptions);
    }
    case "getKey":
      if (typeof source.getKey !== "function") throw new TypeError('"getKey" must be a function');
      return source.getKey;
  }
}

async function fromSecret(secret: HmacSecret, algorithms: readonly JwtAlgorithm[]): Promise<VerificationKey> {
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    if (!isHmacAlgorithm(alg)) {
      // A secret next to an asymmetric algorithm is the setup behind algorithm-confusion attacks.
      throw new TypeError(`"secret" can only verify HS256, HS384 or HS512 tokens; "algorithms" contains ${alg}`);
    }
    keys.set(alg, await importHmacKey(secret, alg, "verify"));
  }
  return byAlgorithm(keys);
}

async function fromPublicKey(input: AsymmetricKeyInput, algorithms: readonly JwtAlgorithm[]): Promise<VerificationKey> {
  const shape = shapeOfKeyInput(input, "publicKey");
  if (shape.kind === "key") {
    if (shape.type !== "public") throw new TypeError(`"publicKey" must be a public key, got a ${shape.type} key`);
    return shape.key;
  }
  if (shape.kind === "jwk" && (shape.jwk.kty === "oct" || "d" in shape.jwk || "k" in shape.jwk)) {
    throw new TypeError('"publicKey" JWK must be a public key: it has secret or private key material (use "secret" for HMAC)');
  }
  if (shape.kind === "pem" && shape.label !== "PUBLIC KEY" && shape.label !== "CERTIFICATE") {
    throw new TypeError(`"publicKey" PEM must be a "PUBLIC KEY" (SPKI) or a "CERTIFICATE", got "${shape.label}"`);
  }
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    let key: CryptoKey | Uint8Array;
    try {
      key = shape.kind === "jwk"
        ? await importJWK(shape.jwk, alg)
        : shape.label === "CERTIFICATE" ? await importX509(shape.pem, alg) : await importSPKI(shape.pem, alg);
    } catch (cause) {
      throw new TypeError(`"publicKey" cannot be used with ${alg}`, { cause });
    }
    if (key instanceof Uint8Array) throw new TypeError('"publicKey" must be an asymmetric public key');
    keys.set(alg, key);
  }
  return byAlgorithm(keys);
}

// One algorithm: hand jose the key itself (no resolver call per token). Several: pick by `alg`,
// which jose has already checked against the pinned list before it calls a resolver.
function byAlgorithm(keys: ReadonlyMap<string, CryptoKey>): VerificationKey {
  if (keys.size === 1) return keys.values().next().value as CryptoKey;
  return (header) => {
    const key = header.alg === undefined ? undefined : keys.get(header.alg);
    if (key === undefined) throw new JwtVerificationError("JWT_ALGORITHM_NOT_ALLOWED");
    return key;
  };
}

function asymmetricOnly(algorithms: readonly JwtAlgorithm[], option: SourceName): readonly JwtAlgorithm[] {
  const hmac = algorithms.find((alg): alg is HmacAlgorithm => isHmacAlgorithm(alg));
  if (hmac !== undefined) {
    // Public keys are public: accepting HS* next to them would let anyone sign with the public key bytes.
    throw new TypeError(`"${option}" verifies asymmetric algorithms only; "algorithms" contains ${hmac}`);
  }
  return algorithms;
}

function checkedJwksUrl(value: string | URL, allowInsecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new TypeError('"jwksUrl" must be an absolute URL', { cause });
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && (allowInsecure || isLoopback(url.hostname))) return url;
  throw new TypeError(`"jwksUrl" must use https: (plain http: is accepted for loopback hosts, or with "allowInsecureJwksUrl"), got ${url.protocol}`);
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
