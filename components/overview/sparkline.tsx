"use client";

import { useSyncExternalStore } from "react";
import { Line, LineChart, YAxis } from "recharts";
import type { Spark } from "@/lib/overview/sparklines";

const WIDTH = 112;
const HEIGHT = 32;

const subscribe = () => () => {};

/**
 * A tile's last 24 hours, one point an hour (gaps where nothing was sampled). Drawn only in the browser: the server
 * sends a box of the same size, so the page does not shift and the chart's generated ids never differ between the
 * server's HTML and the browser's first render.
 */
export function Sparkline({ data, label, tone = "slate" }: { data: Spark; label: string; tone?: "slate" | "red" | "amber" }) {
  const mounted = useSyncExternalStore(subscribe, () => true, () => false);
  const values = data.filter((v): v is number => v !== null);
  const description = values.length
    ? `${label}, last 24 hours: from ${values[0]} to ${values[values.length - 1]}, highest ${Math.max(...values)}`
    : `${label}: nothing sampled in the last 24 hours`;
  const color = tone === "red" ? "#dc2626" : tone === "amber" ? "#d97706" : "#475569";
  return (
    <div role="img" aria-label={description} className="shrink-0" style={{ width: WIDTH, height: HEIGHT }}>
      {mounted && values.length ? (
        <LineChart width={WIDTH} height={HEIGHT} data={data.map((v, h) => ({ h, v }))} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={[0, "dataMax"]} />
          <Line type="monotone" dataKey="v" stroke={color} strokeWidth={1.5} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      ) : null}
    </div>
  );
}
