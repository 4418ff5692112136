// Type tests: `npx tsc -p tsconfig.check.json --noEmit` compiles this file; every `@ts-expect-error`
// must be an error and every `Equal` must hold. tap runs it too: the routes are really mounted.
import t from "tap";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import Type from "typebox";
import {
  Body, DependencyOverrides, Depends, dependency, type HttpRequest, Path, Query, RawReply, RawRequest, CurrentRequest, Security, SecurityScopes,
} from "@depends/core";
import { dependsPlugin, type RouteHandler, router, type Router } from "@depends/fastify";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

interface UserInDb {
  username: string;
  email: string;
  hashed_password: string;
}
const User = Type.Object({ username: Type.String(), email: Type.Optional(Type.String()) });

const getUser = dependency({ scopes: SecurityScopes }, async ({ scopes }): Promise<UserInDb> => ({ username: scopes.scopeStr, email: "", hashed_password: "" }));
const verifyKey = dependency({ key: Query(Type.String()) }, ({ key }) => key.length);

const api = router({ prefix: "/users", dependencies: [Depends(verifyKey)] });

// The 3-argument form: the handler receives exactly the declared values.
api.get("/me/", { currentUser: Security(getUser, { scopes: ["me"] }), itemId: Query(Type.Integer(), { default: 1 }) }, (values) => {
  assertType<Equal<typeof values, { readonly currentUser: UserInDb; readonly itemId: number }>>();
  // @ts-expect-error: no such source
  void values.missing;
  // @ts-expect-error: values are read-only
  values.itemId = 2;
  return values.currentUser;
});

// The options form: the return value is checked against the response schemas.
api.get("/typed/", { sources: { user: Depends(getUser) }, response: { 200: User } }, async ({ user }) => {
  assertType<Equal<typeof user, UserInDb>>();
  return user; // extra fields are fine: the schema drops them, as response_model does
});
api.get("/status/", { sources: {}, response: { 200: User, 201: Type.Array(Type.String()) }, status: 201 }, () => ["a", "b"]);
// Without response schemas, any value.
api.post("/any/", { sources: { body: Body(Type.Object({ n: Type.Number() })) }, status: 202 }, ({ body }) => ({ doubled: body.n * 2 }));

// Raw request and reply are fastify's (AdapterTypes is augmented by @depends/fastify).
api.get("/raw/", { sources: { req: RawRequest, reply: RawReply, view: CurrentRequest }, response: { 200: User } }, ({ req, reply, view }) => {
  assertType<Equal<typeof req, FastifyRequest>>();
  assertType<Equal<typeof reply, FastifyReply>>();
  assertType<Equal<typeof view.raw, FastifyRequest>>();
  assertType<Equal<typeof view, HttpRequest>>();
  return reply.code(200).send({ username: req.id }); // taking over the reply returns it
});

// The no-sources form, and route().
api.get("/health", () => ({ ok: true }));
api.route({ method: "PUT", path: "/{id}", sources: { id: Path(Type.Integer()) }, handler: ({ id }) => ({ id }) });
// Wrong uses are type-checked only (most would also fail at registration or run time).
export function typeErrorsOnly(bad: Router): void {
  // @ts-expect-error: `username` must be a string per the 200 schema
  bad.get("/wrong/", { sources: {}, response: { 200: User } }, () => ({ username: 42 }));
  // @ts-expect-error: route() needs a method
  bad.route({ path: "/x", sources: {}, handler: () => 1 });
  // @ts-expect-error: a plain function is not a source
  bad.get("/bad-source", { user: getUser }, () => 1);
  // @ts-expect-error: route-level dependencies are Depends(...) or Security(...)
  bad.get("/bad-dependency", { sources: {}, dependencies: [getUser] }, () => 1);
  // @ts-expect-error: status is a number
  bad.get("/bad-status", { sources: {}, status: "201" }, () => 1);
  // @ts-expect-error: unknown route option
  bad.get("/bad-option", { sources: {}, respnse: { 200: User } }, () => 1);
  // @ts-expect-error: the handler cannot read a source it did not declare
  bad.get("/undeclared", { a: Query(Type.String()) }, ({ b }) => b);
  // @ts-expect-error: a router is included, not a plugin
  bad.include(bad.plugin());
  // @ts-expect-error: plugin options are checked
  void Fastify().register(dependsPlugin, { redirectSlash: false });
}

const handler: RouteHandler<{ n: ReturnType<typeof Query<ReturnType<typeof Type.Integer>>> }> = ({ n }) => n + 1;
api.get("/handler", { n: Query(Type.Integer()) }, handler);

// Declared methods chain and return the router.
assertType<Equal<ReturnType<typeof api.get<{}, {}>>, Router>>();

t.test("the typed routes mount and answer", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  assertType<Equal<typeof app.dependencyOverrides, DependencyOverrides>>();
  // @ts-expect-error: an override must provide the original's value type
  app.dependencyOverrides.set(getUser, dependency(() => 42));
  app.dependencyOverrides.clear();
  await app.register(api.plugin());
  t.teardown(() => app.close());
  t.strictSame((await app.inject("/users/me/?key=k")).json(), { username: "me", email: "", hashed_password: "" });
  t.strictSame((await app.inject("/users/typed/?key=k")).json(), { username: "", email: "" });
  t.strictSame((await app.inject("/users/status/?key=k")).json(), ["a", "b"]);
  t.equal((await app.inject("/users/status/?key=k")).statusCode, 201);
});
