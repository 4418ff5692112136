// GET /status/: any valid token, no scopes, disabled users too (getCurrentUser through plain Depends).
import t from "tap";
import { startApp, summary } from "./support/server.js";

t.test("/status/", async (t) => {
  const app = await startApp(t);
  const [johnNone, johnBoth, aliceNone] = await Promise.all([app.login("johndoe", "secret"), app.login("johndoe", "secret", "me items"), app.login("alice", "secretalice")]);

  t.test("any valid token is enough, with or without scopes, for disabled users too", async (t) => {
    for (const token of [johnNone, johnBoth, aliceNone]) {
      t.strictSame(await summary(await app.getWithToken("/status/", token)), { status: 200, challenge: null, body: { status: "ok" } });
    }
  });

  t.test("an invalid token is 401 with a plain Bearer challenge (no scopes required here)", async (t) => {
    t.strictSame(await summary(await app.getWithToken("/status/", "not-a-jwt")), { status: 401, challenge: "Bearer", body: { detail: "Could not validate credentials" } });
  });

  t.test("no credentials is 401 Not authenticated", async (t) => {
    t.strictSame(await summary(await app.request("/status/")), { status: 401, challenge: "Bearer", body: { detail: "Not authenticated" } });
  });
});
