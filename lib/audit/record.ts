import { userInfo } from "node:os";
import type { Tx } from "@/db/client";
import { auditLog, type Environment } from "@/db/schema";
import { newId } from "@/lib/ids";

export const AUDIT_SOURCES = ["dashboard", "cli", "api"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/** Who made a change, and through what. */
export type AuditActor = { actor: string; actorRole?: string | null; source: AuditSource };

/**
 * What one change did. `before` is absent for a creation, `after` for a deletion; both are plain JSON snapshots of
 * the fields a person would compare (secrets never: see snapshotOf). `accountId`/`environment` when the entity is a
 * tenant's, so the log can be read per account.
 */
export type AuditChange = {
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  accountId?: string | null;
  environment?: Environment | null;
};

export type AuditRecord = AuditActor & AuditChange;

/** A dashboard user as the log names them: their email and the role they acted in. */
export function dashboardActor(user: { email: string; role: string }): AuditActor {
  return { actor: user.email, actorRole: user.role, source: "dashboard" };
}

/** A command run from a shell: "cli:<os user>", or the name given with --actor. */
export function cliActor(name?: string): AuditActor {
  return { actor: `cli:${name?.trim() || osUser()}`, actorRole: null, source: "cli" };
}

function osUser(): string {
  try {
    return userInfo().username || "unknown";
  } catch {
    // A container user with no passwd entry has no name to give.
    return "unknown";
  }
}

const SECRET_KEY = /secret|password|token|hash/i;

/**
 * A value as the log keeps it: JSON (dates as ISO strings, undefined dropped), with any string under a key that
 * names a secret replaced, so a snapshot taken of a whole row never stores a webhook secret, a token or a hash.
 */
export function snapshotOf(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key && SECRET_KEY.test(key) && typeof v === "string" ? "[redacted]" : v)));
}

/**
 * Appends changes to the audit log on the transaction that makes them: the change and its record commit together
 * or not at all. Takes a transaction, not the database, so a record can never be written apart from its change.
 */
export async function recordAudit(tx: Tx, entries: AuditRecord | readonly AuditRecord[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditRecord];
  if (!list.length) return;
  await tx.insert(auditLog).values(
    list.map((entry) => ({
      id: newId("aud"),
      actor: entry.actor,
      actorRole: entry.actorRole ?? null,
      source: entry.source,
      entityType: entry.entityType,
      entityId: entry.entityId,
      action: entry.action,
      before: snapshotOf(entry.before),
      after: snapshotOf(entry.after),
      accountId: entry.accountId ?? null,
      environment: entry.environment ?? null,
    })),
  );
}
