// Which scopes a token carries. The guide grants whatever the client asks for; the example grants
// only what was asked, the user holds and the scheme declares (passwords faked: not about them).
import t, { type Test } from "tap";
import { MemoryUserStore, GUIDE_USERS, type UserInDB } from "../src/users.js";
import { fakeHash } from "./support/fake-passwords.js";
import { guideSettings } from "./support/settings.js";
import { type RunningApp, startApp } from "./support/server.js";
import { decodeJwt, nowSeconds } from "./support/tokens.js";

const meOnly: UserInDB = { username: "bob", full_name: null, email: null, disabled: false, hashed_password: fakeHash("bobpass"), scopes: ["me"] };

async function grant(t: Test, app: RunningApp, username: string, password: string, scope?: string) {
  const response = await app.postToken(scope === undefined ? { username, password } : { username, password, scope });
  t.equal(response.status, 200, `login of ${username} with scope ${JSON.stringify(scope)}`);
  const body = (await response.json()) as { access_token: string; scope: string; expires_in: number };
  return { answered: body.scope, claimed: decodeJwt(body.access_token).claims.scope, expiresIn: body.expires_in, claims: decodeJwt(body.access_token).claims };
}

t.test("granted scopes: asked for, held by the user, declared by the scheme; in the order asked, once each", async (t) => {
  const app = await startApp(t, { users: new MemoryUserStore([...GUIDE_USERS, meOnly]) });
  const cases: [username: string, password: string, asked: string | undefined, granted: string][] = [
    ["johndoe", "secret", undefined, ""],
    ["johndoe", "secret", "", ""],
    ["johndoe", "secret", "me", "me"],
    ["johndoe", "secret", "items me", "items me"],
    ["johndoe", "secret", "  me \t items  ", "me items"],
    ["johndoe", "secret", "me me items me", "me items"],
    ["johndoe", "secret", "admin me", "me"],
    ["johndoe", "secret", "ME Items", ""],
    ["bob", "bobpass", "me items", "me"],
  ];
  for (const [username, password, asked, granted] of cases) {
    const token = await grant(t, app, username, password, asked);
    t.equal(token.answered, granted, `${username} asking ${JSON.stringify(asked)}: the answer's scope`);
    t.equal(token.claimed, granted, `${username} asking ${JSON.stringify(asked)}: the token's scope claim`);
  }
});

t.test("a token without the scopes a route needs is refused even though it was asked for", async (t) => {
  const app = await startApp(t, { users: new MemoryUserStore([...GUIDE_USERS, meOnly]) });
  const token = await app.login("bob", "bobpass", "me items");
  const response = await app.getWithToken("/users/me/items/", token);
  t.equal(response.status, 401);
  t.strictSame(await response.json(), { detail: "Not enough permissions" });
});

t.test("ACCESS_TOKEN_EXPIRE_MINUTES sets expires_in and exp", async (t) => {
  const app = await startApp(t, { settings: guideSettings({ accessTokenExpireMinutes: 5 }) });
  const before = nowSeconds();
  const token = await grant(t, app, "johndoe", "secret", "me");
  t.equal(token.expiresIn, 300);
  const exp = token.claims.exp as number;
  t.ok(exp >= before + 300 && exp <= nowSeconds() + 300, `exp ${exp} is 5 minutes after ${before}`);
});
