"use client";
// The drift page's charts: old vs new realized PnL per day, and each day's difference stacked by
// cause. Chart coordinates are numbers; tooltips show the exact decimal text.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { DRIFT_CAUSE_COLORS, driftCauseLabel } from "@/lib/cutover/drift-causes";
import { COLORS, usdExact, usdTick } from "./chart-format";

export interface DriftDayDatum {
  day: string;
  oldPnlUsd: string;
  newPnlUsd: string;
}

export function DriftLines({ data }: { data: DriftDayDatum[] }) {
  const points = data.map((d) => ({ ...d, old: Number(d.oldPnlUsd), new: Number(d.newPnlUsd) }));
  return (
    <ChartFigure testId="chart-drift-days" ariaLabel="Old vs new realized PnL per day" height={300}>
      <LineChart responsive style={{ width: "100%", height: 300 }} data={points} margin={{ left: 16, right: 24, top: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" minTickGap={40} label={{ value: "day (UTC)", position: "insideBottom", offset: -14 }} />
        <YAxis tickFormatter={usdTick} width={72} />
        <Tooltip
          formatter={(_value, name, item) => {
            const p = item.payload as DriftDayDatum;
            return [usdExact(name === "Old system" ? p.oldPnlUsd : p.newPnlUsd), name];
          }}
        />
        <Legend verticalAlign="top" height={28} />
        <Line dataKey="old" name="Old system" stroke={COLORS.baseline} strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line dataKey="new" name="New (this version)" stroke={COLORS.target} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

export interface DriftCauseDatum {
  day: string;
  /** cause -> exact difference (new minus old) of that day's sells with that cause */
  differences: Record<string, string>;
}

export function DriftCauseBars({ data, causes }: { data: DriftCauseDatum[]; causes: string[] }) {
  const points = data.map((d) => ({
    day: d.day,
    exact: d.differences,
    ...Object.fromEntries(causes.map((c) => [c, Number(d.differences[c] ?? 0)])),
  }));
  return (
    <ChartFigure testId="chart-drift-causes" ariaLabel="Difference per day by cause" height={300}>
      <BarChart responsive style={{ width: "100%", height: 300 }} data={points} margin={{ left: 16, right: 24, top: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" minTickGap={40} label={{ value: "day (UTC)", position: "insideBottom", offset: -14 }} />
        <YAxis tickFormatter={usdTick} width={72} />
        <Tooltip
          formatter={(_value, name, item) => {
            const exact = (item.payload as { exact: Record<string, string> }).exact;
            const cause = causes.find((c) => driftCauseLabel(c) === name) ?? String(name);
            return [usdExact(exact[cause] ?? "0"), name];
          }}
        />
        <Legend verticalAlign="top" height={28} />
        {causes.map((c) => (
          <Bar key={c} dataKey={c} name={driftCauseLabel(c)} stackId="cause" fill={DRIFT_CAUSE_COLORS[c] ?? COLORS.zero} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFigure>
  );
}
