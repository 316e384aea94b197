"use client";
// Cumulative realized PnL over time, baseline vs target (aggregated per day/week/month in SQL).
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { COLORS, usdExact, usdTick } from "./chart-format";

export interface CumulativeDatum {
  period: string;
  cumulativeBaselineUsd: string;
  cumulativeTargetUsd: string;
}

export function CumulativeLines(props: { data: CumulativeDatum[]; baselineLabel: string; targetLabel: string; bucket: string }) {
  const data = props.data.map((d) => ({
    ...d,
    baseline: Number(d.cumulativeBaselineUsd),
    target: Number(d.cumulativeTargetUsd),
  }));
  return (
    <ChartFigure testId="chart-cumulative" ariaLabel="Cumulative realized PnL" height={340}>
      <LineChart responsive style={{ width: "100%", height: 340 }} data={data} margin={{ left: 16, right: 24, top: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" minTickGap={40} label={{ value: `${props.bucket} (UTC)`, position: "insideBottom", offset: -14 }} />
        <YAxis tickFormatter={usdTick} width={72} label={{ value: "USD", angle: -90, position: "insideLeft" }} />
        <Tooltip
          formatter={(_value, name, item) => {
            const p = item.payload as CumulativeDatum;
            return [usdExact(name === props.baselineLabel ? p.cumulativeBaselineUsd : p.cumulativeTargetUsd), name];
          }}
        />
        <Legend verticalAlign="top" height={28} />
        <Line type="monotone" dataKey="baseline" name={props.baselineLabel} stroke={COLORS.baseline} strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="target" name={props.targetLabel} stroke={COLORS.target} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}
