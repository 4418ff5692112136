// POST /token with the real argon2 verifier: what a login grants, what a refusal looks like, and
// that an unknown username costs a verification too. Each login here costs one argon2 verification
// (50-300 ms), so the file logs in as few times as it can.
import t from "tap";
import { PasswordVerifier } from "../src/passwords.js";
import { GUIDE_USERS } from "../src/users.js";
import { RecordingPasswords } from "./support/fake-passwords.js";
import { startApp, summary } from "./support/server.js";
import { decodeJwt, nowSeconds } from "./support/tokens.js";

const incorrect = { status: 400, challenge: null, body: { detail: "Incorrect username or password" } };

t.test("johndoe/secret gets a bearer token with the scopes asked for, HS256 with sub, scope and exp, not cacheable (regression: Cache-Control no-store)", async (t) => {
  const app = await startApp(t, { passwords: new PasswordVerifier() });
  const before = nowSeconds();
  const response = await app.postToken({ grant_type: "password", username: "johndoe", password: "secret", scope: "me items" });
  t.equal(response.status, 200);
  t.match(response.headers.get("content-type"), /^application\/json/);
  // Regression (issue 20 item 4): RFC 6749 section 5.1 forbids caching a token answer.
  t.equal(response.headers.get("cache-control"), "no-store");
  t.equal(response.headers.get("pragma"), "no-cache");
  const body = (await response.json()) as Record<string, unknown>;
  t.strictSame(Object.keys(body).sort(), ["access_token", "expires_in", "scope", "token_type"]);
  t.equal(body.token_type, "bearer");
  t.equal(body.scope, "me items");
  t.equal(body.expires_in, 30 * 60);

  const { header, claims } = decodeJwt(body.access_token as string);
  t.equal(header.alg, "HS256");
  t.equal(claims.sub, "johndoe");
  t.equal(claims.scope, "me items", "scope is one space-separated string, as in FastAPI since 0.116.2");
  t.type(claims.exp, "number");
  t.ok(Number.isInteger(claims.exp), "exp is whole seconds");
  t.ok((claims.exp as number) >= before + 30 * 60 && (claims.exp as number) <= nowSeconds() + 30 * 60, "exp is 30 minutes from now");

  const items = await app.getWithToken("/users/me/items/", body.access_token as string);
  t.strictSame(await items.json(), [{ item_id: "Foo", owner: "johndoe" }], "the token works on the route that needs both scopes");
});

t.test("a wrong password and an unknown user get the same 400; the unknown user still costs one verification", async (t) => {
  const passwords = new RecordingPasswords();
  const app = await startApp(t, { passwords });

  t.strictSame(await summary(await app.postToken({ username: "johndoe", password: "not-secret" })), incorrect);
  t.strictSame(passwords.checkedHashes, [GUIDE_USERS[0]!.hashed_password], "the user's own hash was checked");

  t.strictSame(await summary(await app.postToken({ username: "nobody", password: "secret" })), incorrect);
  t.equal(passwords.checkedHashes.length, 2, "the unknown user cost exactly one more verification");
  const dummy = passwords.checkedHashes[1]!;
  t.notOk(GUIDE_USERS.some((u) => u.hashed_password === dummy), "it was a dummy hash, not a user's");
  t.match(dummy, /^\$argon2id\$v=19\$m=65536,t=3,p=4\$/, "with the guide's parameters, so it costs as much as a real one");
});

t.test("a disabled user can still obtain a token, as in the guide", async (t) => {
  const app = await startApp(t, { passwords: new PasswordVerifier() });
  const response = await app.postToken({ username: "alice", password: "secretalice", scope: "me" });
  t.equal(response.status, 200);
  const body = (await response.json()) as { access_token: string; scope: string };
  t.equal(body.scope, "me");
  t.equal(decodeJwt(body.access_token).claims.sub, "alice");
});

t.test("form problems are 422 with loc [body, field], before any password is checked", async (t) => {
  const passwords = new RecordingPasswords();
  const app = await startApp(t, { passwords });
  const missing = (field: string) => ({ type: "missing", loc: ["body", field], msg: "Field required", input: null });

  t.strictSame(await summary(await app.postToken({})), { status: 422, challenge: null, body: { detail: [missing("username"), missing("password")] } }, "empty form");
  t.strictSame(await summary(await app.postToken({ username: "johndoe" })), { status: 422, challenge: null, body: { detail: [missing("password")] } }, "no password");
  t.strictSame(await summary(await app.postToken({ password: "secret" })), { status: 422, challenge: null, body: { detail: [missing("username")] } }, "no username");
  t.strictSame(
    await summary(await app.postToken({ username: "", password: "secret" })),
    { status: 422, challenge: null, body: { detail: [missing("username")] } },
    "an empty value counts as missing (FastAPI's form rule)",
  );

  t.strictSame(
    await summary(await app.postToken({ grant_type: "client_credentials", username: "johndoe", password: "secret" })),
    {
      status: 422,
      challenge: null,
      body: {
        detail: [
          { type: "string_pattern_mismatch", loc: ["body", "grant_type"], msg: "String should match pattern '^password$'", input: "client_credentials", ctx: { pattern: "^password$" } },
        ],
      },
    },
    "grant_type other than password",
  );
  t.strictSame(
    (await summary(await app.postToken({ grant_type: "passwordblah", username: "johndoe", password: "secret" }))).status,
    422,
    "the pattern is anchored (FastAPI 0.115.8)",
  );

  const json = await app.request("/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "johndoe", password: "secret" }) });
  t.strictSame(await summary(json), { status: 422, challenge: null, body: { detail: [missing("username"), missing("password")] } }, "a JSON body is an empty form");

  t.strictSame(passwords.checkedHashes, [], "no request reached the password check");
});
