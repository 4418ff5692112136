import t from "tap";
import { compileRoute, createRequest, DeclarationError, DependencyOverrides, Depends, dependency, Security, SecurityScopes } from "@depends/core";

function setup() {
  const overrides = new DependencyOverrides();
  const getUser = dependency({ s: SecurityScopes }, function getUser({ s }) {
    return { name: "real", scopes: s.scopes };
  });
  const route = compileRoute(
    { method: "GET", path: "/", sources: { user: Security(getUser, { scopes: ["foo", "bar"] }) }, handler: ({ user }) => user },
    { overrides },
  );
  return { overrides, getUser, route };
}

t.test("an override replaces the dependency and keeps the original's SecurityScopes (FastAPI #737)", async (t) => {
  const { overrides, getUser, route } = setup();
  overrides.set(getUser, dependency({ s: SecurityScopes }, ({ s }) => ({ name: "fake", scopes: s.scopes })));
  t.same(await route.execute(createRequest()), { name: "fake", scopes: ["foo", "bar"] });
});

t.test("`using` restores the original at the end of the block", async (t) => {
  const { overrides, getUser, route } = setup();
  {
    using _override = overrides.set(getUser, dependency(() => ({ name: "fake", scopes: [] as readonly string[] })));
    t.equal((await route.execute(createRequest())).name, "fake");
  }
  t.equal((await route.execute(createRequest())).name, "real");
  t.equal(overrides.size, 0);
});

t.test("restore puts back an earlier override; delete and clear remove them", async (t) => {
  const { overrides, getUser, route } = setup();
  const first = dependency(() => ({ name: "first", scopes: [] as readonly string[] }));
  const second = dependency(() => ({ name: "second", scopes: [] as readonly string[] }));
  overrides.set(getUser, first);
  const handle = overrides.set(getUser, second);
  t.equal((await route.execute(createRequest())).name, "second");
  handle.restore();
  handle.restore();
  t.equal((await route.execute(createRequest())).name, "first");
  t.ok(overrides.delete(getUser));
  t.notOk(overrides.delete(getUser));
  t.equal((await route.execute(createRequest())).name, "real");
  overrides.set(getUser, first);
  overrides.clear();
  t.equal((await route.execute(createRequest())).name, "real");
});

t.test("routes re-plan only when an override changes, never per request", async (t) => {
  const { overrides, getUser, route } = setup();
  const planBefore = route.plan;
  await route.execute(createRequest());
  t.equal(route.plan, planBefore, "no override: the same plan object");
  overrides.set(getUser, dependency(() => ({ name: "fake", scopes: [] as readonly string[] })));
  const planAfter = route.plan;
  t.not(planAfter, planBefore, "changed: re-planned once");
  await route.execute(createRequest());
  t.equal(route.plan, planAfter, "then stable");
});

t.test("an override's own sub-dependencies run, and the original's do not", async (t) => {
  const calls: string[] = [];
  const originalSub = dependency(() => calls.push("originalSub"));
  const replacementSub = dependency(() => calls.push("replacementSub"));
  const dep = dependency({ x: Depends(originalSub) }, () => "original");
  const overrides = new DependencyOverrides();
  const route = compileRoute({ method: "GET", path: "/", sources: { d: Depends(dep) }, handler: ({ d }) => d }, { overrides });
  overrides.set(dep, dependency({ y: Depends(replacementSub) }, () => "replacement"));
  t.equal(await route.execute(createRequest()), "replacement");
  t.same(calls, ["replacementSub"]);
});

t.test("documentation keeps the declared tree (as FastAPI's OpenAPI ignores overrides)", async (t) => {
  const { overrides, getUser, route } = setup();
  overrides.set(getUser, dependency(() => ({ name: "fake", scopes: [] as readonly string[] })));
  t.equal(route.nodes[0]?.overridden, false);
  t.equal(route.nodes[0]?.definition.name, "getUser");
});

t.test("an override that creates a cycle is reported with the cycle", async (t) => {
  const a = dependency(function a() {
    return 1;
  });
  const b = dependency({ a: Depends(a) }, function b({ a }) {
    return a;
  });
  const overrides = new DependencyOverrides();
  const route = compileRoute({ method: "GET", path: "/x", sources: { b: Depends(b) }, handler: ({ b }) => b }, { overrides });
  overrides.set(a, dependency({ b: Depends(b) }, ({ b }) => b));
  const error = await route.execute(createRequest()).catch((e: unknown) => e);
  t.type(error, DeclarationError);
  t.equal((error as DeclarationError).code, "DEPENDS_CYCLE");
  t.match((error as Error).message, /Dependency cycle: b -> a \(overridden\) -> b .*route GET \/x/);
});

t.test("a plan is immutable: an override change swaps in a new plan once, on the next request", async (t) => {
  const { overrides, getUser, route } = setup();
  await route.execute(createRequest());
  const declared = route.plan;
  t.ok(Object.isFrozen(declared.steps));
  overrides.set(getUser, dependency(() => ({ name: "fake", scopes: [] as readonly string[] })));
  t.equal((await route.run(createRequest())).name, "fake", "the next request re-plans and runs the override");
  const replanned = route.plan;
  t.not(replanned, declared);
  t.equal(declared.steps.at(-2)?.name, "getUser", "the old plan is unchanged");
  t.equal(replanned.version, overrides.version);
  await route.run(createRequest());
  t.equal(route.plan, replanned, "then stable");
});
