// Type tests: `npm run typecheck` compiles this file; every `@ts-expect-error` must be an error and
// every `Equal` must hold. tap runs it too, so the declarations are also exercised at run time.
import t from "tap";
import Type from "typebox";
import {
  Body, compileRoute, Cookie, type Dependency, DependencyOverrides, Depends, dependency, Form, Header, type HttpRequest, Path, Query,
  CurrentRequest, Security, SecurityScopes, type ValueOfDependency,
} from "@depends/core";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

interface User {
  username: string;
  disabled: boolean;
}

const getDb = dependency(() => ({ query: (sql: string) => sql.length }));
const getUser = dependency({ scopes: SecurityScopes, db: Depends(getDb) }, async ({ scopes, db }): Promise<User> => {
  assertType<Equal<typeof scopes, SecurityScopes>>();
  assertType<Equal<typeof db, { query: (sql: string) => number }>>();
  return { username: scopes.scopeStr, disabled: false };
});
const session = dependency(async function* () {
  yield { id: 1 as const };
});
const counter = dependency(function* () {
  yield 42;
});

// Dependencies provide the awaited / yielded value.
assertType<Equal<ValueOfDependency<typeof getUser>, User>>();
assertType<Equal<ValueOfDependency<typeof session>, { id: 1 }>>();
assertType<Equal<ValueOfDependency<typeof counter>, number>>();

// Handler values are exactly the declared sources' values.
compileRoute({
  method: "GET",
  path: "/items/:itemId",
  sources: {
    user: Security(getUser, { scopes: ["items"] }),
    s: Depends(session),
    itemId: Path(Type.Integer()),
    q: Query(Type.String(), { required: false }),
    limit: Query(Type.Integer(), { default: 10 }),
    agent: Header(Type.String()),
    sid: Cookie(Type.Optional(Type.String())),
    request: CurrentRequest,
  },
  handler: (values) => {
    assertType<Equal<typeof values.user, User>>();
    assertType<Equal<typeof values.s, { id: 1 }>>();
    assertType<Equal<typeof values.itemId, number>>();
    assertType<Equal<typeof values.q, string | undefined>>();
    assertType<Equal<typeof values.limit, number>>();
    assertType<Equal<typeof values.agent, string>>();
    assertType<Equal<typeof values.sid, string | undefined>>();
    assertType<Equal<typeof values.request, HttpRequest>>();
    // @ts-expect-error: no such source
    void values.missing;
    // @ts-expect-error: values are read-only
    values.itemId = 2;
    return values.user.username;
  },
});

compileRoute({
  method: "POST",
  path: "/",
  sources: { item: Body(Type.Object({ name: Type.String(), price: Type.Number() })) },
  handler: ({ item }) => {
    assertType<Equal<typeof item, { name: string; price: number }>>();
  },
});
compileRoute({
  method: "POST",
  path: "/",
  sources: { note: Form(Type.String()) },
  handler: ({ note }) => {
    assertType<Equal<typeof note, string>>();
  },
});

// Wrong uses are compile errors (and throw at run time too, see declaration-errors.test.ts, so this
// function is only type-checked, never called).
export function wrongUses(): void {
  // @ts-expect-error: Depends needs a dependency, not a plain function
  Depends(() => 1);
  // @ts-expect-error: scopes are strings
  Security(getUser, { scopes: [1] });
  // @ts-expect-error: the scope is "function", "request" or "app"
  Depends(session, { scope: "session" });
  // @ts-expect-error: lazy is for app-scoped uses only
  Depends(session, { lazy: true });
  // @ts-expect-error: Security has no teardown scope (as in FastAPI)
  Security(getUser, { scope: "function" });
  // @ts-expect-error: a source must be a source
  dependency({ n: 42 }, () => 1);
  // @ts-expect-error: the default must match the schema
  Query(Type.Integer(), { default: "ten" });
}

// Overrides are typed against the original's value.
const overrides = new DependencyOverrides();
overrides.set(getUser, dependency(() => ({ username: "fake", disabled: false })));
// @ts-expect-error: the replacement must provide a User
overrides.set(getUser, dependency(() => ({ name: "fake" })));
// regression (issue 20, item 12): T comes from the original only, never widened to fit the replacement
// @ts-expect-error: an empty object is not a User
overrides.set(getUser, dependency(() => ({})));
// @ts-expect-error: nor is a partial one
overrides.set(getUser, dependency(() => ({ username: "fake" })));
// A replacement that provides more than a User is fine, and so is an explicit widening.
overrides.set(getUser, dependency(() => ({ username: "fake", disabled: false, extra: 1 })));
overrides.set<unknown>(getUser, dependency(() => 42));

// No `any` leaks: a dependency's value is not assignable to an unrelated type.
const user: Dependency<User> = getUser;
// @ts-expect-error: User is not a number
const n: Dependency<number> = user;
void n;

t.pass("type assertions compiled");
