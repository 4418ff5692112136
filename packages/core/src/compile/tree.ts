import { type AlternativesSpec, type Dependency, type DependencyDefinition, definitionOf, isDependency } from "../dependency.js";
import { alternativesCall, type SubPlan } from "./alternatives.js";
import { securityScopesOf } from "./intern.js";
import { DeclarationError } from "../errors.js";
import type { DependencyOverrides } from "../overrides.js";
import { type ParamSource, wireName } from "../params.js";
import { assertScopeTokens } from "../scope-token.js";
import { type DependsSource, type SecuritySource, type SourceMap, type TeardownScope, sourceKind } from "../sources.js";
import { type Arg, INPUT, type Step } from "./steps.js";

/**
 * One use of a dependency in a route's tree, as compiled.
 *
 * @example
 * ```ts
 * const node: TreeNode = route.nodes[0]!;
 * node.scopes;   // ["items"]
 * node.children; // the dependencies it uses
 * ```
 */
export interface TreeNode {
  /** Dependency names from the route down to this node. */
  readonly path: readonly string[];
  /** The source key under which the parent receives the value (`undefined` for route-level dependencies). */
  readonly key: string | undefined;
  /** The dependency as declared. */
  readonly dependency: Dependency;
  /** What runs: the declared dependency or its override. */
  readonly definition: DependencyDefinition;
  readonly overridden: boolean;
  /** Scopes declared on this use (`Security(dep, { scopes })`). */
  readonly ownScopes: readonly string[];
  /** Ancestors' scopes, then own, without duplicates: what `SecurityScopes` holds. */
  readonly scopes: readonly string[];
  readonly useCache: boolean;
  /** Teardown scope when the dependency is a generator. */
  readonly teardown: TeardownScope | undefined;
  readonly children: readonly TreeNode[];
  /** Set when this use reuses the value of an earlier node (per-request cache). */
  readonly cachedFrom: TreeNode | undefined;
  /** Index of the plan step that computes this node's value. */
  readonly slot: number;
}

/** A request parameter found in the tree. */
export interface ParamUse {
  readonly key: string;
  readonly wire: string;
  readonly source: ParamSource<unknown>;
  readonly path: readonly string[];
}

interface Use {
  readonly dependency: Dependency;
  readonly useCache: boolean;
  readonly scope: TeardownScope | undefined;
  readonly scopes: readonly string[];
}

let nextId = 1;
const ids = new WeakMap<Dependency, number>();
function identity(dep: Dependency): number {
  let id = ids.get(dep);
  if (id === undefined) ids.set(dep, (id = nextId++));
  return id;
}

const declaredUsesScopes = new WeakMap<Dependency, boolean>();

function dedupe(parent: readonly string[], own: readonly string[]): readonly string[] {
  if (own.length === 0) return parent;
  const out = [...parent];
  for (const scope of own) if (!out.includes(scope)) out.push(scope);
  return Object.freeze(out);
}

/** Walks a route's declarations once and produces its nodes, flat steps and parameters. */
export class TreeCompiler {
  readonly steps: Step[] = [];
  readonly params: ParamUse[] = [];
  readonly bodyArgs: { key: string; kind: "input"; input: 4; name: string | undefined }[] = [];
  readonly #route: string;
  readonly #overrides: DependencyOverrides | undefined;
  readonly #cache = new Map<string, TreeNode>();
  /** Dependencies being walked, outermost first: `#onPath[i]` is `path[i + 1]` (path[0] is the route). */
  readonly #onPath: Dependency[] = [];
  readonly #usesScopes: Map<Dependency, boolean> | WeakMap<Dependency, boolean>;
  readonly #functionScopedBelow = new WeakMap<TreeNode, readonly string[]>();

  constructor(route: string, overrides: DependencyOverrides | undefined, onPath: readonly Dependency[] = []) {
    this.#route = route;
    this.#overrides = overrides;
    // Without overrides, whether a dependency uses scopes depends on its declaration alone: every
    // route shares the answer. (A cycle leaves provisional answers behind, but every route that
    // reaches one fails on the cycle itself.)
    this.#usesScopes = overrides === undefined ? declaredUsesScopes : new Map();
    this.#onPath.push(...onPath);
  }

  /** Compiles a use (`Depends`/`Security`) found under `parentScopes`. */
  use(use: Use, key: string | undefined, parentScopes: readonly string[], parentPath: readonly string[]): TreeNode {
    const original = use.dependency;
    const replacement = this.#overrides?.get(original);
    const runs = replacement ?? original;
    const definition = definitionOf(runs);
    // An inline arrow function has no name: the key it is received under says more than "anonymous".
    const declaredName = definitionOf(original).name;
    const name = (declaredName === "anonymous" && key !== undefined ? key : declaredName) + (replacement ? " (overridden)" : "");
    const path = [...parentPath, name];
    assertScopeTokens(use.scopes, { route: this.#route, path });
    const seenAt = this.#onPath.indexOf(runs);
    if (seenAt >= 0) {
      const cycle = [...parentPath.slice(seenAt + 1), name];
      throw new DeclarationError("DEPENDS_CYCLE", `Dependency cycle: ${cycle.join(" -> ")}`, { route: this.#route, path });
    }
    const scopes = dedupe(parentScopes, use.scopes);
    const teardown = definition.callKind === "generator" || definition.callKind === "asyncGenerator" ? (use.scope ?? "request") : undefined;
    const usesScopes = use.scopes.length > 0 || this.#usesScopesOf(runs, path);
    const cacheKey = `${identity(original)}|${teardown ?? ""}|${usesScopes ? scopes.join(" ") : ""}`;
    const hit = use.useCache ? this.#cache.get(cacheKey) : undefined;
    if (hit) {
      const node: TreeNode = { ...hit, path, key, ownScopes: use.scopes, children: [], cachedFrom: hit.cachedFrom ?? hit };
      this.#noteFunctionScoped(node, use, hit);
      return node;
    }
    this.#onPath.push(runs);
    const children: TreeNode[] = [];
    const alternatives = definition.alternatives ? this.#alternatives(definition.alternatives, scopes, path, children) : undefined;
    const args = alternatives ? alternatives.args : this.#sources(definition.sources, scopes, path, children);
    this.#onPath.pop();
    const node: TreeNode = {
      path, key, dependency: original, definition, overridden: replacement !== undefined, ownScopes: use.scopes, scopes,
      useCache: use.useCache, teardown, children, cachedFrom: undefined, slot: this.steps.length,
    };
    this.#checkLifetime(node, children);
    this.#noteFunctionScoped(node, use, undefined);
    this.steps.push(
      alternatives
        ? { name, call: alternatives.call, callKind: "sync", args, teardown: "request", interpreted: true }
        : { name, call: definition.call, callKind: definition.callKind, args, teardown: teardown ?? "request" },
    );
    if (use.useCache) this.#cache.set(cacheKey, node);
    return node;
  }

  /** Compiles the handler's own sources; returns its args. */
  root(sources: SourceMap, path: readonly string[], children: TreeNode[]): Arg[] {
    return this.#sources(sources, [], path, children);
  }

  #sources(sources: SourceMap, scopes: readonly string[], path: readonly string[], children: TreeNode[]): Arg[] {
    const args: Arg[] = [];
    for (const key of Object.keys(sources)) {
      if (key === "__proto__") {
        throw new DeclarationError("DEPENDS_INVALID_SOURCE", 'A source cannot be named "__proto__" (it would set the prototype of the values object)', { route: this.#route, path });
      }
      const source = sources[key];
      const kind = sourceKind(source);
      switch (kind) {
        case "depends":
        case "security": {
          const use = source as DependsSource<unknown> | SecuritySource<unknown>;
          const child = this.use(use, key, scopes, path);
          children.push(child);
          args.push({ key, kind: "slot", slot: child.slot });
          break;
        }
        case "securityScopes":
          args.push({ key, kind: "const", value: securityScopesOf(scopes) });
          break;
        case "request":
        case "rawRequest":
        case "rawReply":
          args.push({ key, kind });
          break;
        case "param":
          args.push(this.#param(key, source as ParamSource<unknown>, path));
          break;
        default:
          throw new DeclarationError(
            "DEPENDS_INVALID_SOURCE",
            `Source "${key}" is not a source (use Depends, Security, SecurityScopes, Request, RawRequest, RawReply, Path, Query, Header, Cookie, Body or Form)${isDependency(source) ? `: wrap the dependency as Depends(${key})` : ""}`,
            { route: this.#route, path },
          );
      }
    }
    return args;
  }

  /**
   * Compiles each alternative of `anyOf` into a sub-plan of its own (same scopes, same cycle path).
   * Their request parameters join the route's, so that they are validated and documented with it.
   */
  #alternatives(spec: AlternativesSpec, scopes: readonly string[], path: readonly string[], children: TreeNode[]): { args: Arg[]; call: Step["call"] } {
    const subPlans: SubPlan[] = [];
    for (const [via, use] of Object.entries(spec.uses)) {
      const sub = new TreeCompiler(this.#route, this.#overrides, this.#onPath);
      const child = sub.use(use as DependsSource<unknown>, via, scopes, path);
      children.push(child);
      this.params.push(...sub.params);
      this.bodyArgs.push(...sub.bodyArgs);
      const result: Step = { name: path[path.length - 1] ?? via, call: (values) => values.value, callKind: "sync", args: [{ key: "value", kind: "slot", slot: child.slot }], teardown: "request" };
      subPlans.push({ via, plan: { steps: [...sub.steps, result], inputs: () => undefined, validates: false, runner: undefined } });
    }
    const args: Arg[] = [
      { key: "request", kind: "request" },
      { key: "scope", kind: "scope" },
      { key: "inputs", kind: "inputs" },
    ];
    return { args, call: alternativesCall(subPlans, spec) };
  }

  #param(key: string, source: ParamSource<unknown>, path: readonly string[]): Arg {
    const wire = wireName(key, source);
    this.params.push({ key, wire, source, path });
    const location = source.location === "form" ? "body" : source.location;
    if (location === "body") {
      const arg = { key, kind: "input" as const, input: INPUT.body, name: wire as string | undefined };
      this.bodyArgs.push(arg);
      return arg;
    }
    return { key, kind: "input", input: INPUT[location], name: wire };
  }

  #usesScopesOf(dep: Dependency, path: readonly string[]): boolean {
    const known = this.#usesScopes.get(dep);
    if (known !== undefined) return known;
    this.#usesScopes.set(dep, false); // provisional, breaks cycles (reported by the walk itself)
    const definition = definitionOf(dep);
    let uses = definition.scheme !== undefined;
    for (const source of [...Object.values(definition.sources), ...Object.values(definition.alternatives?.uses ?? {})]) {
      if (uses) break;
      const kind = sourceKind(source);
      if (kind === "securityScopes") uses = true;
      else if (kind === "depends" || kind === "security") {
        const use = source as DependsSource<unknown>;
        uses = use.scopes.length > 0 || this.#usesScopesOf(this.#overrides?.get(use.dependency) ?? use.dependency, path);
      }
    }
    this.#usesScopes.set(dep, uses);
    return uses;
  }

  #noteFunctionScoped(node: TreeNode, use: Use, hit: TreeNode | undefined): void {
    const below = use.scope === "function" ? node.path : this.#functionScopedBelow.get(hit ?? node);
    if (below) this.#functionScopedBelow.set(node, below);
  }

  #checkLifetime(node: TreeNode, children: readonly TreeNode[]): void {
    for (const child of children) {
      const below = this.#functionScopedBelow.get(child);
      if (!below) continue;
      if (node.teardown === "request") {
        throw new DeclarationError(
          "DEPENDS_SCOPE_MISMATCH",
          `The dependency "${node.definition.name}" has a teardown scope of "request"; it cannot depend on "${below[below.length - 1]}", whose scope is "function" (it would be torn down first)`,
          { route: this.#route, path: below },
        );
      }
      this.#functionScopedBelow.set(node, below);
    }
  }
}
