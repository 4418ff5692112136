import { afterResponse, type BackgroundTask, BackgroundTaskQueue, type RequestScope } from "@depends/core/adapter";
import type { FastifyReply, FastifyRequest } from "fastify";
import { stateOf } from "./state.js";
import { kScope, kTasks } from "./symbols.js";

/**
 * A request's background tasks, as the adapter keeps them: they run only when the route's handler
 * value became the response, never after an error response (FastAPI attaches them to the
 * handler's response only). `answeredWith` is the status the handler's value was answered with;
 * an error after that (a response that fails serialisation, a failing `onSend` hook) answers
 * with another status, and the tasks are dropped.
 */
export class ReplyTasks extends BackgroundTaskQueue {
  answeredWith: number | undefined = undefined;
  readonly reply: FastifyReply;

  constructor(reply: FastifyReply) {
    super();
    this.reply = reply;
  }

  /** Whether the response sent is the handler's value. */
  get answered(): boolean {
    return this.answeredWith !== undefined && this.answeredWith === this.reply.statusCode;
  }
}

type TasksRequest = FastifyRequest & { [kTasks]: ReplyTasks | null; [kScope]: unknown };

function logTaskError(request: FastifyRequest): (error: unknown, task: BackgroundTask) => void {
  return (error, task) => request.log.error({ err: error, task: task.name, index: task.index }, "a background task failed after the response");
}

/**
 * Runs the request's background tasks, if its handler's value was the response, then `close`
 * (the request-scoped teardowns) with the first task's error thrown in (FastAPI's order).
 * Returns `false` when there is nothing to run, leaving `close` to the caller.
 */
export function runTasksThenClose(request: FastifyRequest, scope: RequestScope | undefined, error: unknown, logTeardown: (failure: unknown) => void): boolean {
  const tasks = (request as TasksRequest)[kTasks];
  if (tasks === null) return false;
  const run = tasks.answered ? tasks : undefined;
  if (run === undefined) tasks.abandon(); // an error response: FastAPI drops the tasks
  const work = afterResponse(run, undefined, logTaskError(request)).then(async ({ taskError }) => {
    const failure = scope === undefined ? undefined : await scope.close(error ?? taskError);
    if (failure !== undefined) logTeardown(failure);
  });
  stateOf(request.server).afterResponse.track(tasks, work.catch(/* c8 ignore next */ (failure: unknown) => logTeardown(failure)));
  return true;
}

/**
 * The queue the `BackgroundTasks` source injects, made on first use. A route without a request
 * scope runs it when the reply's socket side is done; a scoped route runs it from its teardown
 * hooks, before the scope closes.
 */
export function tasksFor(request: FastifyRequest, reply: FastifyReply): ReplyTasks {
  const r = request as TasksRequest;
  const existing = r[kTasks];
  if (existing !== null) return existing;
  const tasks = new ReplyTasks(reply);
  r[kTasks] = tasks;
  if (r[kScope] === null) reply.raw.once("close", () => runTasksThenClose(request, undefined, undefined, noop));
  return tasks;
}

const noop = (): void => {};

/** The handler's value is the response: its background tasks will run after it. */
export function answered(request: FastifyRequest): void {
  const tasks = (request as TasksRequest)[kTasks];
  if (tasks !== null) tasks.answeredWith = tasks.reply.statusCode;
}


/**
 * The response did not complete as the handler's value (a streamed body failed or its client went
 * away): its background tasks are dropped, as Starlette drops them when a streaming response fails.
 */
export function notAnswered(request: FastifyRequest): void {
  const tasks = (request as TasksRequest)[kTasks];
  if (tasks !== null) tasks.answeredWith = undefined;
}
