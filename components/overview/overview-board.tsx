"use client";

import { useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTimeZone } from "@/components/providers";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Age } from "@/components/ui/time";
import { formatClock } from "@/lib/dashboard/format-time";
import type { CountTile, Overview, SyncTile, WarehouseTile } from "@/lib/overview/overview";
import { Sparkline } from "./sparkline";

/** How often the page asks again: a shift lead watching the cut-off sees the projection move within the minute. */
const REFRESH_MS = 20_000;

class SignedOut extends Error {}

async function fetchOverview(): Promise<Overview> {
  const response = await fetch("/api/dashboard/overview", { headers: { accept: "application/json" }, cache: "no-store" });
  if (response.status === 401 || response.status === 403) throw new SignedOut("Your session has ended.");
  if (!response.ok) throw new Error(`The overview could not be refreshed (${response.status}).`);
  return response.json();
}

/** The overview's tiles, rendered on the server from `initial` and then refreshed in the browser every 20 s. */
export function OverviewBoard({ initial }: { initial: Overview }) {
  const timeZone = useTimeZone();
  const query = useQuery({
    queryKey: ["dashboard-overview"],
    queryFn: fetchOverview,
    initialData: initial,
    refetchInterval: REFRESH_MS,
    retry: (count, error) => !(error instanceof SignedOut) && count < 2,
  });
  const o = query.data;
  return (
    <div className="flex flex-col gap-6">
      <p className="-mt-2 text-sm text-slate-600" aria-live="polite">
        Updated {formatClock(o.generatedAt, timeZone)} · refreshes every {REFRESH_MS / 1000} s
        {query.isFetching ? " · refreshing…" : ""}
      </p>
      {query.error ? (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          {query.error instanceof SignedOut ? (
            <>
              Your session has ended, so these figures are no longer refreshed.{" "}
              <a href="/login?callbackUrl=%2F" className="link">
                Sign in again
              </a>
              .
            </>
          ) : (
            <>{query.error.message} The figures below are from {formatClock(o.generatedAt, timeZone)}; the page keeps trying.</>
          )}
        </div>
      ) : null}
      {o.warehouses ? <Warehouses rows={o.warehouses} /> : null}
      {o.exceptions ? (
        <Section title="Open exceptions" description="The queue by kind, with how long the oldest has waited." id="exceptions">
          {o.exceptions.length ? (
            <TileGrid>{o.exceptions.map((x) => <CountTileView key={x.key} tile={x} noun="open" sparkLabel={`${x.label} open`} />)}</TileGrid>
          ) : (
            <EmptyState title="No open exceptions">Nothing in the queue needs a person right now.</EmptyState>
          )}
        </Section>
      ) : null}
      {o.stuck ? (
        <Section title="Stuck orders" description="Orders past their stage's threshold, by stage, with the longest wait." id="stuck">
          {o.stuck.length ? (
            <TileGrid>{o.stuck.map((x) => <CountTileView key={x.key} tile={x} noun="stuck" sparkLabel={`${x.label}: stuck orders`} />)}</TileGrid>
          ) : (
            <EmptyState title="No stuck orders">Every order is moving within its thresholds.</EmptyState>
          )}
        </Section>
      ) : null}
      {o.sync ? (
        <Section title="Sync health" description="Shopify, partner webhooks and feeds, and the warehouses' reports." id="sync">
          <TileGrid>
            {o.sync.map((x) => (
              <SyncTileView key={x.key} tile={x} />
            ))}
          </TileGrid>
        </Section>
      ) : null}
    </div>
  );
}

function Section({ title, description, id, children }: { title: string; description: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mb-2 text-sm text-slate-600">{description}</p>
      {children}
    </section>
  );
}

function TileGrid({ children }: { children: ReactNode }) {
  return <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">{children}</ul>;
}

/** One tile: the number, what it counts (a link to the list behind it), and its day as a sparkline. */
function Tile({ title, href, count, unit, alert, children, spark }: { title: string; href: string; count: number; unit: string; alert?: boolean; children?: ReactNode; spark: ReactNode }) {
  return (
    <li data-tile={href} className={clsx("flex flex-col gap-2 rounded-lg border bg-white p-4 shadow-xs", alert ? "border-red-300" : "border-slate-200")}>
      <h3 className="text-sm font-medium text-slate-800">
        <Link href={href} className="link">
          {title}
        </Link>
      </h3>
      <div className="flex items-end justify-between gap-3">
        <p className="min-w-0">
          <span data-testid="tile-count" className={clsx("text-2xl font-semibold tabular-nums", alert ? "text-red-800" : "text-slate-900")}>
            {count}
          </span>{" "}
          <span className="text-sm text-slate-600">{unit}</span>
        </p>
        {spark}
      </div>
      {children ? <div className="text-sm text-slate-600">{children}</div> : null}
    </li>
  );
}

function CountTileView({ tile, noun, sparkLabel }: { tile: CountTile; noun: string; sparkLabel: string }) {
  return (
    <Tile title={tile.label} href={tile.href} count={tile.count} unit={noun} alert={false} spark={<Sparkline data={tile.spark} label={sparkLabel} tone="amber" />}>
      Oldest: <Age iso={tile.oldestAt} />
    </Tile>
  );
}

function SyncTileView({ tile }: { tile: SyncTile }) {
  return (
    <Tile title={tile.label} href={tile.href} count={tile.value} unit={tile.valueLabel} alert={tile.alert} spark={<Sparkline data={tile.spark} label={`${tile.label}: ${tile.sparkLabel}`} tone={tile.alert ? "red" : "slate"} />}>
      {tile.detail}
    </Tile>
  );
}

function minutesText(minutes: number): string {
  const m = Math.abs(minutes);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}

function Warehouses({ rows }: { rows: WarehouseTile[] }) {
  return (
    <Section title="Warehouses today" description="Orders due out by each warehouse's cut-off (its own time zone), shipped so far, and how many will miss it at last hour's rate." id="warehouses">
      {rows.length ? (
        <TileGrid>
          {rows.map((w) => (
            <WarehouseTileView key={w.id} w={w} />
          ))}
        </TileGrid>
      ) : (
        <EmptyState title="No warehouses">Warehouses appear here once they are set up.</EmptyState>
      )}
    </Section>
  );
}

function WarehouseTileView({ w }: { w: WarehouseTile }) {
  const late = (w.willMiss ?? 0) > 0;
  const passed = w.minutesLeft !== null && w.minutesLeft <= 0;
  return (
    <Tile
      title={`${w.name} (${w.code})`}
      href={w.href}
      count={w.dueOpen}
      unit="to ship today"
      alert={late}
      spark={<Sparkline data={w.spark} label={`${w.name}: orders shipped per hour`} />}
    >
      <p>
        {w.dueOpen + w.shippedToday} due · {w.shippedToday} shipped · {w.lastHour} in the last hour
        {w.environment === "sandbox" ? (
          <>
            {" "}
            <Badge tone="violet">Sandbox</Badge>
          </>
        ) : null}
        {w.paused ? (
          <>
            {" "}
            <Badge tone="gray">Paused</Badge>
          </>
        ) : null}
      </p>
      {w.cutoffTime === null || w.minutesLeft === null ? (
        <p>No cut-off set: nothing to project.</p>
      ) : passed ? (
        <p className={clsx(late && "font-medium text-red-800")}>
          Cut-off {w.cutoffTime} passed {minutesText(w.minutesLeft)} ago: {w.willMiss} missed it.
        </p>
      ) : (
        <p className={clsx(late && "font-medium text-red-800")}>
          Cut-off {w.cutoffTime} in {minutesText(w.minutesLeft)}:{" "}
          {late ? `${w.willMiss} will miss it at ${w.lastHour} an hour` : "on track at last hour's rate"}.
        </p>
      )}
    </Tile>
  );
}
