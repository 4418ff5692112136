// What the adapter answers around the routes: trailing-slash redirects, unknown paths, wrong methods.
import t from "tap";
import { startApp, summary } from "./support/server.js";
import { inHalfAnHour, pyjwtToken } from "./support/tokens.js";

t.test("routing errors", async (t) => {
  const app = await startApp(t);
  const token = pyjwtToken({ sub: "johndoe", scope: "me items", exp: inHalfAnHour() });
  const bearer = { authorization: `Bearer ${token}` };

  t.test("a path without its trailing slash is a 307 to the registered one, query kept", async (t) => {
    for (const [sent, location] of [
      ["/users/me", "/users/me/"],
      ["/users/me/items", "/users/me/items/"],
      ["/status", "/status/"],
      ["/users/me?x=1", "/users/me/?x=1"],
    ] as const) {
      const response = await app.request(sent, { headers: bearer });
      t.equal(response.status, 307, sent);
      t.equal(response.headers.get("location"), location, `${sent} -> ${location}`);
    }
  });

  t.test("the redirect works the other way too: POST /token/ is a 307 to /token (method and body kept by clients)", async (t) => {
    const response = await app.request("/token/", { method: "POST", body: new URLSearchParams({ username: "johndoe", password: "secret" }) });
    t.equal(response.status, 307);
    t.equal(response.headers.get("location"), "/token");
  });

  t.test("following the redirect keeps the bearer token, as FastAPI's tutorial tests rely on", async (t) => {
    const response = await fetch(`${app.baseUrl}/users/me`, { headers: bearer });
    t.equal(response.status, 200);
    t.equal(response.url, `${app.baseUrl}/users/me/`);
    t.match(await response.json(), { username: "johndoe" });
  });

  t.test("an unknown path is 404 Not Found", async (t) => {
    for (const path of ["/nowhere", "/users/", "/users/me/items/Foo", "/status/ok"]) {
      const { status, body } = await summary(await app.request(path, { headers: bearer }));
      t.strictSame({ status, body }, { status: 404, body: { detail: "Not Found" } }, path);
    }
  });

  t.test("a known path with the wrong method is 405 with Allow", async (t) => {
    const cases = [
      { method: "GET", path: "/token", allow: /^POST$/ },
      { method: "POST", path: "/users/me/", allow: /\bGET\b/ },
      { method: "DELETE", path: "/users/me/items/", allow: /\bGET\b/ },
      { method: "PUT", path: "/status/", allow: /\bGET\b/ },
    ];
    for (const { method, path, allow } of cases) {
      const response = await app.request(path, { method, headers: bearer });
      const { status, body } = await summary(response);
      t.strictSame({ status, body }, { status: 405, body: { detail: "Method Not Allowed" } }, `${method} ${path}`);
      t.match(response.headers.get("allow"), allow, `${method} ${path}: Allow`);
    }
  });

  t.test("HEAD on a GET route is answered like GET, without a body", async (t) => {
    const response = await app.request("/status/", { method: "HEAD", headers: bearer });
    t.equal(response.status, 200);
    t.equal(await response.text(), "");
  });
});
