"use client";
// Differing sells per cause, as horizontal bars: how many sells each cause explains; the tooltip
// adds the cause's total difference (exact text).
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { COLORS, usdExact } from "./chart-format";

export interface CauseBarDatum {
  cause: string;
  sells: number;
  totalDifferenceUsd: string;
}

export function CauseBars({ data }: { data: CauseBarDatum[] }) {
  const rows = data.map((d) => ({ ...d, label: d.cause.replace(/_/g, " ") }));
  const height = Math.max(180, 60 + rows.length * 32);
  return (
    <ChartFigure testId="chart-causes" ariaLabel="Differing sells per cause" height={height}>
      <BarChart responsive style={{ width: "100%", height }} data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} label={{ value: "Sells", position: "insideBottom", offset: -14 }} />
        <YAxis type="category" dataKey="label" width={120} interval={0} tick={{ fontSize: 12 }} />
        <Tooltip
          formatter={(value) => [String(value), "sells"]}
          labelFormatter={(label, payload) => {
            const p = payload?.[0]?.payload as CauseBarDatum | undefined;
            return p ? `${label} · total difference ${usdExact(p.totalDifferenceUsd)}` : String(label);
          }}
        />
        <Bar dataKey="sells" name="Sells" fill={COLORS.target} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
