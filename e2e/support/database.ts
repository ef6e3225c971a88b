import postgres from "postgres";

/** The database a URL names; the names are ours ([a-z0-9_] only), so they go into the statements below as they are. */
export function databaseName(url: string): string {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name '${name}' must be [a-z0-9_]`);
  return name;
}

/**
 * A fresh, empty database on the PostgreSQL server the URL names: the app migrates it when it starts
 * (instrumentation), exactly as in production; the unit suite's global setup migrates it itself.
 */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.unsafe(`create database ${name}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
