import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedDatabaseServer } from "@/lib/cli/embedded-server";

// The app's PGlite served to a command-line client, as the running app does in embedded mode.
let pglite: PGlite;
let server: EmbeddedDatabaseServer;
let url: string;

beforeAll(async () => {
  pglite = new PGlite("memory://");
  await pglite.exec("create table notes (id serial primary key, body text not null)");
  server = new EmbeddedDatabaseServer(pglite, { port: 0 });
  const { host, port } = await server.start();
  url = `postgres://postgres@${host}:${port}/postgres`;
});

afterAll(async () => {
  await server.stop();
  await pglite.close();
});

const client = () => postgres(url, { max: 1, prepare: false, onnotice: () => {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("embedded database server", () => {
  it("answers queries over the wire protocol, with parameters", async () => {
    const sql = client();
    await sql`insert into notes (body) values (${"from the command line"})`;
    const rows = await sql<{ body: string }[]>`select body from notes where body = ${"from the command line"}`;
    expect(rows.map((r) => r.body)).toEqual(["from the command line"]);
    await sql.end();
  });

  it("never lets a client's statement land inside the app's transaction", async () => {
    const sql = client();
    await sql`select 1`; // connected: this client now holds the database until it leaves
    await sql.end();

    // The app opens a transaction and, while it is open, a command writes; then the app rolls back.
    let appInside!: () => void;
    const appStarted = new Promise<void>((r) => (appInside = r));
    const app = pglite
      .transaction(async (tx) => {
        await tx.query("insert into notes (body) values ('app, rolled back')");
        appInside();
        // Long enough for the command's insert to arrive while the transaction is open.
        await sleep(500);
        await tx.rollback();
      })
      .catch(() => undefined);
    await appStarted;
    const cli = client();
    await cli`insert into notes (body) values ('cli, committed')`;
    await cli.end();
    await app;

    const { rows } = await pglite.query<{ body: string }>("select body from notes where body like '%committed' or body like '%rolled back' order by id");
    // The command's row survived the app's rollback: it ran after the app's transaction, not inside it.
    expect(rows.map((r) => r.body)).toEqual(["cli, committed"]);
  });

  it("keeps the app out of a client's open transaction, and rolls it back when the client vanishes", async () => {
    const sql = client();
    const reserved = await sql.reserve();
    await reserved`begin`;
    await reserved`insert into notes (body) values ('cli, never committed')`;

    let appDone = false;
    const app = pglite.query("insert into notes (body) values ('app, after the client')").then(() => (appDone = true));
    await sleep(200);
    expect(appDone).toBe(false); // the app waits while the client holds the database

    reserved.release();
    await sql.end({ timeout: 0 }); // the client goes away mid-transaction
    await app;
    const { rows } = await pglite.query<{ body: string }>("select body from notes where body like 'cli, never%' or body like 'app, after%'");
    expect(rows.map((r) => r.body)).toEqual(["app, after the client"]);
    expect(pglite.isInTransaction()).toBe(false);
  });

  it("lets one client prepare a statement name another client uses next", async () => {
    for (let i = 0; i < 2; i++) {
      const sql = postgres(url, { max: 1, onnotice: () => {} }); // prepared statements on: names restart per client
      const [row] = await sql<{ n: number }[]>`select ${i}::int as n`;
      expect(row.n).toBe(i);
      await sql.end();
    }
  });
});
