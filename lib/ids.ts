import { monotonicFactory } from "ulid";

const nextUlid = monotonicFactory();

/** Public ids are opaque, prefixed and time-ordered ("ord_01JD…"), so index inserts stay local. */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid().toLowerCase()}`;
}
