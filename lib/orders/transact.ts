import type { DbOrTx, Tx } from "@/db/client";
import { inTransaction } from "@/db/transaction";

/**
 * A transaction on the database, or a savepoint when the caller already holds one (a channel intake that
 * creates an order inside its own transaction). Deadlock victims are retried only at the top level.
 */
export function transact<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("rollback" in db) return db.transaction(fn);
  return inTransaction(db, fn);
}
