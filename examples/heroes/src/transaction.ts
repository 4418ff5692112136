import { Depends, dependency } from "@depends/core";
import type { Transaction } from "./db/database.js";
import { getDatabase } from "./services.js";

/**
 * A request's transaction, as a yield dependency: `BEGIN` before the handler, `COMMIT` when it
 * returns, `ROLLBACK` when it (or a dependency after this one) throws; the error is then answered
 * as usual. Use it with `{ scope: "function" }`: the commit happens before the response is sent,
 * so a client never sees a success that was not committed (a failed COMMIT is a 500).
 *
 * On PGlite an open transaction holds the whole database: declare it after the sources that read
 * without it (the current user), which then run first.
 */
export const getTransaction = dependency({ db: Depends(getDatabase, { scope: "app" }) }, async function* transaction({ db }): AsyncGenerator<Transaction, void> {
  const tx = await db.begin();
  try {
    yield tx;
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  await tx.commit();
});
