import t from "tap";
import { compileRoute, createRequest, Depends, dependency, Security, SecurityScopes } from "@depends/core";

function counter(name: string) {
  let n = 0;
  const dep = dependency(() => ++n, { name });
  return { dep, count: () => n };
}

t.test("a plain dependency runs once per request, whatever scopes sit above it (FastAPI test_security_scopes)", async (t) => {
  const db = counter("getDb");
  const getUser = dependency({ db: Depends(db.dep) }, ({ db }) => ({ db }));
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { db: Depends(db.dep), user: Security(getUser, { scopes: ["read"] }) },
    handler: (v) => v,
  });
  t.same(await route.execute(createRequest()), { db: 1, user: { db: 1 } });
  t.equal(db.count(), 1);
  await route.execute(createRequest());
  t.equal(db.count(), 2, "nothing is cached across requests");
});

t.test("useCache: false calls again and does not feed the cache", async (t) => {
  const c = counter("dep");
  const superDep = dependency({ n: Depends(c.dep) }, ({ n }) => n);
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { fresh: Depends(c.dep, { useCache: false }), sub: Depends(superDep), again: Depends(c.dep) },
    handler: (v) => v,
  });
  // FastAPI would give sub the value of the uncached call (2 calls then 1 reused); we keep them apart.
  t.same(await route.execute(createRequest()), { fresh: 1, sub: 2, again: 2 });
  t.equal(c.count(), 2);
});

t.test("FastAPI /scope-counter: Security(dep), Security(dep, [scope]) twice -> 1, 2, 2", async (t) => {
  const c = counter("dep");
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { a: Security(c.dep), b: Security(c.dep, { scopes: ["scope"] }), c: Security(c.dep, { scopes: ["scope"] }) },
    handler: (v) => v,
  });
  t.same(await route.execute(createRequest()), { a: 1, b: 2, c: 2 });
});

t.test("scope order is part of the cache identity: each use gets a value computed with its own SecurityScopes", async (t) => {
  let calls = 0;
  const dep = dependency({ s: SecurityScopes }, ({ s }) => `${++calls}:${s.scopeStr}`);
  const ab = dependency({ v: Security(dep, { scopes: ["b"] }) }, ({ v }) => v);
  const ba = dependency({ v: Security(dep, { scopes: ["a"] }) }, ({ v }) => v);
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { x: Security(ab, { scopes: ["a"] }), y: Security(ba, { scopes: ["b"] }) },
    handler: (v) => v,
  });
  t.same(await route.execute(createRequest()), { x: "1:a b", y: "2:b a" });
});

t.test("a cached node's sub-tree is not solved again", async (t) => {
  const leaf = counter("leaf");
  const fresh = dependency({ n: Depends(leaf.dep, { useCache: false }) }, ({ n }) => n);
  const parent = dependency({ f: Depends(fresh) }, ({ f }) => f);
  const route = compileRoute({ method: "GET", path: "/", sources: { a: Depends(parent), b: Depends(parent) }, handler: (v) => v });
  t.same(await route.execute(createRequest()), { a: 1, b: 1 });
  t.equal(leaf.count(), 1, "FastAPI re-solves the cached parent's sub-tree and calls leaf twice");
});

t.test("the teardown scope is part of a generator's identity, not of a plain function's", async (t) => {
  let gens = 0;
  let plains = 0;
  const gen = dependency(function* gen() {
    yield ++gens;
  });
  const plain = dependency(() => ++plains);
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: {
      g1: Depends(gen),
      g2: Depends(gen, { scope: "request" }),
      g3: Depends(gen, { scope: "function" }),
      p1: Depends(plain),
      p2: Depends(plain, { scope: "function" }),
    },
    handler: (v) => v,
  });
  t.same(await route.execute(createRequest()), { g1: 1, g2: 1, g3: 2, p1: 1, p2: 1 });
});
