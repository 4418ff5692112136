import type { FastifyInstance, FastifyReply } from "fastify";
import { kRunning } from "./symbols.js";

type Then = (this: FastifyReply, onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => unknown;
type RunningReply = FastifyReply & { [kRunning]: boolean };
type HiddenThen = { then?: Then | undefined };

/** fastify's own `then`, the first one up the reply's prototype chain that is not `ours`. */
function inheritedThen(reply: FastifyReply, ours: Then): Then {
  let proto: object | null = Object.getPrototypeOf(reply) as object | null;
  while (proto !== null && (!Object.hasOwn(proto, "then") || (proto as { then: unknown }).then === ours)) proto = Object.getPrototypeOf(proto) as object | null;
  return (proto as { then: Then }).then;
}

/**
 * Makes the application's replies safe to return from a dependency or handler. fastify's reply is
 * thenable: awaiting it waits until the response is sent. JavaScript awaits whatever an async
 * function returns, so an async dependency that returns the reply (`async ({ reply }) => reply`)
 * would wait for a response that only comes after the run: a request hung forever. While a route's
 * run is in progress (`kRunning`, set by the route handler) and nothing was sent, awaiting the
 * reply gives the reply itself, at once; otherwise it is fastify's `then`, unchanged (so `return
 * reply` after `reply.send()`, and plain fastify routes, behave as fastify documents).
 */
export function installReplyGuard(fastify: FastifyInstance): void {
  fastify.decorateReply(kRunning as unknown as string, false);
  let fastifys: Then | undefined;
  const then: Then = function then(this: FastifyReply, onFulfilled, onRejected) {
    const reply = this as RunningReply;
    if (reply[kRunning] && !reply.sent) {
      // Resolve with the reply as a plain value: a promise resolved with a thenable would call
      // `then` again, so `then` is hidden for that one call (deleting the last-added own property
      // returns the object to its previous shape).
      (reply as unknown as HiddenThen).then = undefined;
      try {
        onFulfilled?.(reply);
      } finally {
        delete (reply as unknown as HiddenThen).then;
      }
      return undefined;
    }
    fastifys ??= inheritedThen(reply, then);
    return fastifys.call(reply, onFulfilled, onRejected);
  };
  fastify.decorateReply("then", then as unknown as FastifyReply["then"]);
}

/** Marks the reply's route run as in progress (`true`) or settled (`false`). */
export function setRunning(reply: FastifyReply, running: boolean): void {
  (reply as RunningReply)[kRunning] = running;
}
