import type { Database, Unlisten } from "./db/database.js";
import { findHero, HERO_CHANNEL, type HeroEvent, publicHero } from "./heroes.js";

/**
 * This instance's side of the live feed: one `LISTEN` on the database, fanned out to every
 * WebSocket subscribed here. Changes committed by any instance arrive through `NOTIFY`.
 */
export class HeroFeed {
  readonly #db: Database;
  readonly #subscribers = new Set<(message: string) => void>();
  readonly #onError: (error: unknown) => void;
  #unlisten: Unlisten | undefined;

  constructor(db: Database, onError: (error: unknown) => void = () => {}) {
    this.#db = db;
    this.#onError = onError;
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#db.listen(HERO_CHANNEL, (payload) => {
      this.#deliver(payload).catch(this.#onError);
    });
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = undefined;
    this.#subscribers.clear();
  }

  /** Calls `send` with each event's JSON text until the returned function is called. */
  subscribe(send: (message: string) => void): () => void {
    this.#subscribers.add(send);
    return () => this.#subscribers.delete(send);
  }

  get size(): number {
    return this.#subscribers.size;
  }

  async #deliver(payload: string): Promise<void> {
    const parsed = JSON.parse(payload) as HeroEvent | { event: HeroEvent["event"]; id: number };
    let message = payload;
    if (!("hero" in parsed)) {
      // Announced by id (too large for a notification): read it; a deleted one is gone, say its id.
      const hero = parsed.event === "deleted" ? undefined : await findHero(this.#db, parsed.id);
      message = JSON.stringify({ event: parsed.event, hero: hero ? publicHero(hero) : { id: parsed.id } });
    }
    for (const send of this.#subscribers) send(message);
  }
}
