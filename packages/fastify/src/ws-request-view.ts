import type { FastifyReply, FastifyRequest } from "fastify";
import type { WebSocket as Socket } from "ws";
import { RequestView } from "./request-view.js";
import type { Connection } from "./ws-connection.js";

/**
 * The core's view of a WebSocket handshake request: the HTTP request view (path, query, headers,
 * cookies of the upgrade request) plus the connection the route's handler step hands its values to.
 */
export class WebSocketView extends RequestView {
  readonly connection: Connection;

  constructor(raw: FastifyRequest, reply: FastifyReply, connection: Connection) {
    super(raw, reply, undefined);
    this.connection = connection;
  }

  /** None: a WebSocket has no response to run tasks after (refused at registration; see docs/background-tasks.md). */
  override get backgroundTasks(): undefined {
    return undefined;
  }

  /** The accepted socket; `undefined` while dependencies run (before the handshake is accepted). */
  get websocket(): Socket | undefined {
    return this.connection.socket;
  }
}
