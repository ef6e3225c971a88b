import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase, getDb, queryRows } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { onPostgres } from "@/e2e/support/vitest-env";
import { statement } from "./statement";

describe("statement", () => {
  it("renders its SQL once and binds each run's own values, by name, in both database modes", async () => {
    let renders = 0;
    const echo = statement<{ word: string; count: number; list: string }, { word: string; twice: number; items: number }>((p) => {
      renders += 1;
      return sql`select ${p.word}::text as word, ${p.count}::int * 2 as twice, jsonb_array_length(${p.list}::text::jsonb) as items`;
    });
    expect(await echo(getDb(), { word: "first", count: 1, list: "[]" })).toEqual([{ word: "first", twice: 2, items: 0 }]);
    // Hostile text is a bound value, never SQL.
    const hostile = "'; drop table orders; --";
    expect(await echo(getDb(), { word: hostile, count: 21, list: JSON.stringify([1, 2, 3]) })).toEqual([{ word: hostile, twice: 42, items: 3 }]);
    expect(renders).toBe(1);
  });

  it("runs inside a transaction, and a failure rolls back what the statement wrote", async () => {
    const table = `statement_probe_${Date.now().toString(36)}`;
    await getDb().execute(sql.raw(`create table ${table} (id text primary key)`));
    const insert = statement<{ id: string }>((p) => sql`insert into ${sql.identifier(table)} (id) values (${p.id}) returning id`);
    const count = async () => (await queryRows<{ n: number }>(getDb(), sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
    try {
      await inTransaction(getDb(), async (tx) => {
        expect(await insert(tx, { id: "a" })).toEqual([{ id: "a" }]);
      });
      await expect(
        inTransaction(getDb(), async (tx) => {
          await insert(tx, { id: "b" });
          await insert(tx, { id: "a" }); // primary key violation: the transaction rolls back "b" with it
        }),
      ).rejects.toThrow();
      expect(await count()).toBe(1);
    } finally {
      await getDb().execute(sql.raw(`drop table ${table}`));
    }
  });

  it.skipIf(!onPostgres)("is prepared on its connection even without parameters (PostgreSQL only)", async () => {
    // One connection, so that the statement and the look at its prepared statements share a session.
    const handle = createDatabase({ url: process.env.TEST_DATABASE_URL, poolMax: 1 });
    try {
      const marker = `statement_probe_${Date.now().toString(36)}`;
      const now = statement<Record<string, never>, { ok: boolean }>(() => sql`select true as ${sql.identifier(marker)}`);
      for (let i = 0; i < 3; i++) expect(await now(handle.db, {})).toHaveLength(1);
      const prepared = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`}`);
      expect(prepared[0].n).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
