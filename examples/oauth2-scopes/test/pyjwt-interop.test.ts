// With the guide's SECRET_KEY, tokens of the Python app and of this one are interchangeable:
// PyJWT keys HMAC-SHA256 with the UTF-8 bytes of the 64-character hex string.
import t from "tap";
import { jwtVerify } from "jose";
import { startApp } from "./support/server.js";
import { GUIDE_SECRET_KEY } from "./support/settings.js";
import { decodeJwt, inHalfAnHour, pyjwtSignatureMatches, pyjwtToken } from "./support/tokens.js";

// Made with Python's standard library exactly as PyJWT 2's encode does (json.dumps with
// separators=(",", ":"), sorted header, hmac.new(SECRET_KEY.encode("utf-8"), ..., sha256)) for
// {"sub": "johndoe", "scope": "me items", "exp": 4102444800} (1 January 2100).
const PYTHON_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGUiOiJtZSBpdGVtcyIsImV4cCI6NDEwMjQ0NDgwMH0.CtySj-aBaeIEVdzVZ79uk4hQ_si3UZDKrGmRcvoyYY0";

t.test("tokens made the PyJWT way are accepted", async (t) => {
  const app = await startApp(t);

  t.test("a token made by Python", async (t) => {
    const response = await app.getWithToken("/users/me/items/", PYTHON_TOKEN);
    t.equal(response.status, 200);
    t.strictSame(await response.json(), [{ item_id: "Foo", owner: "johndoe" }]);
  });

  t.test("the same recipe in TypeScript reproduces Python's bytes, and the app accepts what it makes", async (t) => {
    t.equal(pyjwtToken({ sub: "johndoe", scope: "me items", exp: 4102444800 }), PYTHON_TOKEN, "byte for byte");
    const response = await app.getWithToken("/users/me/", pyjwtToken({ sub: "johndoe", scope: "me", exp: inHalfAnHour() }));
    t.equal(response.status, 200);
  });

  t.test("keyed with the 32 bytes the hex string decodes to (not what PyJWT does), it is refused", async (t) => {
    const wrongKey = Buffer.from(GUIDE_SECRET_KEY, "hex");
    const response = await app.getWithToken("/status/", pyjwtToken({ sub: "johndoe", scope: "", exp: inHalfAnHour() }, wrongKey));
    t.equal(response.status, 401);
  });
});

t.test("the app's own tokens verify the PyJWT way", async (t) => {
  const app = await startApp(t);
  const token = await app.login("johndoe", "secret", "me items");

  t.ok(pyjwtSignatureMatches(token), "HMAC-SHA256 keyed with the UTF-8 bytes of SECRET_KEY");
  t.notOk(pyjwtSignatureMatches(token, GUIDE_SECRET_KEY.toUpperCase()), "control: another key does not match");

  const { header, claims } = decodeJwt(token);
  t.equal(header.alg, "HS256");
  t.equal(header.typ, "JWT");
  t.equal(claims.sub, "johndoe");
  t.equal(claims.scope, "me items", "what the guide's get_current_user splits on spaces");
  t.ok(Number.isInteger(claims.exp), "exp in whole seconds, as PyJWT requires");

  const verified = await jwtVerify(token, new TextEncoder().encode(GUIDE_SECRET_KEY), { algorithms: ["HS256"] });
  t.equal(verified.payload.sub, "johndoe", "a third implementation (jose, raw key) agrees");
});
