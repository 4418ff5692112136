import type { RequestScope } from "@depends/core/adapter";
import type { FastifyBaseLogger } from "fastify";
import type { WebSocket as Socket } from "ws";

/** How a connection refused after the handshake is closed (a `WebSocketException`, a validation error). */
export interface CloseFrame {
  readonly code: number;
  readonly reason: string;
}

function abortError(): DOMException {
  return new DOMException("The client closed the connection before the WebSocket handshake completed", "AbortError");
}

/**
 * One WebSocket connection from the handshake request to the socket's close. The plan runs in
 * the route's `preHandler` (before the upgrade); its handler step hands the dependency values over
 * ({@link Connection.handOver}) and waits for the user's handler, which runs once the socket is
 * accepted ({@link Connection.accept}). Request-scoped teardowns run once, when the socket is gone
 * and the plan has settled, whichever comes last; a client that leaves before the upgrade makes the
 * waiting plan fail with an `AbortError` (so its generators see it).
 */
export class Connection {
  readonly scope: RequestScope | undefined;
  readonly #log: FastifyBaseLogger;
  /** The dependency values, once every dependency ran. */
  values: Record<string, unknown> | undefined = undefined;
  /** Set when the dependencies refused the connection with a close code rather than a status. */
  refusal: (CloseFrame & { readonly errors: unknown }) | undefined = undefined;
  socket: Socket | undefined = undefined;
  /** The plan's outcome: fulfilled once it settled successfully, rejected with the error it failed with. */
  outcome: Promise<void> = Promise.resolve();
  #handed: () => void = noop;
  #finish: (error?: unknown) => void = noop;
  #running = true;
  #gone = false;
  #scopeClosed = false;

  /** Resolves when the values are handed over (the dependencies all ran). */
  readonly handed: Promise<void>;

  constructor(scope: RequestScope | undefined, log: FastifyBaseLogger) {
    this.scope = scope;
    this.#log = log;
    this.handed = new Promise((resolve) => (this.#handed = resolve));
  }

  /** The plan's handler step: keeps the values and waits until the user's handler has returned. */
  handOver(values: Record<string, unknown>): Promise<void> {
    if (this.#gone) return Promise.reject(abortError());
    this.values = values;
    const finished = new Promise<void>((resolve, reject) => {
      this.#finish = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#handed();
    return finished;
  }

  /** The handshake was accepted: the user's handler may run. */
  accept(socket: Socket): void {
    this.socket = socket;
  }

  /** The user's handler returned (or threw `error`): the plan's function-scoped teardowns run now. */
  finished(error?: unknown): void {
    const finish = this.#finish;
    this.#finish = noop;
    finish(error);
  }

  /** The plan settled (success or error): request-scoped teardowns may run once the socket is gone. */
  settled(): void {
    this.#running = false;
    if (this.#gone) this.#closeScope();
  }

  /** Whether the underlying socket closed. */
  get isGone(): boolean {
    return this.#gone;
  }

  /** The underlying socket closed (either side, an error, or an abort before the upgrade). */
  gone(): void {
    if (this.#gone) return;
    this.#gone = true;
    // Values handed over but never accepted (the upgrade was abandoned): the plan stops waiting.
    if (this.socket === undefined) this.finished(abortError());
    if (!this.#running) this.#closeScope();
  }

  #closeScope(): void {
    if (this.#scopeClosed || this.scope === undefined) return;
    this.#scopeClosed = true;
    const closing = this.scope.close();
    closing?.then(
      (failure) => {
        if (failure !== undefined) this.#log.error({ err: failure }, "a request-scoped dependency of a WebSocket route failed in its teardown, after the connection closed");
      },
      /* c8 ignore next */ (failure: unknown) => this.#log.error({ err: failure }, "a request-scoped dependency of a WebSocket route failed in its teardown"),
    );
  }
}

function noop(): void {}
