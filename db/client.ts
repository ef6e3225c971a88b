import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";

// No relational query API (db.query.*): the code uses the query builder and SQL only, and without a schema Drizzle
// does not build a query helper per table for every transaction it opens.
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** What domain functions take: the database, or a transaction already open on it. */
export type DbOrTx = Db | Tx;

export type DatabaseHandle =
  | { mode: "postgres"; db: Db; sql: postgres.Sql; url: string; close: () => Promise<void> }
  | { mode: "embedded"; db: Db; pglite: PGlite; dataDir: string; close: () => Promise<void> };

/** Connections per process to PostgreSQL when DATABASE_POOL_MAX is unset (commands take fewer: lib/cli/database.ts). */
export const APP_POOL_MAX = 10;

/** The data directory of embedded mode; "memory://" keeps it in memory (tests). */
export function embeddedDataDir(): string {
  const dir = env().DATA_DIR;
  return dir.startsWith("memory://") ? dir : path.resolve(/*turbopackIgnore: true*/ dir);
}

export function createDatabase(options: { url?: string; dataDir?: string; poolMax?: number } = {}): DatabaseHandle {
  const { DATABASE_URL, DATABASE_POOL_MAX, DATABASE_PREPARE } = env();
  const url = options.url ?? DATABASE_URL;
  if (url) {
    const sql = postgres(url, {
      max: options.poolMax ?? DATABASE_POOL_MAX ?? APP_POOL_MAX,
      onnotice: () => {},
      // Timestamps arrive as Date through Drizzle; cursors read microseconds in SQL (see lib/api/pagination.ts).
    });
    // DATABASE_PREPARE=false for a pooler that cannot keep prepared statements (PgBouncer before 1.21).
    const client = DATABASE_PREPARE ? preparingStatements(sql) : sql;
    const db = drizzlePostgres(client, { casing: "snake_case" }) as unknown as Db;
    return { mode: "postgres", db, sql, url, close: () => sql.end({ timeout: 5 }) };
  }
  const dataDir = options.dataDir ?? embeddedDataDir();
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the trigram indexes of the support search's "contains" (migration 0009) need it, as on PostgreSQL.
  const pglite = new PGlite(dataDir, { extensions: { pg_trgm } });
  const db = drizzlePglite(pglite, { casing: "snake_case" }) as unknown as Db;
  return { mode: "embedded", db, pglite, dataDir, close: () => pglite.close() };
}

/**
 * Drizzle runs every statement through postgres.js `unsafe()` with `prepare: false` (drizzle-orm#6096), and
 * postgres.js then sends a parameterized statement in two round trips: Parse/Describe to learn the parameter
 * types, then Bind/Execute. Preparing them makes it one round trip from the second use on a connection (the
 * statement cache is per connection and goes with it), and spares PostgreSQL the parse and plan.
 * The same applies inside transactions and savepoints, whose clients postgres.js creates.
 */
function preparingStatements<T extends postgres.Sql | postgres.TransactionSql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "unsafe") {
        return (query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, args, { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (value as (...a: unknown[]) => unknown).apply(target, [...args, (tx: postgres.TransactionSql) => fn(preparingStatements(tx))]);
        };
      }
      return value.bind(target);
    },
  });
}

// One handle per process, kept on globalThis: Next bundles route handlers and instrumentation separately,
// and dev hot reload re-evaluates modules; both would otherwise open a second pool or a second PGlite.
const globalForDb = globalThis as unknown as { __hubDatabase?: DatabaseHandle };

/** The process-wide database. Created on first use, never at import time. */
export function database(): DatabaseHandle {
  globalForDb.__hubDatabase ??= createDatabase();
  return globalForDb.__hubDatabase;
}

export function getDb(): Db {
  return database().db;
}

/** Replaces the process-wide handle (CLI commands that connect elsewhere, test setup). */
export function setDatabase(handle: DatabaseHandle): void {
  globalForDb.__hubDatabase = handle;
}

/** Raw SQL returning rows, the same shape in both modes. */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** The rows of a raw statement's result: postgres.js answers the rows, PGlite a result holding them. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
