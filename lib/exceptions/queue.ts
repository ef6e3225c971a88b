import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Environment } from "@/db/schema";
import type { QueueQuery } from "./filters";
import { fixOf, type FixKind } from "./kinds";

/** One row of the triage queue: an exception, or a group of exceptions with one cause (shown by its oldest member). */
export type QueueRow = {
  id: string;
  kind: string;
  stage: string | null;
  message: string;
  /** The group's headline ("40 orders wait for a mapping of SKU X"); the message when it stands alone. */
  title: string;
  groupKey: string | null;
  /** How many open exceptions the row stands for (1 unless grouped). */
  members: number;
  orderId: string | null;
  orderNumber: string | null;
  warehouseId: string | null;
  accountId: string;
  accountName: string;
  environment: Environment;
  openedAt: Date;
  ageSeconds: number;
  assignedTo: string | null;
  snoozedUntil: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  status: "open" | "resolved";
  /** A link to the fix the raising flow recorded (the prefilled SKU mapping form), when it points inside the dashboard. */
  link: { label: string; href: string } | null;
  /** The fix the queue itself runs for this kind. */
  fix: FixKind | null;
};

export type Queue = { rows: QueueRow[]; counts: Record<string, number>; total: number };

type Viewer = { email: string };

/** The conditions every part of the queue shares; `withKind` false for the per-kind counts (the tabs). */
function conditions(viewer: Viewer, q: QueueQuery, withKind: boolean): SQL {
  const where: SQL[] = [sql`x.status = 'open'`];
  // coalesce, not an OR: a snoozed exception comes back by itself once its time has passed.
  where.push(q.snoozed ? sql`x.snoozed_until > now()` : sql`coalesce(x.snoozed_until, '-infinity'::timestamptz) <= now()`);
  if (withKind && q.kind) where.push(sql`x.kind = ${q.kind}`);
  if (withKind && q.stage) where.push(sql`x.kind = 'stuck_order' and x.data->>'stage' = ${q.stage}`);
  if (q.account) where.push(sql`x.account_id = ${q.account}`);
  if (q.env) where.push(sql`x.environment = ${q.env}::environment`);
  if (q.older_than) where.push(sql`x.created_at <= now() - make_interval(mins => ${q.older_than}::int)`);
  if (q.assigned === "me") where.push(sql`x.assigned_to = ${viewer.email}`);
  if (q.assigned === "none") where.push(sql`x.assigned_to is null`);
  if (q.warehouse) where.push(sql`x.order_id in (select o.id from orders o where o.warehouse_id = ${q.warehouse})`);
  if (q.q) where.push(sql`x.order_id in (select o.id from orders o where o.order_number ilike ${escapeLike(q.q) + "%"})`);
  return sql.join(where, sql` and `);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Raw = {
  id: string;
  kind: string;
  message: string;
  data: Record<string, unknown> | null;
  group_key: string | null;
  members: number;
  order_id: string | null;
  order_number: string | null;
  warehouse_id: string | null;
  account_id: string;
  account_name: string;
  environment: Environment;
  opened_at: string | Date;
  age_seconds: number;
  assigned_to: string | null;
  snoozed_until: string | Date | null;
  acknowledged_at: string | Date | null;
  acknowledged_by: string | null;
  status: "open" | "resolved";
};

const dateOf = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/**
 * The triage queue: open exceptions of every kind, oldest first (or newest), with per-kind counts for the tabs.
 * Exceptions standing alone are read in order from a partial index and cut at the limit; grouped ones (one
 * unmapped SKU, one unmapped status, one dead endpoint) are folded per (group, account, environment) from their
 * own partial index, so 40 orders held on one SKU cost one row. Snoozed exceptions are hidden until their time.
 */
export async function listExceptionQueue(db: DbOrTx, viewer: Viewer, query: QueueQuery): Promise<Queue> {
  const limit = query.limit ?? 100;
  const where = conditions(viewer, query, true);
  const dir = query.sort === "newest" ? sql`desc` : sql`asc`;
  const [rows, counted] = await Promise.all([
    queryRows<Raw>(
      db,
      sql`with singles as (
            select x.id, x.created_at as opened_at, 1 as members
              from operational_exceptions x
             where ${where} and x.group_key is null
             order by x.created_at ${dir}, x.id ${dir}
             limit ${limit}
          ), groups as (
            select (array_agg(x.id order by x.created_at, x.id))[1] as id, min(x.created_at) as opened_at, count(*)::int as members
              from operational_exceptions x
             where ${where} and x.group_key is not null
             group by x.group_key, x.account_id, x.environment
          ), picked as (
            select * from singles union all select * from groups
             order by opened_at ${dir}, id ${dir}
             limit ${limit}
          )
          select x.id, x.kind, x.message, x.data, x.group_key, p.members::int as members, x.order_id, o.order_number, o.warehouse_id,
                 x.account_id, coalesce(a.name, x.account_id) as account_name, x.environment, p.opened_at,
                 greatest(0, extract(epoch from now() - p.opened_at))::int as age_seconds,
                 x.assigned_to, x.snoozed_until, x.acknowledged_at, x.acknowledged_by, x.status
            from picked p
            join operational_exceptions x on x.id = p.id
            left join orders o on o.id = x.order_id
            left join accounts a on a.id = x.account_id
           order by p.opened_at ${dir}, p.id ${dir}`,
    ),
    countByKind(db, viewer, query),
  ]);
  return { rows: rows.map(present), counts: counted, total: Object.values(counted).reduce((a, b) => a + b, 0) };
}

/** Open (not snoozed) exceptions per kind under the other filters: the tabs' figures. */
export async function countByKind(db: DbOrTx, viewer: Viewer, query: QueueQuery): Promise<Record<string, number>> {
  const rows = await queryRows<{ kind: string; n: number }>(
    db,
    sql`select x.kind, count(*)::int as n from operational_exceptions x where ${conditions(viewer, query, false)} group by x.kind`,
  );
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

/** The navigation's figure: open exceptions not snoozed, counted from the (kind, snoozed_until) partial index alone. */
export async function countOpenExceptions(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from operational_exceptions x
         where x.status = 'open' and coalesce(x.snoozed_until, '-infinity'::timestamptz) <= now()`,
  );
  return Number(row?.n ?? 0);
}

function present(r: Raw): QueueRow {
  const members = Number(r.members);
  return {
    id: r.id,
    kind: r.kind,
    stage: typeof r.data?.stage === "string" ? r.data.stage : null,
    message: r.message,
    title: members > 1 ? groupTitle(r, members) : r.message,
    groupKey: r.group_key,
    members,
    orderId: r.order_id,
    orderNumber: r.order_number,
    warehouseId: r.warehouse_id,
    accountId: r.account_id,
    accountName: r.account_name,
    environment: r.environment,
    openedAt: dateOf(r.opened_at),
    ageSeconds: Number(r.age_seconds),
    assignedTo: r.assigned_to,
    snoozedUntil: r.snoozed_until ? dateOf(r.snoozed_until) : null,
    acknowledgedAt: r.acknowledged_at ? dateOf(r.acknowledged_at) : null,
    acknowledgedBy: r.acknowledged_by,
    status: r.status,
    link: linkOf(r.data),
    fix: fixOf(r.kind),
  };
}

/** What a group is waiting for, in one line. The key's tail is the cause (kind prefix stripped). */
function groupTitle(r: Raw, members: number): string {
  const cause = (r.group_key ?? "").slice((r.group_key ?? "").indexOf(":") + 1);
  if (r.kind === "unmapped_sku") return `${members} orders wait for a mapping of SKU ${cause}`;
  if (r.group_key?.startsWith("unmapped_status:")) return `${members} warehouse events wait for a mapping of status ${cause}`;
  if (r.kind === "webhook_dead") return `${members} deliveries to webhook ${cause} are dead letters`;
  return `${members} × ${r.message}`;
}

/** data.action_label/action_href of an exception, kept only when it points inside the dashboard. */
function linkOf(data: Record<string, unknown> | null): QueueRow["link"] {
  const href = data?.action_href;
  const label = data?.action_label;
  if (typeof href !== "string" || typeof label !== "string" || !href.startsWith("/") || href.startsWith("//")) return null;
  return { label, href };
}

/** A queue row as the JSON route answers it (snake_case, ISO times), and as the page's live refresh reads it. */
export type QueueRowJson = {
  id: string;
  kind: string;
  stage: string | null;
  order_id: string | null;
  order_number: string | null;
  account_id: string;
  account_name: string;
  environment: Environment;
  warehouse_id: string | null;
  opened_at: string;
  age_seconds: number;
  assigned_to: string | null;
  snoozed_until: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  status: "open" | "resolved";
  message: string;
  title: string;
  group_key: string | null;
  members: number;
  link: { label: string; href: string } | null;
  fix: FixKind | null;
};

export function presentQueueRow(r: QueueRow): QueueRowJson {
  return {
    id: r.id,
    kind: r.kind,
    stage: r.stage,
    order_id: r.orderId,
    order_number: r.orderNumber,
    account_id: r.accountId,
    account_name: r.accountName,
    environment: r.environment,
    warehouse_id: r.warehouseId,
    opened_at: r.openedAt.toISOString(),
    age_seconds: r.ageSeconds,
    assigned_to: r.assignedTo,
    snoozed_until: r.snoozedUntil?.toISOString() ?? null,
    acknowledged_at: r.acknowledgedAt?.toISOString() ?? null,
    acknowledged_by: r.acknowledgedBy,
    status: r.status,
    message: r.message,
    title: r.title,
    group_key: r.groupKey,
    members: r.members,
    link: r.link,
    fix: r.fix,
  };
}

export type QueueFilterOptions = { accounts: { id: string; name: string }[]; warehouses: { id: string; name: string; environment: Environment }[] };

/** What the filter bar offers: every account and warehouse by name. */
export async function queueFilterOptions(db: DbOrTx): Promise<QueueFilterOptions> {
  const [accounts, warehouses] = await Promise.all([
    queryRows<{ id: string; name: string }>(db, sql`select id, name from accounts order by name limit 500`),
    queryRows<{ id: string; name: string; environment: Environment }>(db, sql`select id, name, environment from warehouses order by environment, name limit 500`),
  ]);
  return { accounts, warehouses };
}
