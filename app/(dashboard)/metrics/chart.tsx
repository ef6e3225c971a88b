"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTimeZone } from "@/components/providers";
import { formatClock, formatDateTime } from "@/lib/dashboard/format-time";
import type { Point } from "@/lib/metrics/series";

export type SeriesSpec = { key: string; label: string; color: string };
export type Threshold = { value: number; label: string };

/** One metric over time with its alert thresholds drawn as dashed reference lines. */
export function MetricChart({ data, series, thresholds = [], unit }: { data: Point[]; series: SeriesSpec[]; thresholds?: Threshold[]; unit: string }) {
  // The dashboard's zone and 24-hour clock, as every other time on the page (not the browser's).
  const timeZone = useTimeZone();
  if (!data.length) return <p className="px-4 py-10 text-center text-sm text-slate-500">No data in this window yet.</p>;
  return (
    <div className="h-64 w-full" role="img" aria-label={`${series.map((s) => s.label).join(", ")} over time`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 12, right: 24, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="t" tickFormatter={(v) => formatClock(String(v), timeZone)} fontSize={12} minTickGap={24} />
          <YAxis fontSize={12} width={56} unit={unit} allowDecimals />
          <Tooltip labelFormatter={(v) => formatDateTime(String(v), timeZone)} formatter={(v) => `${v}${unit}`} />
          <Legend />
          {thresholds.map((th) => (
            <ReferenceLine key={th.label} y={th.value} stroke="#dc2626" strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: th.label, position: "insideTopRight", fill: "#b91c1c", fontSize: 11 }} />
          ))}
          {series.map((s) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} dot={false} strokeWidth={2} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
