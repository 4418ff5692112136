// The token lifecycle: refresh with rotation (RFC 6749 section 6), reuse detection revoking the
// family, /revoke (RFC 7009) for access and refresh tokens, and the revocation list's bound.
import t from "tap";
import { testDatabase } from "./support/database.js";
import { startApp, summary } from "./support/server.js";

t.before(async () => (await testDatabase()).reset());

t.test("a refresh rotates the refresh token and keeps (or narrows) the scopes", async (t) => {
  const app = await startApp(t);
  const first = await app.login("johndoe", "secret", "me heroes:read");
  const response = await app.postForm("/token", { grant_type: "refresh_token", refresh_token: first.refresh_token });
  t.equal(response.status, 200);
  t.equal(response.headers.get("cache-control"), "no-store");
  const second = (await response.json()) as typeof first;
  t.strictSame(Object.keys(second).sort(), ["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
  t.equal(second.scope, "me heroes:read");
  t.not(second.refresh_token, first.refresh_token, "rotated");
  t.not(second.access_token, first.access_token);
  t.equal((await app.call("GET", "/heroes/", second.access_token)).status, 200);

  const narrowed = (await (await app.postForm("/token", { grant_type: "refresh_token", refresh_token: second.refresh_token, scope: "heroes:read heroes:write" })).json()) as typeof first;
  t.equal(narrowed.scope, "heroes:read", "never more than the login granted: heroes:write is dropped");
  t.strictSame(await summary(await app.postForm("/token", { grant_type: "refresh_token" })), {
    status: 422,
    challenge: null,
    body: { detail: [{ type: "missing", loc: ["body", "refresh_token"], msg: "Field required", input: null }] },
  });
  t.strictSame(await summary(await app.postForm("/token", { grant_type: "refresh_token", refresh_token: "made-up" })), {
    status: 400,
    challenge: null,
    body: { error: "invalid_grant", error_description: "The refresh token is invalid, expired or revoked" },
  }, "RFC 6749 section 5.2's error shape");
});

t.test("reusing a rotated refresh token is refused and revokes the whole family", async (t) => {
  const app = await startApp(t);
  const login = await app.login("johndoe", "secret", "heroes:read");
  const rotated = (await (await app.postForm("/token", { grant_type: "refresh_token", refresh_token: login.refresh_token })).json()) as typeof login;
  const other = await app.login("johndoe", "secret", "heroes:read");

  const reuse = await app.postForm("/token", { grant_type: "refresh_token", refresh_token: login.refresh_token });
  t.equal(reuse.headers.get("cache-control"), "no-store");
  t.strictSame(await summary(reuse), { status: 400, challenge: null, body: { error: "invalid_grant", error_description: "The refresh token was already used: every token of this login is revoked" } });
  t.strictSame(await summary(await app.postForm("/token", { grant_type: "refresh_token", refresh_token: rotated.refresh_token })), {
    status: 400,
    challenge: null,
    body: { error: "invalid_grant", error_description: "The refresh token is invalid, expired or revoked" },
  }, "the newest token of the family is dead too");
  for (const token of [login.access_token, rotated.access_token]) {
    t.strictSame(await summary(await app.call("GET", "/heroes/", token)), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Could not validate credentials" } }, "the family's access tokens are refused");
  }
  t.equal((await app.call("GET", "/heroes/", other.access_token)).status, 200, "another login of the same user is untouched");
  const { rows } = await (await testDatabase()).open().then((db) => db.query("SELECT count(*)::int AS n FROM revocation WHERE kind = 'family'"));
  t.ok((rows[0] as { n: number }).n >= 1, "the revocation is in the database (committed despite the 400)");
});

t.test("POST /revoke (RFC 7009): an access token, a refresh token, and anything else is a 200 too", async (t) => {
  const app = await startApp(t);
  const a = await app.login("johndoe", "secret", "heroes:read");
  const b = await app.login("johndoe", "secret", "heroes:read");
  t.equal((await app.call("GET", "/heroes/", a.access_token)).status, 200, "cached by the verifier now");

  const revoked = await app.postForm("/revoke", { token: a.access_token });
  t.equal(revoked.status, 200);
  t.equal(await revoked.text(), "null");
  t.strictSame(await summary(await app.call("GET", "/heroes/", a.access_token)), { status: 401, challenge: 'Bearer scope="heroes:read"', body: { detail: "Could not validate credentials" } }, "refused at once although its signature is cached");
  t.equal((await (await app.postForm("/token", { grant_type: "refresh_token", refresh_token: a.refresh_token })).json() as { scope: string }).scope, "heroes:read", "revoking an access token leaves its refresh token");

  t.equal((await app.postForm("/revoke", { token: b.refresh_token, token_type_hint: "refresh_token" })).status, 200);
  t.equal((await app.call("GET", "/heroes/", b.access_token)).status, 401, "a revoked refresh token takes its login's access tokens along");
  t.match(await summary(await app.postForm("/token", { grant_type: "refresh_token", refresh_token: b.refresh_token })), { status: 400, body: { error: "invalid_grant" } });

  t.equal((await app.postForm("/revoke", { token: "whatever" })).status, 200, "an unknown token: nothing to do, no error (section 2.2)");
  t.equal((await app.postForm("/revoke", { token: a.access_token })).status, 200, "twice is fine");
  t.match(await summary(await app.postForm("/revoke", {})), { status: 422, body: { detail: [{ type: "missing", loc: ["body", "token"] }] } });
});

t.test("the revocation list fails closed (503) when it could not be re-read within the bound", async (t) => {
  const db = await (await testDatabase()).open();
  let broken = false;
  // A database whose reads of the revocation table fail: the list cannot refresh.
  const flaky = Object.assign(Object.create(Object.getPrototypeOf(db) as object) as typeof db, {
    engine: db.engine,
    query: (sql: string, params?: readonly unknown[]) => (broken && sql.includes("FROM revocation") ? Promise.reject(new Error("connection lost")) : db.query(sql, params)),
    begin: () => db.begin(),
    listen: (channel: string, callback: (payload: string) => void) => db.listen(channel, callback),
    close: async () => {},
  });
  const app = await startApp(t, { database: flaky, settings: { revocationBoundMs: 300 } });
  const { access_token } = await app.login("johndoe", "secret", "heroes:read");
  t.equal((await app.call("GET", "/heroes/", access_token)).status, 200);
  broken = true;
  await new Promise((resolve) => setTimeout(resolve, 450));
  const stale = await app.call("GET", "/heroes/", access_token);
  t.strictSame({ status: stale.status, retry: stale.headers.get("retry-after"), body: await stale.json() }, { status: 503, retry: "1", body: { detail: "Token revocation list unavailable" } });
  broken = false;
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await app.call("GET", "/heroes/", access_token)).status;
  }
  t.equal(status, 200, "back once a re-read succeeds");
});
