// Every way a bearer token can be wrong, on every protected route: 401 "Could not validate
// credentials" with the route's challenge; a valid token without a scope the route needs: 401
// "Not enough permissions"; no bearer credentials at all: 401 "Not authenticated".
import t from "tap";
import { generateKeyPair, SignJWT } from "jose";
import { startApp, summary } from "./support/server.js";
import { inHalfAnHour, joseToken, nowSeconds, pyjwtToken } from "./support/tokens.js";

/** Each protected route and the challenge its 401s carry: its accumulated scopes, route scopes first. */
const ROUTES = [
  { path: "/users/me/", challenge: 'Bearer scope="me"' },
  { path: "/users/me/items/", challenge: 'Bearer scope="items me"' },
  { path: "/status/", challenge: "Bearer" },
] as const;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ sub: "johndoe", scope: "me items", exp: inHalfAnHour(), ...extra });
const withoutKey = (key: string): Record<string, unknown> => {
  const all = claims();
  delete all[key];
  return all;
};

async function badTokens(): Promise<Record<string, string>> {
  const good = pyjwtToken(claims());
  const [header = "", payload = "", signature = ""] = good.split(".");
  const { privateKey } = await generateKeyPair("RS256");
  const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  return {
    "not a JWT": "not-a-jwt",
    "three dots of nothing": "a.b.c",
    "signed with another key": pyjwtToken(claims(), "another-secret-key-that-is-long-enough-0123456789"),
    "HS512 with the right key": await joseToken(claims(), "HS512"),
    "RS256": await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", typ: "JWT" }).sign(privateKey),
    "alg none, no signature": `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`,
    "alg none, with the HS256 signature": `${b64({ alg: "none", typ: "JWT" })}.${payload}.${signature}`,
    "payload swapped, signature kept": `${header}.${b64(claims({ sub: "alice" }))}.${signature}`,
    "signature altered": `${header}.${payload}.${flipped}`,
    "signature removed": `${header}.${payload}.`,
    "expired": pyjwtToken(claims({ exp: nowSeconds() - 60 })),
    "without exp": pyjwtToken(withoutKey("exp")),
    "exp as a string": pyjwtToken(claims({ exp: String(inHalfAnHour()) })),
    "without sub": pyjwtToken(withoutKey("sub")),
    "sub not a string": pyjwtToken(claims({ sub: 42 })),
    "sub empty": pyjwtToken(claims({ sub: "" })),
    "unknown user": pyjwtToken(claims({ sub: "nobody" })),
    "scope claim not a string": pyjwtToken(claims({ scope: ["me", "items"] })),
    "longer than 8 KiB": pyjwtToken(claims({ padding: "x".repeat(8192) })),
  };
}

t.test("invalid tokens: 401 Could not validate credentials, with each route's challenge", async (t) => {
  const app = await startApp(t);
  const tokens = await badTokens();
  const control = pyjwtToken(claims());
  for (const { path } of ROUTES) {
    t.equal((await app.getWithToken(path, control)).status, 200, `control: the untampered token passes ${path}`);
  }
  for (const [name, token] of Object.entries(tokens)) {
    for (const { path, challenge } of ROUTES) {
      t.strictSame(await summary(await app.getWithToken(path, token)), { status: 401, challenge, body: { detail: "Could not validate credentials" } }, `${name} on ${path}`);
    }
  }
});

t.test("a valid token lacking a scope: 401 Not enough permissions with the route's challenge", async (t) => {
  const app = await startApp(t);
  const cases = [
    { scope: "items", path: "/users/me/", challenge: 'Bearer scope="me"' },
    { scope: "me", path: "/users/me/items/", challenge: 'Bearer scope="items me"' },
    { scope: "items", path: "/users/me/items/", challenge: 'Bearer scope="items me"' },
    { scope: "meitems", path: "/users/me/", challenge: 'Bearer scope="me"' },
    { scope: undefined, path: "/users/me/", challenge: 'Bearer scope="me"' },
  ];
  for (const { scope, path, challenge } of cases) {
    const token = pyjwtToken(scope === undefined ? withoutKey("scope") : claims({ scope }));
    t.strictSame(await summary(await app.getWithToken(path, token)), { status: 401, challenge, body: { detail: "Not enough permissions" } }, `scope ${JSON.stringify(scope)} on ${path}`);
  }
  t.equal((await app.getWithToken("/status/", pyjwtToken(withoutKey("scope")))).status, 200, "a token without a scope claim still passes /status/");
});

t.test("no bearer credentials: 401 Not authenticated with a plain Bearer challenge, on every route", async (t) => {
  const app = await startApp(t);
  const token = pyjwtToken(claims());
  const headers: Record<string, Record<string, string>> = {
    "no Authorization header": {},
    "an empty Authorization header": { authorization: "" },
    "Basic credentials": { authorization: `Basic ${Buffer.from("johndoe:secret").toString("base64")}` },
    "another scheme with a valid token": { authorization: `Token ${token}` },
    "Bearer glued to the token": { authorization: `Bearer${token}` },
    "the token alone": { authorization: token },
    // FastAPI's scheme hands "" to get_current_user (then "Could not validate credentials"); the
    // core treats a bearer without a token as missing credentials (docs/security-schemes.md).
    "Bearer with no token": { authorization: "Bearer " },
  };
  for (const [name, sent] of Object.entries(headers)) {
    for (const { path } of ROUTES) {
      t.strictSame(await summary(await app.request(path, { headers: sent })), { status: 401, challenge: "Bearer", body: { detail: "Not authenticated" } }, `${name} on ${path}`);
    }
  }
});
