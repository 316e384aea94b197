"use client";
// Per-symbol realized PnL, baseline vs target, as horizontal bars: one row per symbol, so 50
// symbols stay readable (the chart grows in height rather than squeezing labels).
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { COLORS, usdExact, usdTick } from "./chart-format";

export interface SymbolBarDatum {
  symbol: string;
  baselineUsd: string;
  targetUsd: string;
  differenceUsd: string;
}

export function SymbolBars(props: { data: SymbolBarDatum[]; baselineLabel: string; targetLabel: string }) {
  const data = props.data.map((d) => ({ ...d, baseline: Number(d.baselineUsd), target: Number(d.targetUsd) }));
  const height = Math.max(260, 70 + data.length * 34);
  return (
    <ChartFigure testId="chart-symbols" ariaLabel="Realized PnL per symbol" height={height}>
      <BarChart responsive style={{ width: "100%", height }} data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={usdTick} label={{ value: "Realized PnL (USD)", position: "insideBottom", offset: -14 }} />
        <YAxis type="category" dataKey="symbol" width={96} interval={0} tick={{ fontSize: 12 }} />
        <ReferenceLine x={0} stroke="#667085" />
        <Tooltip
          formatter={(_value, name, item) => {
            const p = item.payload as SymbolBarDatum;
            return [usdExact(name === props.baselineLabel ? p.baselineUsd : p.targetUsd), name];
          }}
          labelFormatter={(label, payload) => {
            const p = payload?.[0]?.payload as SymbolBarDatum | undefined;
            return p ? `${label} · difference ${usdExact(p.differenceUsd)}` : String(label);
          }}
        />
        <Legend verticalAlign="top" height={28} />
        <Bar dataKey="baseline" name={props.baselineLabel} fill={COLORS.baseline} isAnimationActive={false} />
        <Bar dataKey="target" name={props.targetLabel} fill={COLORS.target} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
