// A real `ws` client over a real socket, with the outcomes tests wait for: messages in order,
// the close frame, or the HTTP status of a refused handshake.
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { WebSocket } from "ws";

export interface Client {
  readonly socket: WebSocket;
  /** Resolves once the handshake is accepted; rejects with the HTTP status when it is refused. */
  readonly opened: Promise<void>;
  /** The next message (text), in order. */
  next(): Promise<string>;
  /** The close frame the client received (or 1006 when the connection dropped without one). */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The status and body of a refused handshake. */
  readonly refused: Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
}

export function within<T>(promise: Promise<T>, ms = 3000, what = "the promise"): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms))]);
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export function connect(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Client {
  const socket = new WebSocket(url, options.protocols, { headers: options.headers });
  const queue: string[] = [];
  const waiting: ((message: string) => void)[] = [];
  socket.on("message", (data) => {
    const text = String(data);
    const waiter = waiting.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  let refuse!: (value: { status: number; body: string; headers: Record<string, unknown> }) => void;
  const refused = new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve) => (refuse = resolve));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += String(chunk)));
      res.on("end", () => {
        refuse({ status: res.statusCode ?? 0, body, headers: res.headers });
        socket.terminate();
      });
      reject(new Error(`handshake refused with ${String(res.statusCode)}`));
    });
    socket.once("error", reject);
  });
  opened.catch(() => {});
  socket.on("error", () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
  return {
    socket,
    opened,
    closed,
    refused,
    next: () => {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return within(new Promise<string>((resolve) => waiting.push(resolve)), 3000, "the next message");
    },
  };
}
