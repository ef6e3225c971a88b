import { fillPlaceholders, sql, type Placeholder, type Query, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { rowsOf, type DbOrTx } from "./client";

/** The placeholders a statement's SQL is written with: `p.orderId` stands for the value bound on each run. */
export type Placeholders<V> = { readonly [K in keyof V & string]: Placeholder<K, V[K]> };

/** Values, or the placeholders a statement binds them to: what SQL fragments shared by statements and ad-hoc queries take. */
export type Params<V> = { readonly [K in keyof V & string]: V[K] | Placeholder<K, V[K]> };

/** A statement built once: run it with the database (or transaction) and its values, get its rows. */
export type Statement<V, R> = (db: DbOrTx, values: V) => Promise<R[]>;

// The same casing as the database handles (db/client.ts): column references render the same names.
const dialect = new PgDialect({ casing: "snake_case" });
const placeholders = new Proxy({} as Record<string, Placeholder>, { get: (_, name) => (typeof name === "string" ? sql.placeholder(name) : undefined) });

/** The postgres.js client behind a session (the pool's, or a transaction's); PGlite sessions have none. */
type DriverSession = { client?: { unsafe?: (query: string, args: unknown[], options: { simple: boolean }) => Promise<unknown> } };

/**
 * A statement of a hot path whose SQL text is rendered once per process: `build` is written with placeholders
 * (drizzle's `sql.placeholder`, by name) and each run only binds the values. Rendering a Drizzle `sql` template walks
 * every chunk of it, which on the order path cost about as much CPU as the rest of the app's own code. The text is
 * the same on every run, so PostgreSQL prepares it once per connection (see preparingStatements in db/client.ts).
 * Lists go in as one JSON text value (`::text::jsonb`), so the text does not depend on their length.
 * `build` must read request values only through `p`: anything else it computes is fixed at the first run.
 *
 * With postgres.js the text goes straight to the session's client (five promises fewer per statement than
 * Drizzle's prepared-query layers, each of which pays for the request's async context under Next); with PGlite
 * through Drizzle's session.
 */
export function statement<V extends Record<string, unknown>, R = Record<string, unknown>>(build: (p: Placeholders<V>) => SQL): Statement<V, R> {
  let query: Query | undefined;
  return async (db, values) => {
    query ??= dialect.sqlToQuery(build(placeholders as Placeholders<V>));
    const session = db._.session;
    const driver = (session as unknown as DriverSession).client;
    // simple: false, or postgres.js sends a statement without parameters as a simple query: parsed and planned
    // on every run (the feeds' horizon read cost PostgreSQL 1 ms a request that way, 0.1 ms prepared).
    if (driver?.unsafe) return (await driver.unsafe(query.sql, fillPlaceholders(query.params, values), { simple: false })) as R[];
    return rowsOf<R>(await session.prepareQuery(query, undefined, undefined, false).execute(values));
  };
}
