import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { e2eDatabaseUrl, e2ePort, serverEnv } from "./playwright-env";

const run = promisify(execFile);

/** A name no other spec or earlier run uses: every spec makes its own accounts and users. */
export function uniqueName(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

type CliTarget = { databaseUrl?: string; dataDir?: string };

/** A command runs with the configuration of the servers it works beside: the same secrets seal and open the same rows. */
function cliEnv(target: CliTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...serverEnv(target.dataDir ? undefined : (target.databaseUrl ?? e2eDatabaseUrl), e2ePort) };
  if (target.dataDir) env.DATA_DIR = target.dataDir;
  return env;
}

/** Runs one of the project's npm scripts as an operator would, returning its stdout. */
export async function npmScript(script: string, args: string[], target: CliTarget = {}): Promise<string> {
  try {
    const { stdout } = await run("npm", ["run", "--silent", script, "--", ...args], { env: cliEnv(target), timeout: 60_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`npm run ${script} ${args.join(" ")} failed: ${e.message}\n${e.stderr ?? ""}${e.stdout ?? ""}`);
  }
}

export type KeyOptions = { account: string; env?: "sandbox" | "live"; role?: "partner" | "warehouse" } & CliTarget;

/** Issues an API key with the real CLI (`npm run --silent apikey`), whose stdout is the key alone. */
export async function issueKey(options: KeyOptions): Promise<string> {
  const args = ["--account", options.account, "--env", options.env ?? "sandbox"];
  if (options.role) args.push("--role", options.role);
  const key = (await npmScript("apikey", args, options)).trim();
  if (!/^wms_(test|live)_[A-Za-z0-9]+$/.test(key)) throw new Error(`apikey printed something other than a key: ${JSON.stringify(key)}`);
  return key;
}

export type DashboardUser = { email: string; password: string; role: string };

/** Creates a dashboard user with the real CLI (`npm run --silent user`). */
export async function createDashboardUser(role: "support" | "warehouse" | "ops" | "admin" = "support", target: CliTarget = {}): Promise<DashboardUser> {
  const email = `${uniqueName(role)}@example.test`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  await npmScript("user", ["--email", email, "--role", role, "--password", password], target);
  return { email, password, role };
}
