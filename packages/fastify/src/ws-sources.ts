import { BackgroundTasks, DeclarationError, type TreeNode, WebSocket } from "@depends/core";

function reachesSource(nodes: readonly TreeNode[], path: string[], source: object): string[] | undefined {
  for (const node of nodes) {
    if ((Object.values(node.definition.sources) as unknown[]).includes(source)) return [...path, ...node.path];
    const below = reachesSource(node.children, path, source);
    if (below !== undefined) return below;
  }
  return undefined;
}

/**
 * Refuses the `WebSocket` source where no socket can be given (`DEPENDS_WEBSOCKET_SOURCE`): in a
 * dependency (dependencies run before the handshake is accepted, when there is no socket yet), or
 * anywhere on an HTTP route.
 */
export function refuseSocketSource(route: { readonly route: string; readonly nodes: readonly TreeNode[] }, handlerSources: object | undefined, http: boolean): void {
  if (http && handlerSources !== undefined && Object.values(handlerSources).includes(WebSocket)) {
    throw new DeclarationError("DEPENDS_WEBSOCKET_SOURCE", "The WebSocket source is only for WebSocket routes: declare the route with api.websocket()", { route: route.route });
  }
  const path = reachesSource(route.nodes, [], WebSocket);
  if (path === undefined) return;
  throw new DeclarationError(
    "DEPENDS_WEBSOCKET_SOURCE",
    http
      ? "The WebSocket source is only for WebSocket routes: declare the route with api.websocket()"
      : "A dependency cannot use the WebSocket source: dependencies run before the handshake is accepted, when there is no socket yet; read the handshake with CurrentRequest or parameters, and only the route's handler declares WebSocket",
    { route: route.route, path },
  );
}

/**
 * Refuses `BackgroundTasks` on a WebSocket route (`DEPENDS_WEBSOCKET_BACKGROUND_TASKS`): there is
 * no response to run them after. FastAPI accepts the parameter there and never runs the tasks.
 */
export function refuseBackgroundTasks(route: { readonly route: string; readonly nodes: readonly TreeNode[] }, handlerSources: object | undefined): void {
  const inHandler = handlerSources !== undefined && Object.values(handlerSources).includes(BackgroundTasks);
  const path = inHandler ? [] : reachesSource(route.nodes, [], BackgroundTasks);
  if (path === undefined) return;
  throw new DeclarationError(
    "DEPENDS_WEBSOCKET_BACKGROUND_TASKS",
    "BackgroundTasks is not available on a WebSocket route: there is no response to run tasks after (FastAPI would silently never run them); do the work in the handler, or after the socket closes",
    { route: route.route, path },
  );
}
