// The OAuth2 scopes guide's security on the heroes routes: challenges and messages of every case,
// /token's scope intersection and exact answer, /users/me/, a disabled user, argon2 for real once.
import t from "tap";
import { PasswordVerifier } from "../src/passwords.js";
import { testDatabase } from "./support/database.js";
import { GUIDE_SECRET_KEY, startApp, summary } from "./support/server.js";
import { createHmac, randomUUID } from "node:crypto";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** An HS256 token signed with `key` (the guide's by default), valid for an hour. */
function forge(claims: Record<string, unknown>, key = GUIDE_SECRET_KEY): string {
  const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

t.before(async () => (await testDatabase()).reset());

t.test("johndoe/secret with the real argon2: the answer has exactly the five members, not cacheable", async (t) => {
  const app = await startApp(t, { passwords: new PasswordVerifier() });
  const response = await app.postForm("/token", { username: "johndoe", password: "secret", scope: "me heroes:read" });
  t.equal(response.status, 200);
  t.equal(response.headers.get("cache-control"), "no-store");
  t.equal(response.headers.get("pragma"), "no-cache");
  const body = (await response.json()) as Record<string, unknown>;
  t.strictSame(Object.keys(body).sort(), ["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
  t.equal(body.token_type, "bearer");
  t.equal(body.scope, "me heroes:read");
  t.equal(body.expires_in, 1800);
  const claims = JSON.parse(Buffer.from(String(body.access_token).split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
  t.equal(claims.sub, "johndoe");
  t.equal(claims.scope, "me heroes:read");
  t.match(claims.jti, /^[0-9a-f-]{36}$/, "a jti");
  t.match(claims.sid, /^[0-9a-f-]{36}$/, "the login family");
  t.strictSame(await summary(await app.postForm("/token", { username: "johndoe", password: "wrong" })), { status: 400, challenge: null, body: { detail: "Incorrect username or password" } });
  t.strictSame(await summary(await app.postForm("/token", { username: "nobody", password: "secret" })), { status: 400, challenge: null, body: { detail: "Incorrect username or password" } });
});

t.test("/token grants the intersection of what was asked, what the user holds and what the scheme declares", async (t) => {
  const app = await startApp(t);
  t.equal((await app.login("johndoe", "secret", "heroes:write admin me heroes:write")).scope, "heroes:write me", "unknown dropped, duplicates once, order kept");
  t.equal((await app.login("johndoe", "secret", "")).scope, "", "nothing asked, nothing granted");
  t.equal((await app.login("johndoe", "secret", "audit:read")).scope, "audit:read", "johndoe holds audit:read");
  t.strictSame(await summary(await app.postForm("/token", {})), {
    status: 422,
    challenge: null,
    body: { detail: [{ type: "missing", loc: ["body", "username"], msg: "Field required", input: null }, { type: "missing", loc: ["body", "password"], msg: "Field required", input: null }] },
  });
  const badGrant = await summary(await app.postForm("/token", { grant_type: "client_credentials", username: "johndoe", password: "secret" }));
  t.match(badGrant, { status: 422, body: { detail: [{ type: "string_pattern_mismatch", loc: ["body", "grant_type"] }] } });
});

t.test("the challenges and messages of each case", async (t) => {
  const app = await startApp(t);
  const readOnly = (await app.login("johndoe", "secret", "heroes:read")).access_token;
  const writeOnly = (await app.login("johndoe", "secret", "heroes:write")).access_token;
  const me = (await app.login("johndoe", "secret", "me")).access_token;
  const alice = (await app.login("alice", "secretalice", "me heroes:read heroes:write")).access_token;
  const get = (path: string, token?: string) => app.request(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

  t.strictSame(await summary(await get("/heroes/")), { status: 401, challenge: "Bearer", body: { detail: "Not authenticated" } });
  t.strictSame(await summary(await get("/heroes/", "not-a-jwt")), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Could not validate credentials" } });
  t.strictSame(await summary(await get("/heroes/", forge({ sub: "johndoe", scope: "heroes:read", jti: randomUUID() }, "x".repeat(64)))), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Could not validate credentials" } }, "another key");
  t.strictSame(await summary(await get("/heroes/", forge({ sub: "johndoe", scope: "heroes:read" }))), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Could not validate credentials" } }, "no jti: not one of ours");
  t.strictSame(await summary(await get("/heroes/", forge({ sub: "nobody", scope: "heroes:read", jti: randomUUID() }))), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Could not validate credentials" } }, "unknown user");
  t.strictSame(await summary(await get("/heroes/", writeOnly)), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Not enough permissions" } });
  t.strictSame(await summary(await app.call("POST", "/heroes/", readOnly, { name: "A", secret_name: "B" })), { status: 401, challenge: 'Bearer scope="heroes:write"', body: { detail: "Not enough permissions" } });
  t.strictSame(await summary(await app.call("DELETE", "/heroes/1", readOnly)), { status: 401, challenge: 'Bearer scope="heroes:write"', body: { detail: "Not enough permissions" } });
  t.strictSame(await summary(await get("/heroes/", alice)), { status: 400, challenge: null, body: { detail: "Inactive user" } }, "alice holds the scope and is disabled");
  t.strictSame(await summary(await get("/users/me/", alice)), { status: 400, challenge: null, body: { detail: "Inactive user" } });
  t.strictSame(await summary(await get("/users/me/", readOnly)), { status: 401, challenge: 'Bearer scope="me"', body: { detail: "Not enough permissions" } });
  t.strictSame(await summary(await get("/users/me/", me)), { status: 200, challenge: null, body: { username: "johndoe", email: "johndoe@example.com", full_name: "John Doe", disabled: false } }, "no hash, no scopes");
  t.strictSame(await summary(await get("/heroes/", readOnly)), { status: 200, challenge: null, body: [] });
});

t.test("the OpenAPI document declares the password flow with the four scopes, each route its own", async (t) => {
  const app = await startApp(t);
  const document = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { security?: unknown }>>; components: { securitySchemes: Record<string, unknown> } };
  t.match(document.components.securitySchemes, { OAuth2PasswordBearer: { type: "oauth2", flows: { password: { tokenUrl: "token", scopes: { me: String, "heroes:read": String, "heroes:write": String, "audit:read": String } } } } });
  t.strictSame(document.paths["/heroes/"]!.get!.security, [{ OAuth2PasswordBearer: ["heroes:read"] }]);
  t.strictSame(document.paths["/heroes/"]!.post!.security, [{ OAuth2PasswordBearer: ["heroes:write"] }]);
  t.strictSame(document.paths["/users/me/"]!.get!.security, [{ OAuth2PasswordBearer: ["me"] }]);
  t.notOk("/heroes/feed" in document.paths, "WebSocket routes are not in OpenAPI");
});

t.test("GET /audit/ needs audit:read", async (t) => {
  const app = await startApp(t);
  const heroes = (await app.login("johndoe", "secret", "heroes:read heroes:write")).access_token;
  const audit = (await app.login("johndoe", "secret", "audit:read")).access_token;
  t.strictSame(await summary(await app.call("GET", "/audit/", heroes)), { status: 401, challenge: 'Bearer scope="audit:read"', body: { detail: "Not enough permissions" } });
  t.strictSame(await summary(await app.request("/audit/")), { status: 401, challenge: "Bearer", body: { detail: "Not authenticated" } });
  t.equal((await app.call("GET", "/audit/", audit)).status, 200);
});
