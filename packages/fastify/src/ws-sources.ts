import { DeclarationError, type TreeNode, WebSocket } from "@depends/core";

function reachesSocket(nodes: readonly TreeNode[], path: string[]): string[] | undefined {
  for (const node of nodes) {
    if (Object.values(node.definition.sources).includes(WebSocket)) return [...path, ...node.path];
    const below = reachesSocket(node.children, path);
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
  const path = reachesSocket(route.nodes, []);
  if (path === undefined) return;
  throw new DeclarationError(
    "DEPENDS_WEBSOCKET_SOURCE",
    http
      ? "The WebSocket source is only for WebSocket routes: declare the route with api.websocket()"
      : "A dependency cannot use the WebSocket source: dependencies run before the handshake is accepted, when there is no socket yet; read the handshake with CurrentRequest or parameters, and only the route's handler declares WebSocket",
    { route: route.route, path },
  );
}
