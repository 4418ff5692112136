// GET /users/me/items/: scope `items` on the route, `me` below it (in getCurrentActiveUser).
import t from "tap";
import { GUIDE_USERS, MemoryUserStore } from "../src/users.js";
import { fakeHash } from "./support/fake-passwords.js";
import { startApp, summary } from "./support/server.js";

const challenge = 'Bearer scope="items me"';

t.test("/users/me/items/", async (t) => {
  const bob = { username: "bob", full_name: null, email: null, disabled: false, hashed_password: fakeHash("bobpass"), scopes: ["me", "items"] };
  const app = await startApp(t, { users: new MemoryUserStore([...GUIDE_USERS, bob]) });
  const [johnBoth, johnMe, johnItems, aliceBoth, bobBoth] = await Promise.all([
    app.login("johndoe", "secret", "me items"),
    app.login("johndoe", "secret", "me"),
    app.login("johndoe", "secret", "items"),
    app.login("alice", "secretalice", "me items"),
    app.login("bob", "bobpass", "items me"),
  ]);

  t.test("a token with `me` and `items` gets the item, owned by the token's user", async (t) => {
    const john = await app.getWithToken("/users/me/items/", johnBoth);
    t.equal(john.status, 200);
    t.strictSame(await john.json(), [{ item_id: "Foo", owner: "johndoe" }]);
    t.strictSame(await (await app.getWithToken("/users/me/items/", bobBoth)).json(), [{ item_id: "Foo", owner: "bob" }], "the owner is the user, not a constant");
  });

  t.test("missing either scope is 401 Not enough permissions; the challenge lists `items me`, route scope first", async (t) => {
    for (const token of [johnMe, johnItems]) {
      t.strictSame(await summary(await app.getWithToken("/users/me/items/", token)), { status: 401, challenge, body: { detail: "Not enough permissions" } });
    }
  });

  t.test("a disabled user with both scopes is 400 Inactive user", async (t) => {
    t.strictSame(await summary(await app.getWithToken("/users/me/items/", aliceBoth)), { status: 400, challenge: null, body: { detail: "Inactive user" } });
  });
});
