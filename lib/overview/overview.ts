import type { DbOrTx } from "@/db/client";
import type { DashboardRole } from "@/lib/auth/dashboard-users";
import { queueKindLabel } from "@/lib/exceptions/kinds";
import { isThresholdKey, THRESHOLDS } from "@/lib/stuck-orders/stages";
import { openExceptionsByKind, stuckOrdersByStage, type AttentionScope } from "./attention";
import { emptySpark, loadSparks, sparkOf, type Spark } from "./sparklines";
import { loadSyncHeadlines } from "./sync";
import { loadWarehouseDays, type WarehouseDay, type WarehouseScope } from "./warehouses";

/**
 * The tiles each role sees, chosen by what that role acts on:
 * - support answers customers and works the exception queue: open exceptions by kind, stuck orders by stage.
 * - warehouse runs the floor: each warehouse's day against its cut-off, the stuck stages the floor owns (not picked,
 *   not shipped, no carrier scan, return not restocked) and the warehouse reports that failed.
 * - ops and admin run the whole hub: every tile, the sync health headlines included.
 * Sections a role does not see are not queried at all.
 */
export const OVERVIEW_SECTIONS: Record<DashboardRole, readonly Section[]> = {
  support: ["exceptions", "stuck"],
  warehouse: ["warehouses", "stuck", "failedEvents"],
  ops: ["warehouses", "exceptions", "stuck", "sync", "failedEvents"],
  admin: ["warehouses", "exceptions", "stuck", "sync", "failedEvents"],
};
type Section = "exceptions" | "stuck" | "warehouses" | "sync" | "failedEvents";

const FLOOR_STAGES = new Set(["not_picked", "not_shipped", "no_carrier_scan", "return_not_restocked"]);

export type CountTile = {
  key: string;
  label: string;
  count: number;
  /** When the oldest of them began waiting. */
  oldestAt: string;
  href: string;
  spark: Spark;
};

export type WarehouseTile = WarehouseDay & { href: string; spark: Spark };

export type SyncTile = {
  key: "shopify" | "webhooks" | "feeds" | "failed_events";
  label: string;
  /** The headline number, and what it counts. */
  value: number;
  valueLabel: string;
  /** The second figure of the headline, in words ("oldest change waiting 4 min"). */
  detail: string | null;
  /** Past the guide's alert line: the tile is drawn as an alert. */
  alert: boolean;
  href: string;
  sparkLabel: string;
  spark: Spark;
};

export type Overview = {
  generatedAt: string;
  /** Hour 0 of every sparkline; each has 24 hourly points. */
  sparkStart: string;
  exceptions: CountTile[] | null;
  stuck: CountTile[] | null;
  warehouses: WarehouseTile[] | null;
  sync: SyncTile[] | null;
};

export type OverviewOptions = { now?: Date } & AttentionScope & WarehouseScope;

/** "45 s", "4 min", "2 h 5 min", "3 d 4 h": how long something has waited. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ""}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ""}`;
}

export function stageLabel(stage: string): string {
  const words = isThresholdKey(stage) ? THRESHOLDS[stage].words : stage.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The lists behind the tiles, filtered to what the tile counts. */
export const overviewLinks = {
  exceptionKind: (kind: string) => `/exceptions?kind=${encodeURIComponent(kind)}`,
  stuckStage: (stage: string) => `/exceptions?kind=stuck_order&stage=${encodeURIComponent(stage)}`,
  warehouse: (id: string) => `/orders?warehouse=${encodeURIComponent(id)}&due=today`,
  shopify: "/channel-failures",
  webhooks: "/webhooks",
  feeds: "/metrics",
  failedEvents: "/failed-events",
};

/** The partner feeds' hold-back alert line of the health page. */
const FEED_ALERT_SECONDS = 60;

/**
 * What needs attention now, for `role`: the tiles of its sections (OVERVIEW_SECTIONS), each with its 24-hour
 * sparkline and the filtered list behind it. `now` moves the clock (tests); the scopes limit what is counted to
 * one account and its warehouses (tests share one database).
 */
export async function loadOverview(db: DbOrTx, role: DashboardRole, options: OverviewOptions = {}): Promise<Overview> {
  const now = options.now ?? new Date();
  const sections = new Set(OVERVIEW_SECTIONS[role]);
  const scope: AttentionScope = { accountId: options.accountId };
  const wantsSync = sections.has("sync") || sections.has("failedEvents");

  const kinds = sections.has("exceptions") ? await openExceptionsByKind(db, now, scope) : null;
  const stagesAll = sections.has("stuck") ? await stuckOrdersByStage(db, now, scope) : null;
  const stages = stagesAll && role === "warehouse" ? stagesAll.filter((s) => FLOOR_STAGES.has(s.key)) : stagesAll;
  const days = sections.has("warehouses") ? await loadWarehouseDays(db, now, { warehouseIds: options.warehouseIds }) : null;
  const sync = wantsSync ? await loadSyncHeadlines(db, now, scope) : null;
  const sparks = await loadSparks(db, now, {
    exceptionKinds: Boolean(kinds),
    stuckStages: Boolean(stages),
    sync: wantsSync,
    warehouseIds: days?.map((d) => d.id),
  });

  const syncTiles: SyncTile[] = [];
  const spark = (key: string) => sparks.sync.get(key) ?? emptySpark();
  if (sync && sections.has("sync")) {
    syncTiles.push(
      {
        key: "shopify",
        label: "Shopify push",
        value: sync.shopifyDeadLetters,
        valueLabel: sync.shopifyDeadLetters === 1 ? "dead letter" : "dead letters",
        detail: sync.shopifyPushLagSeconds > 0 ? `oldest change waiting ${durationText(sync.shopifyPushLagSeconds)}` : "nothing waiting",
        alert: sync.shopifyDeadLetters > 0,
        href: overviewLinks.shopify,
        sparkLabel: "dead letters, worst per hour",
        spark: spark("shopify_dead"),
      },
      {
        key: "webhooks",
        label: "Partner webhooks",
        value: sync.webhookBacklog,
        valueLabel: sync.webhookBacklog === 1 ? "delivery waiting" : "deliveries waiting",
        detail: `${sync.failingEndpoints} failing ${sync.failingEndpoints === 1 ? "endpoint" : "endpoints"} · ${sync.webhookDeadLetters} dead ${sync.webhookDeadLetters === 1 ? "letter" : "letters"}`,
        alert: sync.failingEndpoints > 0 || sync.webhookDeadLetters > 0,
        href: overviewLinks.webhooks,
        sparkLabel: "backlog, worst per hour",
        spark: spark("webhook_backlog"),
      },
      {
        key: "feeds",
        label: "Partner feeds",
        value: sync.feedHoldBackSeconds,
        valueLabel: "s held back",
        detail: sync.feedHoldBackSeconds > FEED_ALERT_SECONDS ? "an open transaction holds every feed" : "feeds are current",
        alert: sync.feedHoldBackSeconds > FEED_ALERT_SECONDS,
        href: overviewLinks.feeds,
        sparkLabel: "hold-back, worst per hour",
        spark: spark("feed_hold_back"),
      },
    );
  }
  if (sync && sections.has("failedEvents")) {
    syncTiles.push({
      key: "failed_events",
      label: "Failed warehouse events",
      value: sync.failedWarehouseEvents,
      valueLabel: sync.failedWarehouseEvents === 1 ? "report not applied" : "reports not applied",
      detail: null,
      alert: sync.failedWarehouseEvents > 0,
      href: overviewLinks.failedEvents,
      sparkLabel: "failed events per hour",
      spark: spark("failed_events"),
    });
  }

  return {
    generatedAt: now.toISOString(),
    sparkStart: sparks.start,
    exceptions:
      kinds?.map((k) => ({ ...k, label: queueKindLabel(k.key), href: overviewLinks.exceptionKind(k.key), spark: sparkOf(sparks.exceptionKinds, k.key) })) ?? null,
    stuck: stages?.map((s) => ({ ...s, label: stageLabel(s.key), href: overviewLinks.stuckStage(s.key), spark: sparkOf(sparks.stuckStages, s.key) })) ?? null,
    warehouses: days?.map((d) => ({ ...d, href: overviewLinks.warehouse(d.id), spark: sparks.warehouses.get(d.id) ?? [] })) ?? null,
    sync: syncTiles.length ? syncTiles : null,
  };
}
