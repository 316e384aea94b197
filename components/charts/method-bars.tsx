"use client";
// Realized gains per group (a tax year and term, or a symbol) with one bar per lot-selection
// method, so "what would FIFO, LIFO and HIFO have given" is read at a glance.
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { usdExact, usdTick } from "./chart-format";

export interface MethodBarDatum {
  label: string;
  /** Exact gains per method ("fifo", "lifo", "hifo"); missing when that method has no version. */
  gains: Partial<Record<string, string>>;
}

const METHOD_COLORS: Record<string, string> = { fifo: "#2e6bd8", lifo: "#d9822b", hifo: "#12805c", short: "#d9822b", long: "#2e6bd8" };

export function MethodBars(props: { data: MethodBarDatum[]; methods: { method: string; label: string }[]; testId: string; ariaLabel: string }) {
  const data = props.data.map((d) => ({
    label: d.label,
    exact: d.gains,
    ...Object.fromEntries(props.methods.map((m) => [m.method, Number(d.gains[m.method] ?? 0)])),
  }));
  return (
    <ChartFigure testId={props.testId} ariaLabel={props.ariaLabel} height={320}>
      <BarChart responsive style={{ width: "100%", height: 320 }} data={data} margin={{ left: 16, right: 24, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" interval={0} tick={{ fontSize: 12 }} />
        <YAxis tickFormatter={usdTick} width={72} />
        <ReferenceLine y={0} stroke="#667085" />
        <Tooltip
          formatter={(_value, name, item) => {
            const method = props.methods.find((m) => m.label === name)?.method ?? "";
            return [usdExact((item.payload as { exact: Record<string, string> }).exact[method] ?? "0"), name];
          }}
        />
        <Legend verticalAlign="top" height={28} />
        {props.methods.map((m) => (
          <Bar key={m.method} dataKey={m.method} name={m.label} fill={METHOD_COLORS[m.method]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFigure>
  );
}
