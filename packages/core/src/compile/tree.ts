import { type AlternativesSpec, type Dependency, type DependencyDefinition, definitionOf, isDependency } from "../dependency.js";
import { alternativesCall, type SubPlan } from "./alternatives.js";
import type { CompileCache } from "./cache.js";
import { securityScopesOf } from "./intern.js";
import { TREE_LIMITS } from "./limits.js";
import { DeclarationError } from "../errors.js";
import { type ParamSource, wireName } from "../params.js";
import { assertScopeTokens } from "../scope-token.js";
import { type DependsSource, type SecuritySource, type SourceMap, type TeardownScope, sourceKind } from "../sources.js";
import { type Arg, INPUT, type Step } from "./steps.js";
import { compileAppNode } from "../lifetime/app-node.js";

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
  readonly lazy?: boolean;
  readonly scopes: readonly string[];
}

/**
 * The overrides a walk applies: a registry read at one version (the walk is synchronous, so it
 * sees one consistent set).
 */
export interface OverrideLookup {
  get(original: Dependency): Dependency | undefined;
}

/** How many uses one route's walk has visited, shared with its `anyOf` sub-walks. */
interface Budget {
  uses: number;
}

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
  readonly #overrides: OverrideLookup | undefined;
  readonly #app: CompileCache;
  readonly #budget: Budget;
  readonly #cache = new Map<string, TreeNode>();
  /** Dependencies being walked, outermost first: `#onPath[i]` is `path[i + 1]` (path[0] is the route). */
  readonly #onPath: Dependency[] = [];
  readonly #usesScopes: Map<Dependency, boolean> | WeakMap<Dependency, boolean>;
  readonly #functionScopedBelow = new WeakMap<TreeNode, readonly string[]>();

  constructor(route: string, overrides: OverrideLookup | undefined, app: CompileCache, onPath: readonly Dependency[] = [], budget: Budget = { uses: 0 }) {
    this.#route = route;
    this.#overrides = overrides;
    this.#app = app;
    this.#budget = budget;
    // Without overrides, whether a dependency uses scopes depends on its declaration alone: every
    // route of the application shares the answer. (A cycle leaves provisional answers behind, but
    // every route that reaches one fails on the cycle itself.)
    this.#usesScopes = overrides === undefined ? app.declaredUsesScopes : new Map();
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
    this.#withinLimits(path);
    assertScopeTokens(use.scopes, { route: this.#route, path });
    const seenAt = this.#onPath.indexOf(runs);
    if (seenAt >= 0) {
      const cycle = [...parentPath.slice(seenAt + 1), name];
      throw new DeclarationError("DEPENDS_CYCLE", `Dependency cycle: ${cycle.join(" -> ")}`, { route: this.#route, path });
    }
    if (use.scope === "app") return this.#appUse(use, key, parentPath, path);
    const scopes = dedupe(parentScopes, use.scopes);
    const teardown = definition.callKind === "generator" || definition.callKind === "asyncGenerator" ? (use.scope ?? "request") : undefined;
    const usesScopes = use.scopes.length > 0 || this.#usesScopesOf(runs, path.length - 1);
    const cacheKey = `${this.#app.idOf(original)}|${teardown ?? ""}|${usesScopes ? scopes.join(" ") : ""}`;
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

  /**
   * An app-scoped use: its subtree is compiled apart (lifetime rules checked there) and the route
   * gets one step that reads the application's value.
   */
  #appUse(use: Use, key: string | undefined, parentPath: readonly string[], path: readonly string[]): TreeNode {
    const original = use.dependency;
    const lazy = use.lazy === true;
    const app = this.#app.appScope;
    const cacheKey = `${this.#app.idOf(original)}|app|`;
    const hit = this.#cache.get(cacheKey);
    if (hit) return { ...hit, path, key, children: [], cachedFrom: hit.cachedFrom ?? hit };
    const node = compileAppNode(original, { lazy, route: this.#route, path: parentPath, key }, this.#app, this.#overrides, [...this.#onPath]);
    if (this.#overrides === undefined) app.declare(original, { lazy, route: this.#route, path: parentPath, key });
    const treeNode: TreeNode = {
      path, key, dependency: original, definition: node.definition, overridden: node.overridden, ownScopes: [], scopes: [],
      useCache: true, teardown: "app", children: [], cachedFrom: undefined, slot: this.steps.length,
    };
    this.steps.push({ name: path[path.length - 1] ?? node.definition.name, call: app.reader(node), callKind: "sync", args: [], teardown: "request" });
    this.#cache.set(cacheKey, treeNode);
    return treeNode;
  }

  /** Compiles the handler's own sources; returns its args. */
  root(sources: SourceMap, path: readonly string[], children: TreeNode[]): Arg[] {
    return this.#sources(sources, [], path, children);
  }

  #sources(sources: SourceMap, scopes: readonly string[], path: readonly string[], children: TreeNode[]): Arg[] {
    const args: Arg[] = [];
    for (const key of Object.keys(sources)) {
      if (key === "__proto__") {
        throw new DeclarationError("DEPENDS_RESERVED_SOURCE_NAME", 'A source cannot be named "__proto__" (it would set the prototype of the values object)', { route: this.#route, path });
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
          args.push({ key, kind: "const", value: securityScopesOf(this.#app, scopes) });
          break;
        case "request":
        case "rawRequest":
        case "rawReply":
        case "websocket":
        case "backgroundTasks":
          args.push({ key, kind });
          break;
        case "param":
          args.push(this.#param(key, source as ParamSource<unknown>, path));
          break;
        default:
          throw new DeclarationError(
            "DEPENDS_INVALID_SOURCE",
            `Source "${key}" is not a source (use Depends, Security, SecurityScopes, CurrentRequest, RawRequest, RawReply, WebSocket, BackgroundTasks, Path, Query, Header, Cookie, Body or Form)${isDependency(source) ? `: wrap the dependency as Depends(${key})` : ""}`,
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
      const sub = new TreeCompiler(this.#route, this.#overrides, this.#app, this.#onPath, this.#budget);
      const child = sub.use(use as DependsSource<unknown>, via, scopes, path);
      children.push(child);
      this.params.push(...sub.params);
      this.bodyArgs.push(...sub.bodyArgs);
      const result: Step = { name: path[path.length - 1] ?? via, call: (values) => values.value, callKind: "sync", args: [{ key: "value", kind: "slot", slot: child.slot }], teardown: "request" };
      subPlans.push({ via, steps: [...sub.steps, result] });
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
    const location = source.location === "form" || source.location === "file" ? "body" : source.location;
    if (location === "body") {
      const arg = { key, kind: "input" as const, input: INPUT.body, name: wire as string | undefined };
      this.bodyArgs.push(arg);
      return arg;
    }
    return { key, kind: "input", input: INPUT[location], name: wire };
  }

  /** Fails before the walk's recursion could come near the stack's capacity, or its work explode. */
  #withinLimits(path: readonly string[]): void {
    if (path.length - 1 > TREE_LIMITS.depth) {
      throw new DeclarationError(
        "DEPENDS_TREE_TOO_DEEP",
        `The dependency tree is more than ${TREE_LIMITS.depth} levels deep (look for a chain built in a loop, or flatten it)`,
        { route: this.#route, path: [...path.slice(0, 3), "...", ...path.slice(-3)] },
      );
    }
    if (++this.#budget.uses > TREE_LIMITS.uses) {
      throw new DeclarationError(
        "DEPENDS_TREE_TOO_LARGE",
        `The dependency tree has more than ${TREE_LIMITS.uses} uses (is \`useCache: false\` repeating a shared sub-tree?)`,
        { route: this.#route, path: [...path.slice(0, 3), ...(path.length > 6 ? ["..."] : []), ...path.slice(Math.max(3, path.length - 3))] },
      );
    }
  }

  #usesScopesOf(dep: Dependency, depth: number): boolean {
    const known = this.#usesScopes.get(dep);
    if (known !== undefined) return known;
    // This look-ahead recurses down the declarations too: it must fail before the stack does.
    if (depth > TREE_LIMITS.depth) {
      throw new DeclarationError("DEPENDS_TREE_TOO_DEEP", `The dependency tree is more than ${TREE_LIMITS.depth} levels deep (look for a chain built in a loop, or flatten it)`, {
        route: this.#route,
        path: [definitionOf(dep).name],
      });
    }
    this.#usesScopes.set(dep, false); // provisional, breaks cycles (reported by the walk itself)
    let uses: boolean;
    try {
      uses = this.#sourcesUseScopes(definitionOf(dep), depth);
    } catch (error) {
      this.#usesScopes.delete(dep); // never leave a provisional answer behind for other routes
      throw error;
    }
    this.#usesScopes.set(dep, uses);
    return uses;
  }

  #sourcesUseScopes(definition: DependencyDefinition, depth: number): boolean {
    if (definition.scheme !== undefined) return true;
    for (const source of [...Object.values(definition.sources), ...Object.values(definition.alternatives?.uses ?? {})]) {
      const kind = sourceKind(source);
      if (kind === "securityScopes") return true;
      if (kind === "depends" || kind === "security") {
        const use = source as DependsSource<unknown>;
        if (use.scopes.length > 0 || this.#usesScopesOf(this.#overrides?.get(use.dependency) ?? use.dependency, depth + 1)) return true;
      }
    }
    return false;
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
