// Resolver micro-benchmarks: a compiled plan against the same functions called by hand.
// Trees: FastAPI's OAuth2-scopes guide (4 nodes), a 20-node tree with shared nodes, a 5-node sync chain.
import { compileRoute, createRequest, Depends, dependency, CurrentRequest, Security, SecurityScopes } from "@depends/core";
import { compare, printTable } from "./lib/measure.mjs";

function guideTree() {
  const scheme = (request) => {
    const header = request.headers.authorization;
    if (typeof header !== "string" || !header.startsWith("Bearer ")) throw new Error("Not authenticated");
    return header.slice(7);
  };
  const getCurrentUser = ({ securityScopes, token }) => {
    if (token !== "t" || securityScopes.scopes.length === 0) throw new Error("Could not validate credentials");
    return { username: "johndoe", disabled: false };
  };
  const getCurrentActiveUser = ({ currentUser }) => {
    if (currentUser.disabled) throw new Error("Inactive user");
    return currentUser;
  };
  const handler = ({ currentUser }) => [{ item_id: "Foo", owner: currentUser.username }];

  const schemeDep = dependency({ request: CurrentRequest }, ({ request }) => scheme(request));
  const userDep = dependency({ securityScopes: SecurityScopes, token: Depends(schemeDep) }, getCurrentUser);
  const activeDep = dependency({ currentUser: Security(userDep, { scopes: ["me"] }) }, getCurrentActiveUser);
  const route = compileRoute({ method: "GET", path: "/users/me/items/", sources: { currentUser: Security(activeDep, { scopes: ["items"] }) }, handler });
  const request = createRequest({ headers: { authorization: "Bearer t" } });
  const scopes = route.nodes[0].children[0].children[0].children.length >= 0 ? route.nodes[0].children[0].scopes : [];
  const securityScopes = { scopes, scopeStr: scopes.join(" ") };
  return {
    plan: () => route.run(request, undefined),
    hand: () => {
      const token = scheme(request);
      const user = getCurrentUser({ securityScopes, token });
      const active = getCurrentActiveUser({ currentUser: user });
      return handler({ currentUser: active });
    },
  };
}

function twentyNodeTree() {
  // A config and a db shared by everything, 3 services of 5 nodes each (one leaf shared between
  // two services), an auth chain, and the handler: 20 calls per request.
  const f = (n) => (v) => n + Object.keys(v).length;
  const config = dependency({}, f(1));
  const db = dependency({ config: Depends(config) }, f(2));
  const service = (k) => {
    const a = dependency({ db: Depends(db) }, f(k));
    const b = dependency({ a: Depends(a), config: Depends(config) }, f(k + 1));
    const c = dependency({ b: Depends(b) }, f(k + 2));
    const d = dependency({ c: Depends(c), a: Depends(a) }, f(k + 3));
    return dependency({ d: Depends(d), db: Depends(db) }, f(k + 4));
  };
  const s1 = service(10), s2 = service(20), s3 = service(30);
  const authA = dependency({ config: Depends(config) }, f(40));
  const authB = dependency({ a: Depends(authA) }, f(41));
  const authC = dependency({ b: Depends(authB), db: Depends(db) }, f(42));
  const handlerFn = f(99);
  const route = compileRoute({ method: "GET", path: "/", sources: { s1: Depends(s1), s2: Depends(s2), s3: Depends(s3), auth: Depends(authC) }, handler: handlerFn });
  const steps = route.plan.steps.length;
  if (steps !== 21) throw new Error(`expected 20 dependency steps and the handler, got ${steps}`);
  const calls = route.plan.steps.map((s) => s.call);
  const request = createRequest();
  // By hand: the same functions, each with the object literal a hand-written call would build.
  const [cConfig, cDb] = calls;
  const svc = (i) => calls.slice(2 + i * 5, 7 + i * 5);
  const [a1, b1, c1, d1, e1] = svc(0), [a2, b2, c2, d2, e2] = svc(1), [a3, b3, c3, d3, e3] = svc(2);
  const [x1, x2, x3] = calls.slice(17, 20);
  return {
    plan: () => route.run(request, undefined),
    hand: () => {
      const config = cConfig({});
      const db = cDb({ config });
      const run = (a, b, c, d, e) => {
        const va = a({ db });
        const vb = b({ a: va, config });
        const vc = c({ b: vb });
        const vd = d({ c: vc, a: va });
        return e({ d: vd, db });
      };
      const v1 = run(a1, b1, c1, d1, e1), v2 = run(a2, b2, c2, d2, e2), v3 = run(a3, b3, c3, d3, e3);
      const va = x1({ config });
      const vb = x2({ a: va });
      const vc = x3({ b: vb, db });
      return handlerFn({ s1: v1, s2: v2, s3: v3, auth: vc });
    },
  };
}

function syncChain() {
  const f1 = () => 1;
  const f2 = ({ v }) => v + 1;
  let dep = dependency(f1);
  for (let i = 0; i < 4; i++) dep = dependency({ v: Depends(dep) }, f2);
  const handler = ({ v }) => v;
  const route = compileRoute({ method: "GET", path: "/", sources: { v: Depends(dep) }, handler });
  const request = createRequest();
  return {
    plan: () => route.run(request, undefined),
    hand: () => handler({ v: f2({ v: f2({ v: f2({ v: f2({ v: f1() }) }) }) }) }),
  };
}

export async function runResolverBench({ quick = false } = {}) {
  const options = quick ? { rounds: 5, iterations: 50_000, warmup: 20_000 } : {};
  const rows = [];
  for (const [name, make] of [["guide tree (4 nodes)", guideTree], ["20-node tree", twentyNodeTree], ["5-node sync chain", syncChain]]) {
    const { plan, hand } = make();
    if (JSON.stringify(plan()) !== JSON.stringify(hand())) throw new Error(`${name}: plan and hand-written results differ`);
    const r = await compare({ plan, hand }, options);
    const ratio = r.plan / r.hand;
    rows.push({ case: name, measured: `${r.plan.toFixed(0)} ns`, baseline: `${r.hand.toFixed(0)} ns by hand`, ratio, target: "<= 1.50x", ok: ratio <= 1.5 });
  }
  printTable("Resolver: compiled plan vs the same functions called by hand (median ns per request)", rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runResolverBench({ quick: process.argv.includes("--quick") });
