import { describe, expect, test } from "vitest";
import { renderPrometheus } from "@/lib/monitoring/prometheus";

describe("renderPrometheus", () => {
  test("HELP, TYPE and samples; exact decimal text printed as it is; label values escaped", () => {
    const text = renderPrometheus([
      {
        name: "fifo_pnl_drift_usd",
        help: "new minus old\\PnL",
        type: "gauge",
        samples: [
          { labels: { version: 1 }, value: "12345678901234567890.1234567890" },
          { labels: { version: 2, note: 'a "quoted"\nline\\' }, value: -3 },
        ],
      },
      { name: "fifo_up", help: "up", type: "gauge", samples: [{ value: 1 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP fifo_pnl_drift_usd new minus old\\\\PnL",
        "# TYPE fifo_pnl_drift_usd gauge",
        'fifo_pnl_drift_usd{version="1"} 12345678901234567890.1234567890',
        'fifo_pnl_drift_usd{version="2",note="a \\"quoted\\"\\nline\\\\"} -3',
        "# HELP fifo_up up",
        "# TYPE fifo_up gauge",
        "fifo_up 1",
        "",
      ].join("\n"),
    );
  });

  test("refuses what would corrupt the exposition", () => {
    expect(() => renderPrometheus([{ name: "bad name", help: "", type: "gauge", samples: [] }])).toThrow(/metric name/);
    expect(() => renderPrometheus([{ name: "ok", help: "", type: "gauge", samples: [{ value: "1 2" }] }])).toThrow(/metric value/);
    expect(() => renderPrometheus([{ name: "ok", help: "", type: "gauge", samples: [{ labels: { "x-y": 1 }, value: 1 }] }])).toThrow(/label name/);
  });
});
