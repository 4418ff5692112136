import t from "tap";
import { compileRoute, createRequest, type Dependency, Depends, type DependsSource, dependency, Security, SecurityScopes } from "@depends/core";

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
