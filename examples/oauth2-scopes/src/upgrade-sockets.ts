import type { Socket } from "node:net";
import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";

/**
 * Closes the socket of an upgrade request that a route answered over HTTP instead of upgrading it
 * (an upgrade to `/users/me/items/`, to an unknown path, or a refused handshake). @fastify/websocket
 * routes every upgrade request through fastify on a response bound to the raw socket, which Node's
 * HTTP server no longer manages: without this, that socket stayed open after the answer. Registered
 * per upgrade, not per request, so HTTP requests pay nothing for it.
 *
 * @example
 * ```ts
 * await app.register(websocket);
 * closeAnsweredUpgrades(app);
 * ```
 */
export function closeAnsweredUpgrades(app: FastifyInstance): void {
  const onUpgrade = (_request: unknown, socket: Socket): void => {
    // @fastify/websocket's listener ran first and bound its response to the socket (`assignSocket`).
    const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (response == null) return;
    // An upgraded socket belongs to `ws` (its response is hijacked and never finishes).
    response.once("finish", () => socket.end());
  };
  app.addHook("onReady", function listenForUpgrades(done) {
    app.server.on("upgrade", onUpgrade);
    done();
  });
  app.addHook("preClose", function stopListening(done) {
    app.server.removeListener("upgrade", onUpgrade);
    done();
  });
}
