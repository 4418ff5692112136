import fc from "fast-check";
import t from "tap";
import Type from "typebox";
import { compileRoute, createRequest, type Dependency, Depends, type DependsSource, dependency, HTTPException, Query, Security, SecurityScopes } from "@depends/core";
import { RequestScope } from "@depends/core/adapter";

// The generated runner and the interpreter must be the same engine: on random trees, the same
// values, the same calls in the same order, the same teardown order and the same errors.

type Kind = "sync" | "async" | "syncPromise" | "generator" | "asyncGenerator";

interface NodeSpec {
  readonly kind: Kind;
  /** Indices of earlier nodes this one depends on. */
  readonly children: readonly number[];
  readonly useCache: boolean;
  readonly scopes: readonly string[];
  /** Throws an HTTPException (or a plain error) when called. */
  readonly fails: "no" | "http" | "error";
  readonly readsScopes: boolean;
  readonly readsQuery: boolean;
}

const nodeSpec = (index: number): fc.Arbitrary<NodeSpec> =>
  fc.record({
    kind: fc.constantFrom<Kind>("sync", "sync", "async", "syncPromise", "generator", "asyncGenerator"),
    children: index === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat(index - 1), { maxLength: 3 }),
    useCache: fc.boolean(),
    scopes: fc.subarray(["a", "b", "c"], { maxLength: 2 }),
    fails: fc.constantFrom<NodeSpec["fails"]>("no", "no", "no", "no", "no", "no", "http", "error"),
    readsScopes: fc.boolean(),
    readsQuery: fc.boolean(),
  });

const treeSpec: fc.Arbitrary<{ nodes: NodeSpec[]; roots: number[]; query: string }> = fc
  .integer({ min: 1, max: 9 })
  .chain((size) =>
    fc.record({
      nodes: fc.tuple(...Array.from({ length: size }, (_, i) => nodeSpec(i))),
      roots: fc.uniqueArray(fc.nat(size - 1), { minLength: 1, maxLength: 3 }),
      query: fc.constantFrom("7", "x", ""),
    }),
  );

/** Builds the dependencies of a spec; every call and teardown is logged. */
function build(nodes: readonly NodeSpec[], log: string[]): Dependency<unknown>[] {
  const deps: Dependency<unknown>[] = [];
  nodes.forEach((spec, i) => {
    const sources: Record<string, unknown> = {};
    for (const child of spec.children) sources[`c${child}`] = Security(deps[child] as Dependency<unknown>, { scopes: [...spec.scopes], useCache: spec.useCache });
    if (spec.readsScopes) sources.scopes = SecurityScopes;
    if (spec.readsQuery) sources.n = Query(Type.Integer(), { default: 0 });
    const value = (values: Record<string, unknown>): string => {
      const scopes = (values.scopes as SecurityScopes | undefined)?.scopeStr;
      const line = `n${i}(${Object.keys(values).map((k) => `${k}=${k === "scopes" ? scopes : JSON.stringify(values[k])}`).join(",")})`;
      log.push(line);
      if (spec.fails === "http") throw new HTTPException(418, `n${i} refuses`);
      if (spec.fails === "error") throw new Error(`n${i} broke`);
      return `v${i}`;
    };
    const name = `n${i}`;
    let fn: (values: never) => unknown;
    switch (spec.kind) {
      case "sync":
        fn = (values: Record<string, unknown>) => value(values);
        break;
      case "async":
        fn = async (values: Record<string, unknown>) => value(values);
        break;
      case "syncPromise":
        fn = (values: Record<string, unknown>) => Promise.resolve().then(() => value(values));
        break;
      case "generator":
        fn = function* (values: Record<string, unknown>) {
          try {
            yield value(values);
          } finally {
            log.push(`${name} teardown`);
          }
        };
        break;
      case "asyncGenerator":
        fn = async function* (values: Record<string, unknown>) {
          try {
            yield value(values);
          } finally {
            log.push(`${name} teardown`);
          }
        };
        break;
    }
    deps.push(dependency(sources as never, fn, { name }) as Dependency<unknown>);
  });
  return deps;
}

async function runOnce(spec: { nodes: NodeSpec[]; roots: number[]; query: string }, codegen: boolean): Promise<{ log: string[]; outcome: unknown }> {
  const log: string[] = [];
  const deps = build(spec.nodes, log);
  const sources: Record<string, DependsSource<unknown>> = {};
  for (const root of spec.roots) sources[`r${root}`] = Depends(deps[root] as Dependency<unknown>);
  const route = compileRoute({ method: "GET", path: "/", sources, handler: (values) => (log.push("handler"), values) }, { codegen });
  const scope = new RequestScope();
  let outcome: unknown;
  try {
    outcome = { value: await route.run(createRequest({ query: spec.query === "" ? {} : { n: spec.query } }), scope) };
  } catch (error) {
    outcome = { error: error instanceof HTTPException ? ["http", error.status, error.detail] : error instanceof Error ? [error.name, error.message] : error };
  }
  const teardownError = await scope.close();
  if (teardownError !== undefined) outcome = { ...(outcome as object), teardownError: String(teardownError) };
  return { log, outcome };
}

t.test("generated runners and the interpreter agree on random trees (values, order, teardown, errors)", async (t) => {
  let generated = 0;
  await fc.assert(
    fc.asyncProperty(treeSpec, async (spec) => {
      const interpreted = await runOnce(spec, false);
      const compiled = await runOnce(spec, true);
      if (!spec.nodes.some((n) => n.kind === "generator" || n.kind === "asyncGenerator")) generated++;
      // fast-check shrinks a mismatch to a small tree and reports it.
      if (JSON.stringify(compiled) !== JSON.stringify(interpreted)) throw new Error(`generated ${JSON.stringify(compiled)}\ninterpreted ${JSON.stringify(interpreted)}`);
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
  );
  t.ok(generated > 50, `${generated} of the trees ran generated code`);
});
