import type { HttpRequest } from "@depends/core";
import { parseCookieHeader } from "@depends/core/adapter";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { BackgroundTaskQueue } from "@depends/core/adapter";
import { tasksFor } from "./background-tasks.js";
import type { FormReader } from "./form-body.js";

/**
 * The core's view of a fastify request: one small object per request whose getters read the
 * request lazily, so a route pays only for what its plan reads. Cookies are parsed on first use
 * (`@fastify/cookie` is not required).
 */
export class RequestView implements HttpRequest {
  readonly raw: FastifyRequest;
  readonly reply: FastifyReply;
  readonly #form: FormReader | undefined;
  #cookies: Readonly<Record<string, string>> | undefined = undefined;

  constructor(raw: FastifyRequest, reply: FastifyReply, form: FormReader | undefined) {
    this.raw = raw;
    this.reply = reply;
    this.#form = form;
  }

  get method(): string {
    return this.raw.method;
  }

  get url(): string {
    return this.raw.url;
  }

  get params(): Readonly<Record<string, unknown>> {
    return (this.raw.params ?? {}) as Readonly<Record<string, unknown>>;
  }

  get query(): Readonly<Record<string, unknown>> {
    return (this.raw.query ?? {}) as Readonly<Record<string, unknown>>;
  }

  get headers(): Readonly<Record<string, string | readonly string[] | undefined>> {
    return this.raw.headers;
  }

  get cookies(): Readonly<Record<string, string | undefined>> {
    return (this.#cookies ??= parseCookieHeader(this.raw.headers.cookie));
  }

  /** The request's background tasks, made on first use (FastAPI's `BackgroundTasks`). */
  get backgroundTasks(): BackgroundTaskQueue | undefined {
    return tasksFor(this.raw, this.reply);
  }

  get body(): unknown {
    return this.#form === undefined ? this.raw.body : this.#form.read(this.raw);
  }
}
