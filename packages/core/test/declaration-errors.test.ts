import t from "tap";
import Type from "typebox";
import {
  Body, compileRoute, DeclarationError, Depends, dependency, Form, Path, Query, type RouteDefinition, Security, type SourceMap,
} from "@depends/core";

function compileError(definition: RouteDefinition<SourceMap, unknown>): DeclarationError {
  try {
    compileRoute(definition);
  } catch (error) {
    if (error instanceof DeclarationError) return error;
    throw error;
  }
  throw new Error("expected a DeclarationError");
}

t.test("a scope that is not an RFC 6749 scope-token names the route and the path", async (t) => {
  const leaf = dependency(function leaf() {
    return 1;
  });
  const mid = dependency({ l: Security(leaf, { scopes: ['bad"scope'] }) }, function mid() {
    return 1;
  });
  for (const bad of ["read items", 'a"b', "a\\b", "tab\there", "", "caf\u00e9"]) {
    const error = compileError({ method: "get", path: "/x", sources: { l: Security(leaf, { scopes: [bad] }) }, handler: () => 1 });
    t.equal(error.code, "DEPENDS_INVALID_SCOPE", JSON.stringify(bad));
  }
  const error = compileError({ method: "get", path: "/x", sources: { m: Depends(mid) }, handler: function readX() {} });
  t.equal(error.route, "GET /x");
  t.same(error.path, ["readX", "mid", "leaf"]);
  t.match(error.message, /Scope "bad\\"scope" is not an RFC 6749 scope-token .*route GET \/x, at readX -> mid -> leaf/);
});

t.test("a request-scoped generator cannot depend on an explicitly function-scoped one, even indirectly", async (t) => {
  const short = dependency(function* short() {
    yield 1;
  });
  const between = dependency({ s: Depends(short, { scope: "function" }) }, function between() {
    return 1;
  });
  const long = dependency({ b: Depends(between) }, function* long() {
    yield 2;
  });
  const error = compileError({ method: "GET", path: "/y", sources: { l: Depends(long) }, handler: () => 1 });
  t.equal(error.code, "DEPENDS_SCOPE_MISMATCH");
  t.match(error.message, /"long" has a teardown scope of "request"; it cannot depend on "short"/);
  t.same(error.path, ["handler", "long", "between", "short"], "an arrow handler is named after its property");

  const fnLong = dependency({ b: Depends(between) }, function* fnLong() {
    yield 2;
  });
  t.doesNotThrow(() => compileRoute({ method: "GET", path: "/y", sources: { l: Depends(fnLong, { scope: "function" }) }, handler: () => 1 }), "function may depend on function");
});

t.test("sources used wrongly", async (t) => {
  const plain = () => 1;
  t.throws(() => Depends(plain as never), { code: "DEPENDS_NOT_A_DEPENDENCY", message: /plain function plain: wrap it with dependency\(\)/ });
  t.throws(() => Depends(dependency(plain), { scope: "forever" as never }), { code: "DEPENDS_INVALID_TEARDOWN_SCOPE" });
  t.throws(() => Security(dependency(plain), { scopes: "me" as never }), { code: "DEPENDS_INVALID_SCOPE" });
  const dep = dependency(plain);
  t.equal(compileError({ method: "GET", path: "/", sources: { d: dep as never }, handler: () => 1 }).message.includes("wrap the dependency as Depends(d)"), true);
  t.equal(compileError({ method: "GET", path: "/", sources: { n: 42 as never }, handler: () => 1 }).code, "DEPENDS_INVALID_SOURCE");
  t.equal(compileError({ method: "GET", path: "/", sources: {}, dependencies: [dep as never], handler: () => 1 }).code, "DEPENDS_INVALID_ROUTE_DEPENDENCY");
  t.equal(
    compileError({ method: "GET", path: "/", sources: {}, handler: function* gen() {} as never }).code,
    "DEPENDS_INVALID_HANDLER",
    "a generator handler",
  );
});

t.test("request parameters declared wrongly", async (t) => {
  const unknown = compileError({ method: "GET", path: "/items/:id", sources: { itemId: Path(Type.Integer()) }, handler: () => 1 });
  t.equal(unknown.code, "DEPENDS_UNKNOWN_PATH_PARAM");
  t.match(unknown.message, /reads ":itemId", which the route path does not declare \(it has: id\)/);

  const mixed = compileError({ method: "POST", path: "/", sources: { a: Body(Type.String()), b: Form(Type.String()) }, handler: () => 1 });
  t.equal(mixed.code, "DEPENDS_BODY_AND_FORM");

  const q1 = dependency({ q: Query(Type.String()) }, function first() {});
  const conflict = compileError({ method: "GET", path: "/", sources: { a: Depends(q1), q: Query(Type.Integer()) }, handler: () => 1 });
  t.equal(conflict.code, "DEPENDS_CONFLICTING_PARAM");
  t.match(conflict.message, /query parameter "q" is declared twice with different schemas \(first at .*first\)/);

  t.doesNotThrow(() => compileRoute({ method: "GET", path: "/", sources: { a: Depends(q1), q: Query(Type.String()) }, handler: () => 1 }), "the same declaration twice is shared");
});

t.test("a cycle is reported as a -> b -> a", async (t) => {
  // Declarations are frozen, so the only way to close a loop is a dependency whose sources object
  // is built before the dependency it refers to exists; emulate it with a mutable holder.
  const sources: Record<string, unknown> = {};
  const a = dependency(sources as never, function a() {});
  const b = dependency({ a: Depends(a) }, function b() {});
  t.throws(() => Object.assign((a as unknown as Record<symbol, { sources: object }>)[Symbol.for("@depends/core.dependency")]!.sources, { b: Depends(b) }), TypeError, "sources are frozen");
  t.pass("cycles through overrides are covered in overrides.test.ts");
});
