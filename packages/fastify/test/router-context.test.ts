// A router's typed context: values every handler receives without redeclaring them; the route's
// own use of the same dependency shares the call. Types are checked by tsc (tsconfig.check.json).
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Depends, dependency, HTTPException, Query, Security, SecurityScopes } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

interface User {
  readonly name: string;
  readonly scopes: string;
}

function fixture() {
  let calls = 0;
  const getUser = dependency({ scopes: SecurityScopes, who: Query(Type.String()) }, ({ scopes, who }): User => {
    calls++;
    if (who === "nobody") throw new HTTPException(401, "Not authenticated");
    return { name: who, scopes: scopes.scopeStr };
  });
  return { getUser, calls: () => calls };
}

t.test("every handler receives the context's values, typed; the route's own identical use shares the call", async (t) => {
  const { getUser, calls } = fixture();
  const me = router({ prefix: "/me", context: { user: Security(getUser, { scopes: ["me"] }) } });
  me.get("/", ({ user }) => {
    assertType<Equal<typeof user, User>>();
    return user;
  });
  me.get("/items", { limit: Query(Type.Integer(), { default: 2 }) }, (values) => {
    assertType<Equal<typeof values, { readonly user: User; readonly limit: number }>>();
    return { owner: values.user.name, limit: values.limit };
  });
  me.get("/shared", { sources: { again: Security(getUser, { scopes: ["me"] }) } }, ({ user, again }) => ({ same: user === again }));
  me.route({ method: "POST", path: "/x", handler: ({ user }) => user.scopes });
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await app.register(me.plugin());
  t.same((await app.inject("/me/?who=ann")).json(), { name: "ann", scopes: "me" });
  t.same((await app.inject("/me/items?who=ann")).json(), { owner: "ann", limit: 2 });
  const before = calls();
  t.same((await app.inject("/me/shared?who=ann")).json(), { same: true });
  t.equal(calls() - before, 1, "one call for the context and the route's own identical use");
  t.equal((await app.inject("/me/?who=nobody")).statusCode, 401, "the context runs: it authenticates");
  t.equal((await app.inject({ method: "POST", url: "/me/x?who=bo" })).json(), "me");
  await app.close();
});

t.test("included routers run the including router's context (values not received)", async (t) => {
  const { getUser } = fixture();
  const inner = router();
  inner.get("/inner", () => ({ ok: true }));
  const outer = router({ context: { user: Security(getUser, { scopes: ["me"] }) } });
  outer.include(inner, { prefix: "/in" });
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await app.register(outer.plugin());
  t.equal((await app.inject("/in/inner?who=nobody")).statusCode, 401);
  t.same((await app.inject("/in/inner?who=ann")).json(), { ok: true });
  await app.close();
});

t.test("a route source with a context key is refused (DEPENDS_CONTEXT_CONFLICT)", async (t) => {
  const { getUser } = fixture();
  const me = router({ context: { user: Depends(getUser) } });
  // The type allows an intersection, the registration does not: one name, one value.
  me.get("/", { user: Depends(getUser) } as {}, () => 1);
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await t.rejects(async () => {
    await app.register(me.plugin());
  }, { code: "DEPENDS_CONTEXT_CONFLICT", route: "GET /" });
});

// Type-checked only.
export function contextTypeErrors(): void {
  const { getUser } = fixture();
  const me = router({ context: { user: Depends(getUser) } });
  // @ts-expect-error: not in the context nor the route's sources
  me.get("/", ({ missing }) => missing);
  // @ts-expect-error: the context holds dependencies (Depends/Security), not request parameters
  router({ context: { q: Query(Type.String()) } });
  // @ts-expect-error: the context's value is a User
  me.get("/", ({ user }): number => user);
  const plain = router();
  // @ts-expect-error: a router without context gives nothing
  plain.get("/", ({ user }) => user);
}
