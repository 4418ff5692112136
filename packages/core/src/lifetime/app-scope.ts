import type { CompileCache } from "../compile/cache.js";
import type { Dependency } from "../dependency.js";
import type { DependencyOverrides } from "../overrides.js";
import { type AppNode, compileAppNode } from "./app-node.js";
import { AppScopeError } from "./app-scope-error.js";

type Generator_ = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;

/** One app-scoped value: being made, made (maybe with a teardown), or retired. */
interface Entry {
  readonly node: AppNode;
  promise: Promise<unknown>;
  settled: boolean;
  value: unknown;
  /** `false` once torn down or replaced: readers holding it look again. */
  live: boolean;
  generator: Generator_ | undefined;
}

/** Where an app-scoped use was declared, for startup. */
interface Declared {
  lazy: boolean;
  readonly route: string | undefined;
  readonly path: readonly string[];
  readonly key: string | undefined;
}

/**
 * Options of {@link AppScope.close}.
 *
 * @example
 * ```ts
 * await appScope.close({ onError: (error, path) => log.error({ err: error, path }, "teardown failed") });
 * ```
 */
export interface AppScopeCloseOptions {
  /** Called for each teardown that throws; every other teardown still runs. */
  readonly onError?: (error: unknown, path: readonly string[]) => void;
}

/**
 * The app-scoped values of one application (`Depends(dep, { scope: "app" })`): each made once,
 * at {@link AppScope.start} (in dependency order, independent ones concurrently) or on first use
 * (`lazy: true`, or any use before start), and torn down in reverse order of creation by
 * {@link AppScope.close}. It belongs to the application's `CompileCache` (`cache.appScope`), so
 * two applications in one process never share a value; the fastify plugin starts it in `onReady`
 * and closes it in `onClose`, and exposes it as `app.appScope`.
 *
 * When an override changes what an app-scoped dependency runs, the next request makes the new
 * value and tears down the replaced one (requests still using it finish with it).
 *
 * @example
 * ```ts
 * import { CompileCache } from "@depends/core/adapter";
 * const cache = new CompileCache();
 * const route = compileRoute({ method: "GET", path: "/n", sources: { pool: Depends(getPool, { scope: "app" }) }, handler: ({ pool }) => pool.size }, { cache });
 * await cache.appScope.start();
 * await route.execute(createRequest());
 * await cache.appScope.close();
 * ```
 */
export class AppScope {
  /** @internal The application's compile cache. */
  readonly cache: CompileCache;
  /** The overrides applied at startup (set by adapters to the application's registry). */
  overrides: DependencyOverrides | undefined = undefined;
  /** Where teardown errors go outside {@link AppScope.close} (a replaced value, a failed start): adapters log them. */
  onTeardownError: ((error: unknown, path: readonly string[]) => void) | undefined = undefined;
  readonly #entries = new Map<Dependency, Entry>();
  /** Made values, in order of creation: torn down in reverse. */
  readonly #made: Entry[] = [];
  readonly #declared = new Map<Dependency, Declared>();
  readonly #readers = new Map<string, () => unknown>();
  #starting: Promise<void> | undefined;
  #closed = false;

  constructor(cache: CompileCache) {
    this.cache = cache;
  }

  /** Whether {@link AppScope.close} ran: no value can be made any more. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many values are alive. */
  get size(): number {
    return this.#made.length;
  }

  /** @internal Notes a declared app-scoped use, made at startup unless every use of it is lazy. */
  declare(dependency: Dependency, at: Declared): void {
    const known = this.#declared.get(dependency);
    if (known === undefined) this.#declared.set(dependency, { ...at });
    else if (!at.lazy) known.lazy = false;
  }

  /** Whether the application declares `dependency` app-scoped (some route uses it with `scope: "app"`). */
  declares(dependency: Dependency): boolean {
    return this.#declared.has(dependency);
  }

  /**
   * @internal The step call that reads `node`'s value: the value itself once made (one property
   * read per request), a promise while it is being made.
   */
  reader(node: AppNode): () => unknown {
    const id = `${this.cache.idOf(node.key)}:${node.signature}`;
    let read = this.#readers.get(id);
    if (read === undefined) {
      let entry: Entry | undefined;
      read = () => (entry !== undefined && entry.live && entry.settled ? entry.value : this.#obtain(node, (e) => (entry = e)));
      this.#readers.set(id, read);
    }
    return read;
  }

  /**
   * Makes every declared app-scoped value that is not lazy, with the overrides in force. On a
   * failure, waits for the others, tears down whatever was made and rejects with an
   * {@link AppScopeError} naming the dependency path. Idempotent.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (this.#closed) throw new Error("The application scope is closed");
    const nodes: AppNode[] = [];
    for (const [dependency, at] of this.#declared) {
      if (!at.lazy) nodes.push(compileAppNode(dependency, { lazy: false, route: at.route, path: at.path, key: at.key }, this.cache, this.overrides));
    }
    const results = await Promise.allSettled(nodes.map((node) => this.#obtain(node)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed === undefined) return;
    await this.#teardown((error, path) => this.onTeardownError?.(error, path)); // logged: they cannot hide the startup failure
    this.#entries.clear();
    throw failed.reason;
  }

  /**
   * Tears down every value, last made first (after any still being made), and refuses to make
   * more. A teardown that throws goes to `onError`; the others still run. Resolves to the errors.
   */
  async close(options: AppScopeCloseOptions = {}): Promise<readonly unknown[]> {
    this.#closed = true;
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.promise));
    const errors: unknown[] = [];
    await this.#teardown((error, path) => {
      errors.push(error);
      (options.onError ?? this.onTeardownError)?.(error, path);
    });
    this.#entries.clear();
    return errors;
  }

  /** The value of `node` (made now if needed), for {@link resolve} and the step readers. */
  #obtain(node: AppNode, remember?: (entry: Entry) => void): unknown {
    if (this.#closed) throw new Error(`The application is closed: cannot make the app-scoped dependency ${node.path.join(" -> ")}`);
    let entry = this.#entries.get(node.key);
    if (entry !== undefined && entry.node.signature !== node.signature) {
      // An override changed what runs: retire the replaced value once nothing is making it.
      const replaced = entry;
      void replaced.promise.then(() => this.#retire(replaced), () => {});
      entry = undefined;
    }
    if (entry === undefined) entry = this.#make(node);
    remember?.(entry);
    return entry.settled ? entry.value : entry.promise;
  }

  #make(node: AppNode): Entry {
    const entry: Entry = { node, promise: undefined as unknown as Promise<unknown>, settled: false, value: undefined, live: true, generator: undefined };
    this.#entries.set(node.key, entry);
    entry.promise = this.#create(node, entry).then(
      (value) => {
        entry.value = value;
        entry.settled = true;
        this.#made.push(entry);
        return value;
      },
      (error: unknown) => {
        entry.live = false;
        if (this.#entries.get(node.key) === entry) this.#entries.delete(node.key); // a later use tries again
        throw error instanceof AppScopeError ? error : new AppScopeError(node.path, error);
      },
    );
    entry.promise.catch(() => {}); // reported to whoever awaits it, never as unhandled
    return entry;
  }

  async #create(node: AppNode, entry: Entry): Promise<unknown> {
    const values: Record<string, unknown> = {};
    const children = await Promise.all(node.children.map((child) => this.#obtain(child.node)));
    node.children.forEach((child, i) => (values[child.key] = children[i]));
    const { call, callKind } = node.definition;
    if (callKind === "sync" || callKind === "async") return await call(values);
    const generator = call(values) as Generator_;
    const first = await generator.next();
    if (first.done) throw new Error(`Dependency "${node.definition.name}" finished without yielding a value; a generator dependency must yield exactly once`);
    entry.generator = generator;
    return first.value;
  }

  /** Tears down one value (a replaced one), reporting nothing: the next close does not see it. */
  async #retire(entry: Entry): Promise<void> {
    const index = this.#made.indexOf(entry);
    if (index < 0) return;
    this.#made.splice(index, 1);
    entry.live = false;
    await finish(entry).catch((error: unknown) => this.onTeardownError?.(error, entry.node.path));
  }

  async #teardown(onError: (error: unknown, path: readonly string[]) => void): Promise<void> {
    while (this.#made.length > 0) {
      const entry = this.#made.pop() as Entry;
      entry.live = false;
      try {
        await finish(entry);
      } catch (error) {
        onError(error, entry.node.path);
      }
    }
  }
}

async function finish(entry: Entry): Promise<void> {
  const generator = entry.generator;
  if (generator === undefined) return;
  entry.generator = undefined;
  const result = await generator.next();
  if (!result.done) throw new Error(`Dependency "${entry.node.definition.name}" yielded more than once; a dependency must yield exactly one value`);
}
