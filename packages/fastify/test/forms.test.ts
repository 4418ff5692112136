// Form bodies with FastAPI's semantics: empty values are missing, a non-form body is an empty form,
// the last of repeated values wins, every problem is listed.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Depends, Form } from "@depends/core";
import { OAuth2PasswordRequestForm } from "@depends/core/security";
import { dependsPlugin, router } from "@depends/fastify";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function formApp() {
  const app = Fastify();
  await app.register(dependsPlugin);
  const api = router();
  api.post("/token", { form: Depends(OAuth2PasswordRequestForm) }, ({ form }) => ({ username: form.username, scopes: form.scopes, grantType: form.grantType ?? null }));
  api.post("/tags", { tags: Form(Type.Array(Type.String())), name: Form(Type.String()) }, ({ tags, name }) => ({ tags, name }));
  api.post("/numbers", { count: Form(Type.Integer({ minimum: 1 })) }, ({ count }) => ({ count }));
  await app.register(api.plugin());
  await app.ready();
  return app;
}

const missing = (field: string) => ({ type: "missing", loc: ["body", field], msg: "Field required", input: null });

t.test("a valid form", async (t) => {
  const app = await formApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: "POST", url: "/token", headers: FORM, payload: "grant_type=password&username=johndoe&password=secret&scope=me%20%20items&extra=ignored" });
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), { username: "johndoe", scopes: ["me", "items"], grantType: "password" });
});

t.test("no body, or an empty form: every required field is listed missing", async (t) => {
  const app = await formApp();
  t.teardown(() => app.close());
  const none = await app.inject({ method: "POST", url: "/token" });
  t.equal(none.statusCode, 422);
  t.strictSame(none.json(), { detail: [missing("username"), missing("password")] });
  const empty = await app.inject({ method: "POST", url: "/token", headers: FORM, payload: "username=&password=secret&grant_type=" });
  t.strictSame(empty.json(), { detail: [missing("username")] }, "empty values count as missing");
});

t.test("a JSON body sent to a form route is an empty form: 422, not 415", async (t) => {
  const app = await formApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: "POST", url: "/token", payload: { username: "johndoe", password: "secret" } });
  t.equal(res.statusCode, 422);
  t.strictSame(res.json(), { detail: [missing("username"), missing("password")] });
});

t.test("grant_type must be password when sent", async (t) => {
  const app = await formApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: "POST", url: "/token", headers: FORM, payload: "grant_type=foo&username=johndoe&password=secret" });
  t.strictSame(res.json(), {
    detail: [{ type: "string_pattern_mismatch", loc: ["body", "grant_type"], msg: "String should match pattern '^password$'", input: "foo", ctx: { pattern: "^password$" } }],
  });
});

t.test("repeated fields: the last value, unless the field is a list", async (t) => {
  const app = await formApp();
  t.teardown(() => app.close());
  const token = await app.inject({ method: "POST", url: "/token", headers: FORM, payload: "username=mallory&username=johndoe&password=secret" });
  t.strictSame(token.json(), { username: "johndoe", scopes: [], grantType: null });
  const tags = await app.inject({ method: "POST", url: "/tags", headers: FORM, payload: "tags=a&tags=b&name=x&name=y" });
  t.strictSame(tags.json(), { tags: ["a", "b"], name: "y" });
  const one = await app.inject({ method: "POST", url: "/tags", headers: FORM, payload: "tags=a&name=x" });
  t.strictSame(one.json(), { tags: ["a"], name: "x" }, "a single value is a list of one");
});

t.test("form values are coerced and validated", async (t) => {
  const app = await formApp();
  t.teardown(() => app.close());
  t.strictSame((await app.inject({ method: "POST", url: "/numbers", headers: FORM, payload: "count=3" })).json(), { count: 3 });
  const bad = await app.inject({ method: "POST", url: "/numbers", headers: FORM, payload: "count=0" });
  t.strictSame(bad.json(), { detail: [{ type: "greater_than_equal", loc: ["body", "count"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } }] });
});
