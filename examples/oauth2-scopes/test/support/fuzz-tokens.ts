// Random bearer tokens for the hardening fuzz tests, each with the verdict the example must reach
// (an oracle written from RFC 7515/7519 and the guide, not from the implementation): a token is valid
// only when it is a compact JWS in its canonical spelling (RFC 7515 sections 2 and 7.1: three
// base64url segments, no padding, no whitespace, canonical last characters) whose signing input was
// HMAC-SHA256-signed with the guide's key, whose header pins `alg: "HS256"` with no `crit`, whose
// claims carry a numeric `exp` in the future (and numeric `nbf`/`iat` when present, both in the past),
// no `aud` (the example configures no audience: RFC 7519 section 4.1.3), and which is at most 8192
// characters. Everything else (alg none, HS512 with the right key, RS256 headers, `kid` games,
// tampering, whitespace inserted anywhere, another spelling of the signature's bytes, `exp` as a
// string, `aud` for any service, `iat` in the future, invalid UTF-8, oversized tokens) must be refused.
import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { GUIDE_USERS, type UserInDB } from "../../src/users.js";
import { GUIDE_SECRET_KEY } from "./settings.js";
import { nowSeconds } from "./tokens.js";

const KEY = Buffer.from(GUIDE_SECRET_KEY, "utf8");
const WRONG_KEY = Buffer.from("a-different-secret-key-of-sixty-four-characters-0123456789abcdef", "utf8");
const MAX_TOKEN_LENGTH = 8192;
// Far from now, so that a case generated a minute before it runs keeps its verdict.
const MARGIN = 600;
const NOW = nowSeconds();

const b64u = (data: string | Buffer): string => Buffer.from(data).toString("base64url");
const raw = (value: unknown): string => JSON.stringify(value) ?? "null";
const json = fc.jsonValue({ maxDepth: 2 }).map(raw);

/** A JSON object written member by member, so keys may repeat (the last one wins, as in JSON.parse). */
type Members = readonly (readonly [string, string])[];
const objectText = (members: Members): string => `{${members.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
const member = (key: string, value: fc.Arbitrary<string>, freq: number) => fc.option(value.map((v) => [key, v] as const), { nil: undefined, freq });

const exp = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: NOW + MARGIN, max: NOW + 10_000_000 }).map(raw) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: NOW - MARGIN }).map(raw) },
  fc.double({ min: NOW + MARGIN, max: 1e300, noNaN: true }).map(raw),
  fc.integer({ min: -1e15, max: -1 }).map(raw),
  fc.constantFrom("1e400", "-1e400", raw(String(NOW + 3600)), "null", "true", "[]", "{}", `[${NOW + 3600}]`, "0", `"${NOW + 3600}.0"`),
  json,
);
const nbf = fc.oneof(fc.integer({ min: 0, max: NOW - MARGIN }).map(raw), fc.integer({ min: NOW + MARGIN, max: NOW + 1e7 }).map(raw), json);
// Away from NOW by MARGIN either way, so that the verdict cannot change while the run lasts.
const iat = fc.oneof(
  fc.integer({ min: 0, max: NOW - MARGIN }).map(raw),
  fc.integer({ min: NOW + MARGIN, max: NOW + 1e7 }).map(raw),
  fc.constantFrom('"now"', "null"),
  json,
);
// Any `aud`, even one naming nothing, is refused without a configured audience (as PyJWT).
const aud = fc.oneof(fc.constantFrom('"other-service"', '"fastapi"', '["other-service"]', "[]", '""', "null"), json);
const sub = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("johndoe", "alice").map(raw) },
  fc.constantFrom("nobody", "", "JOHNDOE", "johndoe ", " johndoe", "__proto__", "constructor", "toString", "hasOwnProperty", "johndoe\u0000", "alice\u200b").map(raw),
  fc.string({ maxLength: 12 }).map(raw),
  json,
);
const scopeWord = fc.oneof(fc.constantFrom("me", "items", "admin", "ME", "", "*", "me items"), fc.string({ maxLength: 6 }));
const scope = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.array(scopeWord, { maxLength: 5 }), fc.constantFrom(" ", " ", "  ", "\t", ",", "+")).map(([words, sep]) => raw(words.join(sep))) },
  json,
);
const extraKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "sub", "scope", "exp", "nbf", "jti", "aud", "iss"), fc.string({ maxLength: 8 }));

const chaoticClaims = fc
  .record({
    sub: member("sub", sub, 8),
    scope: member("scope", scope, 4),
    exp: member("exp", exp, 12),
    nbf: member("nbf", nbf, 4),
    iat: member("iat", iat, 3),
    aud: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, aud.map((v) => ["aud", v] as const)),
    extras: fc.array(fc.tuple(extraKey, json), { maxLength: 3 }),
    padding: fc.option(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 300 }) }, fc.integer({ min: 7_000, max: 9_000 })), { nil: undefined, freq: 6 }),
    extrasFirst: fc.boolean(),
  })
  .map(({ sub, scope, exp, nbf, iat, aud, extras, padding, extrasFirst }) => {
    const fixed = [sub, scope, exp, nbf, iat, aud].filter((m) => m !== undefined);
    const more: Members = padding === undefined ? extras : [...extras, ["padding", raw("x".repeat(padding))]];
    return objectText(extrasFirst ? [...more, ...fixed] : [...fixed, ...more]);
  });

// Claims close to what /token issues, so that the scope, user and disabled checks are reached often.
const nearValidClaims = fc
  .record({
    sub: fc.constantFrom("johndoe", "alice", "johndoe", "alice", "nobody"),
    scope: fc.option(fc.subarray(["me", "items", "admin", "me"]).map((words) => words.join(" ")), { nil: undefined, freq: 8 }),
    exp: fc.integer({ min: NOW + MARGIN, max: NOW + 100_000 }),
    // As /token issues them (iat now), or from the future; sometimes minted for another service.
    iat: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.integer({ min: NOW - 100_000, max: NOW - MARGIN }) },
      fc.integer({ min: NOW + MARGIN, max: NOW + 100_000 }),
    ),
    aud: fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, fc.constantFrom("other-service", "johndoe", "https://api.example/")),
    duplicate: fc.option(fc.tuple(fc.constantFrom("sub", "scope", "exp"), json), { nil: undefined, freq: 6 }),
  })
  .map(({ sub, scope, exp, iat, aud, duplicate }) => {
    const members: [string, string][] = [["sub", raw(sub)], ["exp", raw(exp)]];
    if (scope !== undefined) members.push(["scope", raw(scope)]);
    if (iat !== undefined) members.push(["iat", raw(iat)]);
    if (aud !== undefined) members.push(["aud", raw(aud)]);
    if (duplicate !== undefined) members.push(duplicate);
    return objectText(members);
  });

const claims = fc.oneof({ weight: 3, arbitrary: nearValidClaims }, { weight: 2, arbitrary: chaoticClaims });

const alg = fc.oneof(
  { weight: 12, arbitrary: fc.constant('"HS256"') },
  fc.constantFrom('"none"', '"None"', '"NONE"', '"HS512"', '"HS384"', '"RS256"', '"ES256"', '"PS256"', '"EdDSA"', '"hs256"', '"HS256 "', '""', "null", "1", '["HS256"]'),
  fc.string({ maxLength: 6 }).map(raw),
);
const kid = fc.oneof(
  fc.constantFrom("../../../../etc/passwd", "' OR '1'='1", "0", "", "k".repeat(1000), "https://evil.example/jwks.json").map(raw),
  json,
);
const headerKey = fc.constantFrom("jku", "x5u", "jwk", "x5c", "cty", "zip", "b64", "crit", "enc", "p2c", "typ", "alg", "kid");
const header = fc
  .record({
    alg: member("alg", alg, 20),
    typ: member("typ", fc.oneof(fc.constantFrom('"JWT"', '"jwt"', '"at+jwt"', '"JOSE"'), json), 3),
    kid: member("kid", kid, 4),
    others: fc.array(fc.tuple(headerKey, json), { maxLength: 2 }),
  })
  .map(({ alg, typ, kid, others }) => objectText([alg, typ, kid, ...others].filter((m) => m !== undefined)));

type Signing = "right" | "wrong key" | "HS512 right key" | "empty" | "random";
const signing = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Signing>("right") },
  fc.constantFrom<Signing>("wrong key", "HS512 right key", "empty", "random"),
);

/** What is done to a signed token before it is sent. */
type Mutation =
  | { readonly kind: "none" }
  | { readonly kind: "signing input"; readonly at: number; readonly char: string }
  | { readonly kind: "signature"; readonly at: number; readonly char: string }
  | { readonly kind: "whitespace"; readonly at: number; readonly text: string }
  | { readonly kind: "respell"; readonly bits: number }
  | { readonly kind: "structure"; readonly how: "extra segment" | "drop signature" | "five segments" | "leading dot" | "double dot" | "padding" };
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\u00e9";
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: "none" } as const) },
  fc.record({ kind: fc.constant("signing input" as const), at: fc.nat(), char: fc.constantFrom(...B64_CHARS) }),
  fc.record({ kind: fc.constant("signature" as const), at: fc.nat(), char: fc.constantFrom(...B64_CHARS) }),
  // What `atob` skips (issue 20 item 1): spaces, tabs, form feeds, inside any segment.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("whitespace" as const), at: fc.nat(), text: fc.stringMatching(/^[ \t\f]{1,4}$/) }) },
  // The same signature bytes written with another last character (its unused low bits set).
  fc.record({ kind: fc.constant("respell" as const), bits: fc.nat() }),
  fc.record({
    kind: fc.constant("structure" as const),
    how: fc.constantFrom("extra segment", "drop signature", "five segments", "leading dot", "double dot", "padding"),
  }),
);

/** A token and what the example must make of it. */
export interface FuzzToken {
  readonly token: string;
  /** `valid`: the claims decide; `invalid`: 401 Could not validate credentials. */
  readonly verdict: "valid" | "invalid";
  /** The claims as JSON.parse reads them, when the token is valid. */
  readonly claims?: Record<string, unknown>;
  readonly label: string;
  /**
   * Set when the token would be valid but for this one defect: `"aud"`, `"future iat"`, or an
   * inserted `"whitespace"` or `"respelling"` of a valid token. Tests count them, to prove that the
   * generators reach each refusal with everything else right.
   */
  readonly onlyDefect?: "aud" | "future iat" | "whitespace" | "respelling";
}

function sign(input: string, how: Signing): string {
  switch (how) {
    case "right":
      return createHmac("sha256", KEY).update(input).digest("base64url");
    case "wrong key":
      return createHmac("sha256", WRONG_KEY).update(input).digest("base64url");
    case "HS512 right key":
      return createHmac("sha512", KEY).update(input).digest("base64url");
    case "empty":
      return "";
    case "random":
      return b64u(randomBytes(32));
  }
}

function replaceAt(text: string, at: number, char: string): string {
  if (text.length === 0) return char;
  const i = at % text.length;
  return text.slice(0, i) + char + text.slice(i + 1);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether jose must accept this header and these claims (RFC 7515/7519 as jose applies them). */
function acceptable(headerText: string, claimsText: string): Record<string, unknown> | undefined {
  const head = parseObject(headerText);
  const body = parseObject(claimsText);
  if (head === undefined || body === undefined) return undefined;
  if (head.alg !== "HS256" || Object.hasOwn(head, "crit")) return undefined;
  const numeric = (name: string): boolean => !Object.hasOwn(body, name) || typeof body[name] === "number";
  if (!Object.hasOwn(body, "exp") || !numeric("exp") || !numeric("nbf") || !numeric("iat")) return undefined;
  if ((body.exp as number) <= NOW + 60) return undefined;
  if (Object.hasOwn(body, "nbf") && (body.nbf as number) > NOW) return undefined;
  if (Object.hasOwn(body, "iat") && (body.iat as number) > NOW) return undefined;
  if (Object.hasOwn(body, "aud")) return undefined;
  return body;
}

/** `"aud"` or `"future iat"` when the claims would be acceptable without that claim. */
function claimDefect(headerText: string, claimsText: string): "aud" | "future iat" | undefined {
  const body = parseObject(claimsText);
  if (body === undefined) return undefined;
  const { aud: _aud, iat, ...rest } = body;
  if (acceptable(headerText, JSON.stringify(rest)) === undefined) return undefined;
  if (Object.hasOwn(body, "aud")) return "aud";
  return typeof iat === "number" && iat > NOW ? "future iat" : undefined;
}

/** Whether `token`'s signature is another string for the right signature's bytes (what `atob` would accept). */
function sameBytesOtherSpelling(token: string, headerText: string, claimsText: string): boolean {
  const signature = sign(`${b64u(headerText)}.${b64u(claimsText)}`, "right");
  const sent = token.slice(token.lastIndexOf(".") + 1);
  return sent !== signature && Buffer.from(sent, "base64url").equals(Buffer.from(signature, "base64url"));
}

function build(headerText: string, claimsText: string, how: Signing, change: Mutation): FuzzToken {
  const built = buildToken(headerText, claimsText, how, change);
  if (how !== "right" || built.token.length > MAX_TOKEN_LENGTH) return built;
  const clean = acceptable(headerText, claimsText) !== undefined;
  const onlyDefect =
    change.kind === "none" ? claimDefect(headerText, claimsText)
    : !clean ? undefined
    : change.kind === "whitespace" ? "whitespace"
    : (change.kind === "signature" || change.kind === "respell") && sameBytesOtherSpelling(built.token, headerText, claimsText) ? "respelling"
    : undefined;
  return onlyDefect === undefined ? built : { ...built, onlyDefect, label: `${built.label}, only ${onlyDefect}` };
}

function buildToken(headerText: string, claimsText: string, how: Signing, change: Mutation): FuzzToken {
  const input = `${b64u(headerText)}.${b64u(claimsText)}`;
  const signature = sign(input, how);
  const accepted = how === "right" ? acceptable(headerText, claimsText) : undefined;
  const label = `${how}, ${change.kind}${change.kind === "structure" ? ` (${change.how})` : ""}`;
  let token = `${input}.${signature}`;
  let verdict: FuzzToken["verdict"] = accepted ? "valid" : "invalid";
  switch (change.kind) {
    case "none":
      break;
    case "signing input": {
      const changed = replaceAt(input, change.at, change.char);
      token = `${changed}.${signature}`;
      // Any change of the signed text breaks the MAC (a same-character replacement changes nothing).
      if (changed !== input) verdict = "invalid";
      break;
    }
    case "signature": {
      const changed = replaceAt(signature, change.at, change.char);
      token = `${input}.${changed}`;
      // Any other spelling is refused, even one that decodes to the same bytes (a last character's
      // spare bits, a stray "=" or "+"): one token, one accepted string.
      if (changed !== signature) verdict = "invalid";
      break;
    }
    case "respell": {
      const unused = signature.length % 4 === 2 ? 0b1111 : signature.length % 4 === 3 ? 0b11 : 0;
      if (unused === 0) break;
      const value = B64URL.indexOf(signature.at(-1)!);
      const respelled = signature.slice(0, -1) + B64URL[value ^ (1 + (change.bits % unused))];
      token = `${input}.${respelled}`;
      verdict = "invalid";
      break;
    }
    case "whitespace": {
      // Strictly inside the token: leading or trailing blanks are the Authorization header's, trimmed.
      const i = 1 + (change.at % (token.length - 1));
      token = token.slice(0, i) + change.text + token.slice(i);
      verdict = "invalid";
      break;
    }
    case "structure": {
      const forms = {
        "extra segment": `${token}.${signature}`,
        "drop signature": input,
        "five segments": `${token}.a.b`,
        "leading dot": `.${token}`,
        "double dot": `${input}..${signature}`,
        padding: `${input}.${signature}==`,
      } as const;
      token = forms[change.how];
      verdict = "invalid";
      break;
    }
  }
  if (token.length > MAX_TOKEN_LENGTH) verdict = "invalid";
  return verdict === "invalid" ? { token, verdict, label } : { token, verdict, claims: accepted!, label };
}

/** A structured token: random header and claims, signed one of several ways, maybe tampered. */
export const structuredToken: fc.Arbitrary<FuzzToken> = fc.tuple(header, claims, signing, mutation).map(([h, c, how, change]) => build(h, c, how, change));

/** A token whose payload segment is random bytes (invalid UTF-8, not JSON) signed with the right key. */
export const binaryPayloadToken: fc.Arbitrary<FuzzToken> = fc.uint8Array({ maxLength: 64 }).map((bytes) => {
  const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u(Buffer.from(bytes))}`;
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  const accepted = text === undefined ? undefined : acceptable('{"alg":"HS256"}', text);
  const token = `${input}.${sign(input, "right")}`;
  return accepted ? { token, verdict: "valid", claims: accepted, label: "binary payload" } : { token, verdict: "invalid", label: "binary payload" };
});

/** Any string at all in the token's place. */
export const garbageToken: fc.Arbitrary<FuzzToken> = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...B64_CHARS), maxLength: 200 }) },
    fc.integer({ min: 8000, max: 9000 }).map((n) => "a".repeat(n)),
  )
  .map((token) => ({ token, verdict: "invalid" as const, label: "garbage" }));

export const fuzzToken: fc.Arbitrary<FuzzToken> = fc.oneof({ weight: 8, arbitrary: structuredToken }, binaryPayloadToken, garbageToken);

/** A protected route of the example and what it requires. */
export interface ProtectedRoute {
  readonly path: string;
  readonly challenge: string;
  readonly scopes: readonly string[];
  /** Whether the route refuses disabled users (getCurrentActiveUser). */
  readonly active: boolean;
  readonly body: (user: UserInDB) => unknown;
}

export const PROTECTED: readonly ProtectedRoute[] = [
  {
    path: "/users/me/",
    challenge: 'Bearer scope="me"',
    scopes: ["me"],
    active: true,
    body: (u) => ({ username: u.username, email: u.email, full_name: u.full_name, disabled: u.disabled }),
  },
  { path: "/users/me/items/", challenge: 'Bearer scope="items me"', scopes: ["items", "me"], active: true, body: (u) => [{ item_id: "Foo", owner: u.username }] },
  { path: "/status/", challenge: "Bearer", scopes: [], active: false, body: () => ({ status: "ok" }) },
];

/** One acceptable answer: status, `WWW-Authenticate` (null when absent) and body. */
export interface Expected {
  readonly status: number;
  readonly challenge: string | null;
  readonly body: unknown;
}

const notAuthenticated: Expected = { status: 401, challenge: "Bearer", body: { detail: "Not authenticated" } };
const couldNotValidate = (route: ProtectedRoute): Expected => ({ status: 401, challenge: route.challenge, body: { detail: "Could not validate credentials" } });

/** What the guide answers for verified claims on `route` (FastAPI's get_current_user, get_current_active_user). */
function afterVerification(route: ProtectedRoute, claims: Record<string, unknown>): Expected {
  const { sub } = claims;
  const scope = Object.hasOwn(claims, "scope") ? claims.scope : "";
  if (typeof sub !== "string" || sub === "" || typeof scope !== "string") return couldNotValidate(route);
  const user = GUIDE_USERS.find((u) => u.username === sub);
  if (user === undefined) return couldNotValidate(route);
  const granted = scope.split(" ");
  if (!route.scopes.every((s) => granted.includes(s))) return { status: 401, challenge: route.challenge, body: { detail: "Not enough permissions" } };
  if (route.active && user.disabled) return { status: 400, challenge: null, body: { detail: "Inactive user" } };
  return { status: 200, challenge: null, body: route.body(user) };
}

/**
 * The acceptable answers to `authorization` (the first Authorization value, as the server reads it)
 * on `route`, given the verdict of the token it carries (FastAPI's get_authorization_scheme_param:
 * split at the first space, trim the rest; an ASCII-case-insensitive `bearer`; no token = missing).
 */
export function expectedAnswers(route: ProtectedRoute, authorization: string | undefined, token: FuzzToken | undefined): Expected[] {
  if (!authorization) return [notAuthenticated];
  const space = authorization.indexOf(" ");
  const scheme = space < 0 ? authorization : authorization.slice(0, space);
  const param = space < 0 ? "" : authorization.slice(space + 1).trim();
  // ASCII case only (RFC 9110 section 11.1): no Unicode folding.
  if (scheme.replace(/[A-Z]/g, (c) => c.toLowerCase()) !== "bearer" || param === "") return [notAuthenticated];
  // The token the server sees may differ from the generated one (trimmed); only the exact one keeps its verdict.
  if (token === undefined || param !== token.token || token.verdict === "invalid") return [couldNotValidate(route)];
  return [afterVerification(route, token.claims!)];
}
