"use client";
// How many sells changed by how much: per-sell difference (target − baseline) in signed
// powers-of-ten buckets, counted in SQL.
import { Bar, BarChart, CartesianGrid, Cell, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { COLORS, usdExact } from "./chart-format";

export interface HistogramDatum {
  bucket: number;
  label: string;
  sells: number;
  differenceUsd: string;
}

export function DifferenceHistogram(props: { data: HistogramDatum[]; seriesLabel: string }) {
  const data = props.data.map((d) => ({ ...d, sells: Number(d.sells) }));
  return (
    <ChartFigure testId="chart-histogram" ariaLabel="Distribution of per-sell differences" height={320}>
      <BarChart responsive style={{ width: "100%", height: 320 }} data={data} margin={{ left: 16, right: 24, top: 8, bottom: 36 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" interval={0} angle={-35} textAnchor="end" height={56} tick={{ fontSize: 11 }}
          label={{ value: "difference per sell (USD)", position: "insideBottom", offset: -30 }} />
        <YAxis allowDecimals={false} width={64} label={{ value: "sells", angle: -90, position: "insideLeft" }} />
        <Tooltip
          formatter={(value, _name, item) => {
            const p = item.payload as HistogramDatum;
            return [`${Number(value).toLocaleString("en-US")} sells, total ${usdExact(p.differenceUsd)}`, props.seriesLabel];
          }}
        />
        <Legend verticalAlign="top" height={28} />
        <Bar dataKey="sells" name={props.seriesLabel} fill={COLORS.target} isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.bucket} fill={d.bucket > 0 ? COLORS.pos : d.bucket < 0 ? COLORS.neg : COLORS.zero} />
          ))}
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}
