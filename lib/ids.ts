import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";

// ulid draws one random byte per character through crypto.getRandomValues: 16 calls into the crypto module per id,
// a dozen ids per order. Drawing from a pooled buffer keeps the same cryptographic source at a fraction of the cost.
const pool = new Uint8Array(4096);
let offset = pool.length;

function pooledRandom(): number {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++] / 0x100;
}

const nextUlid = monotonicFactory(pooledRandom);

/** Public ids are opaque, prefixed and time-ordered ("ord_01JD…"), so index inserts stay local. */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid().toLowerCase()}`;
}
