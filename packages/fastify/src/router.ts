import { DeclarationError, type Dependency, type RouteDependency, type SourceMap, type ValuesOf } from "@depends/core";
import type { FastifyPluginAsync, HTTPMethods } from "fastify";
import fp from "fastify-plugin";
import { contextDependencies, excluding, withContext } from "./inherit.js";
import { type FlatRoute, mountRoute } from "./mount.js";
import { checkPrefix, type HandlerValue, type ResponseSchemas, type RouteHandler, type RouteOptions, routeOptionsOf, type RouteSpec } from "./route-options.js";
import { PLUGIN_NAME, stateOf } from "./state.js";
import { mountWebSocketRoute } from "./ws-mount.js";
import { isWebSocketSpec, type WebSocketShorthand, webSocketSpec } from "./ws-route-options.js";

/**
 * Options of {@link router} and of {@link Router.include} / {@link Router.plugin}: FastAPI's
 * `APIRouter(prefix, tags, dependencies)` and `include_router(prefix, tags, dependencies)`.
 *
 * @example
 * ```ts
 * const users = router({ prefix: "/users", tags: ["users"], dependencies: [Depends(verifyKey)] });
 * ```
 */
export interface RouterOptions {
  /** Starts with "/", does not end with one. */
  readonly prefix?: string;
  readonly tags?: readonly string[];
  /** Run before every route's own dependencies; values discarded, `Security` scopes allowed. */
  readonly dependencies?: readonly RouteDependency[];
  /**
   * On an include or a mount: inherited dependencies (of the app and the including routers) that
   * the included routes do not run.
   */
  readonly excludeDependencies?: readonly Dependency[];
}

/**
 * A router's context: dependencies whose values every handler of the router receives, typed,
 * under these keys (FastAPI users redeclare them on each route).
 *
 * @example
 * ```ts
 * const context = { user: Security(getCurrentUser, { scopes: ["me"] }) } satisfies RouterContext;
 * ```
 */
export type RouterContext = Readonly<Record<string, RouteDependency>>;

/**
 * Options of {@link router}: those of an include, plus the router's typed `context`.
 *
 * @example
 * ```ts
 * const me = router({ prefix: "/me", context: { user: Security(getCurrentUser, { scopes: ["me"] }) } });
 * me.get("/", ({ user }) => user); // user: User, not redeclared
 * ```
 */
export interface RouterDeclaration<C extends RouterContext = {}> extends RouterOptions {
  /**
   * Dependencies whose values each handler of this router receives under these keys (typed), after
   * the route's own `dependencies`; a route's own use of the same dependency shares the call. The
   * routes of routers it includes run them without receiving the values.
   */
  readonly context?: C;
}

/**
 * The three ways to declare a route for one method: `(path, sources, handler)`,
 * `(path, options, handler)` with `options.sources`, or `(path, handler)` when the handler needs nothing.
 *
 * @example
 * ```ts
 * api.get("/status/", { user: Depends(getCurrentUser) }, () => ({ status: "ok" }));
 * api.get("/users/me/", { sources: { user: Depends(getCurrentActiveUser) }, response: { 200: User } }, ({ user }) => user);
 * api.get("/health", () => ({ ok: true }));
 * ```
 */
export interface RouteShorthand<Self, C extends SourceMap = {}> {
  // The handler's value is its own type parameter, checked against the response schemas once `Rs` is
  // known: typing the handler as `RouteHandler<S, Rs>` makes tsc evaluate typebox's `Static` over
  // the generic `TSchema` while it tries this overload (1.3 million instantiations, ~8 s).
  <const S extends SourceMap = {}, const Rs extends ResponseSchemas = {}, R extends HandlerValue<Rs> = HandlerValue<Rs>>(
    path: string,
    options: RouteOptions<S, Rs>,
    handler: (values: ValuesOf<C & S>) => R | PromiseLike<R>,
  ): Self;
  <const S extends SourceMap>(path: string, sources: S, handler: RouteHandler<C & S>): Self;
  (path: string, handler: RouteHandler<C>): Self;
}

type AnySpec = RouteSpec<SourceMap, ResponseSchemas>;
type Entry = { readonly route: AnySpec } | { readonly router: Router<RouterContext>; readonly options: RouterOptions };

interface Context {
  readonly prefix: string;
  readonly tags: readonly string[];
  readonly dependencies: readonly RouteDependency[];
  /** Dependencies excluded on the way (by includes), for the report. */
  readonly excluded: readonly string[];
}

/**
 * A group of routes in the spirit of FastAPI's `APIRouter`: a prefix, tags and dependencies shared
 * by its routes and by the routers it includes. Nothing is compiled until it is mounted with
 * {@link Router.plugin}; each mount compiles its routes once.
 *
 * @example
 * ```ts
 * const api = router({ prefix: "/users" });
 * api.get("/me/", { currentUser: Security(getCurrentActiveUser, { scopes: ["me"] }) }, ({ currentUser }) => currentUser);
 * await app.register(dependsPlugin);
 * await app.register(api.plugin());
 * ```
 */
export class Router<C extends RouterContext = {}> {
  readonly prefix: string;
  readonly tags: readonly string[];
  readonly dependencies: readonly RouteDependency[];
  /** The router's context: values its handlers receive. */
  readonly context: C;
  readonly #entries: Entry[] = [];
  // Set when a mount first reads this router: routes added later would be silently missing from
  // that application, so adding them is refused.
  #mounted = false;

  constructor(options: RouterDeclaration<C> = {}) {
    this.prefix = checkPrefix(options.prefix);
    this.tags = Object.freeze([...(options.tags ?? [])]);
    this.dependencies = Object.freeze([...(options.dependencies ?? [])]);
    this.context = Object.freeze({ ...(options.context ?? ({} as C)) });
  }

  /** Declares a GET route. @example `api.get("/items/{itemId}", { itemId: Path(Type.Integer()) }, ({ itemId }) => ({ itemId }))` */
  readonly get: RouteShorthand<this, C> = this.#shorthand("GET");
  /** Declares a POST route. @example `api.post("/items/", { item: Body(Item) }, ({ item }) => item)` */
  readonly post: RouteShorthand<this, C> = this.#shorthand("POST");
  /** Declares a PUT route. @example `api.put("/items/{id}", { id: Path(Type.Integer()), item: Body(Item) }, save)` */
  readonly put: RouteShorthand<this, C> = this.#shorthand("PUT");
  /** Declares a PATCH route. @example `api.patch("/items/{id}", { id: Path(Type.Integer()), patch: Body(ItemPatch) }, update)` */
  readonly patch: RouteShorthand<this, C> = this.#shorthand("PATCH");
  /** Declares a DELETE route. @example `api.delete("/items/{id}", { sources: { id: Path(Type.Integer()) }, status: 204 }, remove)` */
  readonly delete: RouteShorthand<this, C> = this.#shorthand("DELETE");
  /** Declares a HEAD route (GET routes answer HEAD already). @example `api.head("/ping", () => null)` */
  readonly head: RouteShorthand<this, C> = this.#shorthand("HEAD");
  /** Declares an OPTIONS route. @example `api.options("/items/", () => ({ methods: ["GET"] }))` */
  readonly options: RouteShorthand<this, C> = this.#shorthand("OPTIONS");

  /**
   * Declares a WebSocket route (FastAPI's `@app.websocket`), mounted with `@fastify/websocket`:
   * dependencies run before the handshake is accepted, the handler gets the socket through the
   * `WebSocket` source.
   *
   * @example
   * ```ts
   * api.websocket("/ws/items", { socket: WebSocket, user: Security(getUserFromQuery, { scopes: ["items"] }) }, ({ socket, user }) => {
   *   socket.on("message", (data) => socket.send(`${user.username}: ${String(data)}`));
   * });
   * ```
   */
  readonly websocket: WebSocketShorthand<this> = ((path: string, a: unknown, b?: unknown) => this.route(webSocketSpec(path, a, b) as never)) as WebSocketShorthand<this>;

  /**
   * Declares a route from one object, for any method fastify supports.
   *
   * @example
   * ```ts
   * api.route({ method: "GET", path: "/users/me/", sources: { user: Depends(getCurrentActiveUser) }, response: { 200: User }, handler: ({ user }) => user });
   * ```
   */
  route<const S extends SourceMap = {}, const Rs extends ResponseSchemas = {}, R extends HandlerValue<Rs> = HandlerValue<Rs>>(
    spec: Omit<RouteSpec<S, Rs>, "handler"> & { readonly handler: (values: ValuesOf<C & S>) => R | PromiseLike<R> },
  ): this {
    if (typeof spec.handler !== "function") throw new DeclarationError("DEPENDS_INVALID_HANDLER", "A route needs a handler function", { route: `${spec.method} ${spec.path}` });
    this.#refuseAfterMount(`${String(spec.method).toUpperCase()} ${this.prefix}${spec.path}`);
    this.#entries.push({ route: spec as unknown as AnySpec });
    return this;
  }

  /**
   * Includes another router's routes (FastAPI's `include_router`): their paths get this router's
   * prefix then `options.prefix`; tags and dependencies run outer first (app, include, router, route).
   *
   * @example
   * ```ts
   * const api = router({ dependencies: [Depends(verifyKey)] });
   * api.include(users, { prefix: "/v1", tags: ["v1"] });
   * ```
   */
  include(router: Router<RouterContext>, options: RouterOptions = {}): this {
    if (!(router instanceof Router)) throw new DeclarationError("DEPENDS_INVALID_INCLUDE", "include() needs a router made with router()");
    checkPrefix(options.prefix);
    this.#refuseAfterMount(`include of a router${router.prefix ? ` with prefix ${router.prefix}` : ""}`);
    this.#entries.push({ router, options });
    return this;
  }

  /**
   * The fastify plugin that mounts this router's routes (after `dependsPlugin`), with optional
   * include options at application level. Declaration errors reject the registration.
   *
   * @example
   * ```ts
   * await app.register(api.plugin());
   * await app.register(admin.plugin({ prefix: "/admin", dependencies: [Security(getAdmin, { scopes: ["admin"] })] }));
   * ```
   */
  plugin(options: RouterOptions = {}): FastifyPluginAsync {
    const prefix = checkPrefix(options.prefix);
    const mount = async (instance: Parameters<FastifyPluginAsync>[0]): Promise<void> => {
      const state = stateOf(instance);
      const kept = excluding(state.dependencies, options.excludeDependencies, `mount${prefix ? ` at ${prefix}` : ""}`);
      const context: Context = { prefix, tags: options.tags ?? [], dependencies: [...kept.dependencies, ...(options.dependencies ?? [])], excluded: kept.excluded };
      for (const flat of this.#flatten(context, [])) (isWebSocketSpec(flat.spec) ? mountWebSocketRoute : mountRoute)(instance, state, flat);
    };
    return fp(mount, { name: `${PLUGIN_NAME}/router`, dependencies: [PLUGIN_NAME], encapsulate: true, fastify: "5.x" });
  }

  /**
   * Refuses a declaration made after a mount read this router (DEPENDS_ROUTER_MOUNTED): fastify
   * has compiled its routes, so a later one would never answer. Declare every route first, or
   * build a new router for the next application.
   */
  #refuseAfterMount(what: string): void {
    if (!this.#mounted) return;
    throw new DeclarationError(
      "DEPENDS_ROUTER_MOUNTED",
      "The router was already mounted (app.register(router.plugin()) ran), so this would never be routed: declare every route before registering the router",
      { route: what },
    );
  }

  /** Flattens the tree under `outer` (outer prefix, tags and dependencies first). */
  #flatten(outer: Context, including: readonly Router<RouterContext>[]): FlatRoute[] {
    if (including.includes(this as Router<RouterContext>)) throw new DeclarationError("DEPENDS_INCLUDE_CYCLE", "A router cannot include itself, directly or through another router");
    this.#mounted = true;
    const here: Context = {
      prefix: outer.prefix + this.prefix,
      tags: [...outer.tags, ...this.tags],
      dependencies: [...outer.dependencies, ...this.dependencies],
      excluded: outer.excluded,
    };
    const flat: FlatRoute[] = [];
    for (const entry of this.#entries) {
      if ("route" in entry) {
        const spec = entry.route;
        const path = here.prefix + spec.path;
        if (path === "") throw new DeclarationError("DEPENDS_EMPTY_PATH", `${spec.method}: a route path and its prefixes cannot all be empty`);
        const name = `${String(spec.method).toUpperCase()} ${path}`;
        const kept = excluding(here.dependencies, spec.excludeDependencies, name);
        const own = spec.sources ?? {};
        const sources = withContext(this.context, own, name);
        flat.push({
          spec: sources === own ? spec : { ...spec, sources },
          path,
          tags: [...here.tags, ...(spec.tags ?? [])],
          dependencies: [...kept.dependencies, ...(spec.dependencies ?? [])],
          excluded: [...here.excluded, ...kept.excluded],
        });
      } else {
        const { router, options } = entry;
        const kept = excluding([...here.dependencies, ...contextDependencies(this.context)], options.excludeDependencies, `include of a router${router.prefix ? ` with prefix ${router.prefix}` : ""}`);
        const inner: Context = {
          prefix: here.prefix + checkPrefix(options.prefix),
          tags: [...here.tags, ...(options.tags ?? [])],
          dependencies: [...kept.dependencies, ...(options.dependencies ?? [])],
          excluded: [...here.excluded, ...kept.excluded],
        };
        flat.push(...router.#flatten(inner, [...including, this as Router<RouterContext>]));
      }
    }
    return flat;
  }

  #shorthand(method: HTTPMethods): RouteShorthand<this, C> {
    const declare = (path: string, a: object, b?: RouteHandler<SourceMap, ResponseSchemas>): this => {
      if (typeof a === "function") return this.route({ method, path, handler: a as RouteHandler<SourceMap, ResponseSchemas> } as never);
      if (a === null || typeof a !== "object") throw new DeclarationError("DEPENDS_INVALID_ROUTE_ARGUMENTS", `expected sources or route options, got ${a === null ? "null" : typeof a}`, { route: `${method} ${path}` });
      if (typeof b !== "function") throw new DeclarationError("DEPENDS_INVALID_HANDLER", "A route needs a handler function", { route: `${method} ${path}` });
      return this.route({ ...routeOptionsOf(a, `${method} ${path}`), method, path, handler: b } as never);
    };
    return declare as RouteShorthand<this, C>;
  }
}

/**
 * Creates a {@link Router}.
 *
 * @example
 * ```ts
 * const items = router({ prefix: "/items", tags: ["items"], dependencies: [Depends(verifyToken)] });
 * items.get("/", { q: Query(Type.String(), { required: false }) }, ({ q }) => search(q));
 * const me = router({ context: { user: Security(getCurrentUser, { scopes: ["me"] }) } });
 * me.get("/me/", ({ user }) => user);
 * ```
 */
export function router<const C extends RouterContext = {}>(options?: RouterDeclaration<C>): Router<C> {
  return new Router<C>(options);
}
