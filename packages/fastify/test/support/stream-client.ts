// Real-socket helpers for the streaming tests: an app listening on 127.0.0.1:0 and a node:http
// client that can read, pause and abort a response.
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface Received {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
  /** The response ended with its terminating chunk (false: the connection was cut mid-stream). */
  complete: boolean;
}

/** GETs (or `method`s) `url` and reads the whole body; a cut connection resolves with `complete: false`. */
export function fetchAll(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: false }));
      res.on("aborted", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: false }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Opens a response and hands it over unread (paused), for abort and back-pressure tests. */
export function open(url: string, headers?: Record<string, string>): Promise<{ res: IncomingMessage; abort: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      res.pause();
      resolve({ res, abort: () => req.destroy() });
    });
    req.on("error", (error) => {
      if ((error as NodeJS.ErrnoException).code !== "ECONNRESET" && error.message !== "socket hang up") reject(error);
    });
    req.end();
  });
}

/** Reads from a paused response until `predicate` holds on what was read. */
export function readUntil(res: IncomingMessage, predicate: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (predicate(text)) {
        res.off("data", onData);
        res.pause();
        resolve(text);
      }
    };
    res.on("data", onData);
    res.once("end", () => resolve(text));
    res.once("error", reject);
    res.resume();
  });
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export function within<T>(promise: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
