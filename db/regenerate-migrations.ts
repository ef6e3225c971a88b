/**
 * Until the first release, the schema ships as ONE initial migration regenerated from db/schema, plus the
 * hand-written SQL that drizzle-kit cannot express (db/sql/*.sql, applied in name order as custom migrations).
 * After a release this script is retired and migrations become incremental (`npm run db:generate -- --name …`).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "db/migrations");
const kit = (...args: string[]) => execFileSync("npx", ["drizzle-kit", "generate", ...args], { cwd: root, stdio: "inherit" });

rmSync(out, { recursive: true, force: true });
kit("--name", "init");
for (const file of readdirSync(path.join(root, "db/sql")).sort()) {
  const name = file.replace(/^\d+_/, "").replace(/\.sql$/, "");
  kit("--custom", "--name", name);
  const generated = readdirSync(out).find((f) => f.endsWith(`_${name}.sql`));
  if (!generated) throw new Error(`drizzle-kit did not create the custom migration ${name}`);
  writeFileSync(path.join(out, generated), readFileSync(path.join(root, "db/sql", file)));
}
