import t from "tap";
import { compileRoute, createRequest, type Dependency, Depends, type DependsSource, dependency, Security, SecurityScopes, TREE_LIMITS } from "@depends/core";

t.test("a chain 200 deep compiles and runs, accumulating a scope per level", async (t) => {
  let dep: Dependency<number> = dependency({ s: SecurityScopes }, ({ s }) => s.scopes.length);
  for (let i = 0; i < 200; i++) dep = dependency({ inner: Security(dep, { scopes: [`s${i}`] }) }, ({ inner }) => inner);
  const route = compileRoute({ method: "GET", path: "/", sources: { v: Depends(dep) }, handler: ({ v }) => v });
  t.equal(route.run(createRequest(), undefined), 200);
  t.equal(route.plan.steps.length, 202);
});

t.test("a node with 1,000 children compiles and runs", async (t) => {
  const sources: Record<string, DependsSource<number>> = {};
  for (let i = 0; i < 1000; i++) sources[`d${i}`] = Depends(dependency(() => i));
  const wide = dependency(sources, (values) => Object.values(values).reduce((a, b) => a + b, 0));
  const route = compileRoute({ method: "GET", path: "/", sources: { sum: Depends(wide) }, handler: ({ sum }) => sum });
  t.equal(await route.execute(createRequest()), 499500);
});

t.test("1,000 uses of one dependency run it once", async (t) => {
  let calls = 0;
  const shared = dependency(() => ++calls);
  const sources: Record<string, DependsSource<number>> = {};
  for (let i = 0; i < 1000; i++) sources[`d${i}`] = Depends(shared);
  const route = compileRoute({ method: "GET", path: "/", sources, handler: () => calls });
  t.equal(route.run(createRequest(), undefined), 1);
  t.equal(route.plan.steps.length, 2);
});

t.test("a 10,000-dependency route compiles, generates linear code and answers", async (t) => {
  const sources: Record<string, DependsSource<number>> = {};
  for (let chain = 0; chain < 100; chain++) {
    let dep: Dependency<number> = dependency(() => chain);
    for (let level = 1; level < 100; level++) dep = dependency({ v: Depends(dep) }, ({ v }) => v + 1);
    sources[`c${chain}`] = Depends(dep);
  }
  const route = compileRoute({ method: "GET", path: "/huge", sources, handler: (values) => Object.values(values).reduce((a, b) => a + b, 0) });
  t.equal(route.run(createRequest(), undefined), 100 * 99 + 4950);
  t.equal(route.plan.steps.length, 10_001);
  const source = route.source() ?? "";
  t.ok(source.length < 10_001 * 200, `the generated source grows linearly (${source.length} characters)`);
  t.match(source, /\/\/# sourceURL=depends:route\/GET%20\/huge$/, "stack traces name the route");
});

function chain(depth: number): Dependency<number> {
  let dep: Dependency<number> = dependency({ s: SecurityScopes }, ({ s }) => s.scopes.length);
  for (let i = 0; i < depth - 1; i++) dep = dependency({ inner: Depends(dep) }, ({ inner }) => inner);
  return dep;
}

/** Calls `fn` with `frames` frames already on the stack. */
function deepInStack(frames: number, fn: () => unknown): unknown {
  return frames === 0 ? fn() : deepInStack(frames - 1, fn);
}

t.test("a tree at the depth limit compiles even inside a deep call stack; one level more is a coded error", async (t) => {
  const atLimit = chain(TREE_LIMITS.depth);
  const route = deepInStack(2_000, () => compileRoute({ method: "GET", path: "/deep", sources: { v: Depends(atLimit) }, handler: ({ v }) => v })) as { run: (r: unknown) => unknown };
  t.equal(route.run(createRequest()), 0);
  const tooDeep = chain(TREE_LIMITS.depth + 1);
  t.throws(() => compileRoute({ method: "GET", path: "/deeper", sources: { v: Depends(tooDeep) }, handler: ({ v }) => v }), {
    name: "DeclarationError",
    code: "DEPENDS_TREE_TOO_DEEP",
    route: "GET /deeper",
  });
  const farTooDeep = chain(20_000);
  t.throws(() => compileRoute({ method: "GET", path: "/far", sources: { v: Depends(farTooDeep) }, handler: ({ v }) => v }), { code: "DEPENDS_TREE_TOO_DEEP" }, "20,000 levels: a DeclarationError, not a RangeError");
});

t.test("a tree whose uses explode (useCache: false on a shared sub-tree) is a coded error, not a hang", async (t) => {
  let dep: Dependency<number> = dependency(() => 1);
  for (let i = 0; i < 30; i++) dep = dependency({ a: Depends(dep, { useCache: false }), b: Depends(dep, { useCache: false }) }, ({ a, b }) => a + b);
  t.throws(() => compileRoute({ method: "GET", path: "/exploding", sources: { v: Depends(dep) }, handler: ({ v }) => v }), {
    name: "DeclarationError",
    code: "DEPENDS_TREE_TOO_LARGE",
    route: "GET /exploding",
  });
});
