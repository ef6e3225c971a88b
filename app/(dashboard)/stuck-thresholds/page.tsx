import type { Metadata } from "next";
import Link from "next/link";
import { EnvironmentBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { STUCK_THRESHOLD_EDIT_ROLES, STUCK_THRESHOLD_READ_ROLES } from "@/lib/dashboard/nav";
import { DomainError } from "@/lib/errors";
import { formatMinutes } from "@/lib/stuck-orders/duration";
import { describeLevel, levelOf, levelText, listCutoffs, listOverrides, listThresholdLevels, thresholdsAt, type ThresholdLevel } from "@/lib/stuck-orders/settings";
import { isThresholdKey, THRESHOLDS } from "@/lib/stuck-orders/stages";
import { CutoffForm } from "./cutoff-form";
import { ThresholdForm } from "./threshold-form";

export const metadata: Metadata = { title: "Stuck thresholds" };

/** The level the page shows: the one asked for if it still exists, else the global one (a stale link still opens). */
async function pickLevel(asked: string | string[] | undefined): Promise<{ level: ThresholdLevel; name: string }> {
  const level = typeof asked === "string" ? levelOf(asked) : null;
  if (level) {
    try {
      return { level, name: await describeLevel(getDb(), level) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { level: { kind: "global" }, name: "every account and warehouse" };
}

export default async function StuckThresholdsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(STUCK_THRESHOLD_READ_ROLES);
  const canEdit = hasRole(user, STUCK_THRESHOLD_EDIT_ROLES);
  const { level, name } = await pickLevel((await searchParams).level);
  const db = getDb();
  const [levels, rows, overrides, cutoffs] = await Promise.all([listThresholdLevels(db), thresholdsAt(db, level), listOverrides(db), listCutoffs(db)]);
  const current = levelText(level);
  return (
    <>
      <PageHeader
        title="Stuck thresholds"
        description="How long an order may stay in each stage before it is flagged as stuck and lands in the exceptions queue. Global values apply everywhere; an account or a warehouse can have its own (the stricter of the two wins). The detector runs every minute."
      />
      <Card title="Level" className="mb-6">
        <form method="get" action="/stuck-thresholds" className="flex flex-wrap items-end gap-3 px-4 py-3">
          <div>
            <label htmlFor="threshold-level" className="field-label">
              Show thresholds for
            </label>
            <select id="threshold-level" name="level" defaultValue={current} className="field-input max-w-full">
              <option value="global">Every account and warehouse (global)</option>
              <optgroup label="One account">
                {levels.accounts.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="One warehouse">
                {levels.warehouses.map((w) => (
                  <option key={w.value} value={w.value}>
                    {w.label}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <button type="submit" className="btn-secondary">
            Show
          </button>
        </form>
      </Card>
      <Card title={`Thresholds for ${name}`} className="mb-6">
        <p className="px-4 pt-3 text-xs text-slate-600">
          Type a duration such as 90 min, 4 h, 1 h 30 min or 2 d; leave a value empty to inherit. The count on the right follows as you type.
        </p>
        <ThresholdForm key={current} level={current} levelName={name} rows={rows} canEdit={canEdit} />
      </Card>
      <Card title={`Overrides in place (${overrides.length})`} className="mb-6">
        <Table
          label="Threshold overrides in place"
          rows={overrides}
          rowKey={(o) => o.id}
          empty={{ title: "No overrides", body: "Every stage uses its default threshold." }}
          columns={[
            {
              header: "Applies to",
              cell: (o) => {
                const target = o.accountId ? `account:${o.accountId}` : o.warehouseId ? `warehouse:${o.warehouseId}` : "global";
                return (
                  <Link href={`/stuck-thresholds?level=${encodeURIComponent(target)}`} className="link">
                    {o.accountId ? (o.accountName ?? o.accountId) : o.warehouseId ? (o.warehouseName ?? o.warehouseId) : "Global"}
                  </Link>
                );
              },
            },
            { header: "Stage", cell: (o) => (isThresholdKey(o.key) ? THRESHOLDS[o.key].words : o.key) },
            { header: "Threshold", className: "whitespace-nowrap font-mono", cell: (o) => formatMinutes(o.minutes) },
          ]}
        />
      </Card>
      <Card title="Warehouse cut-offs">
        <p className="px-4 pt-3 text-xs text-slate-600">
          An order received before a warehouse&apos;s daily cut-off is due out that day: still unpicked at the cut-off, it is stuck even inside its threshold. Times are the warehouse&apos;s own.
        </p>
        <Table
          label="Warehouse cut-offs"
          rows={cutoffs}
          rowKey={(w) => w.id}
          empty={{ title: "No warehouses yet" }}
          columns={[
            {
              header: "Warehouse",
              cell: (w) => (
                <>
                  <span className="font-medium">{w.name}</span> <span className="font-mono text-xs text-slate-600">{w.code}</span> <EnvironmentBadge environment={w.environment} />
                </>
              ),
            },
            {
              header: "Daily cut-off",
              cell: (w) =>
                canEdit ? (
                  <CutoffForm id={w.id} name={w.name} timezone={w.timezone} cutoffTime={w.cutoffTime} />
                ) : (
                  <span>
                    {w.cutoffTime ?? "none"} <span className="text-xs text-slate-600">({w.timezone})</span>
                  </span>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
