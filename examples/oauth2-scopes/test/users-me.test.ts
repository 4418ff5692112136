// GET /users/me/: Security scope `me` (through getCurrentActiveUser), active users only.
import t from "tap";
import { startApp, summary } from "./support/server.js";

t.test("/users/me/", async (t) => {
  const app = await startApp(t);
  const [johnMe, johnItems, johnNone, aliceMe, aliceNone] = await Promise.all([
    app.login("johndoe", "secret", "me"),
    app.login("johndoe", "secret", "items"),
    app.login("johndoe", "secret"),
    app.login("alice", "secretalice", "me"),
    app.login("alice", "secretalice"),
  ]);

  t.test("a token with `me` gets the user, without the password hash or the scopes held", async (t) => {
    const response = await app.getWithToken("/users/me/", johnMe);
    t.equal(response.status, 200);
    t.strictSame(await response.json(), { username: "johndoe", email: "johndoe@example.com", full_name: "John Doe", disabled: false });
  });

  t.test("a token without `me` is 401 Not enough permissions, challenge scope=\"me\"", async (t) => {
    for (const token of [johnItems, johnNone]) {
      t.strictSame(await summary(await app.getWithToken("/users/me/", token)), { status: 401, challenge: 'Bearer scope="me"', body: { detail: "Not enough permissions" } });
    }
  });

  t.test("a disabled user with `me` is 400 Inactive user, with no challenge", async (t) => {
    t.strictSame(await summary(await app.getWithToken("/users/me/", aliceMe)), { status: 400, challenge: null, body: { detail: "Inactive user" } });
  });

  t.test("a disabled user without `me` fails the scope check first (401), as in the guide", async (t) => {
    t.strictSame(await summary(await app.getWithToken("/users/me/", aliceNone)), { status: 401, challenge: 'Bearer scope="me"', body: { detail: "Not enough permissions" } });
  });

  t.test("the scheme name is case-insensitive and extra spaces around the token are ignored", async (t) => {
    const response = await app.request("/users/me/", { headers: { authorization: `bearer   ${johnMe}  ` } });
    t.equal(response.status, 200);
  });
});
