// Lot-selection methods per version and month-end inventory (migration 0010).
import { date, integer, index, jsonb, pgTable, primaryKey, text, check } from "drizzle-orm/pg-core";
import { at, id64, money, sql } from "./columns";
import { computationLog } from "./fifo";

/** A version's method (fifo, lifo, hifo), fixed by its first successful run. */
export const versionMethods = pgTable(
  "fifo_version_methods",
  {
    allocationVersion: integer("allocation_version").primaryKey(),
    method: text("method").notNull(),
    fixedByComputationId: id64("fixed_by_computation_id").references(() => computationLog.id),
    fixedAt: at("fixed_at").notNull().defaultNow(),
  },
  (t) => [check("fifo_version_methods_method_check", sql`${t.method} in ('fifo', 'lifo', 'hifo')`)],
);

/** Open lots per (version, symbol) at the end of each UTC month with trades; the latest is provisional. */
export const inventoryMonthEnd = pgTable(
  "fifo_inventory_month_end",
  {
    allocationVersion: integer("allocation_version").notNull(),
    symbol: text("symbol").notNull(),
    monthEnd: date("month_end", { mode: "string" }).notNull(),
    computationId: id64("computation_id")
      .notNull()
      .references(() => computationLog.id),
    openLots: jsonb("open_lots").notNull().default(sql`'[]'::jsonb`),
    openSize: money("open_size").notNull().default("0"),
  },
  (t) => [
    primaryKey({ name: "fifo_inventory_month_end_pkey", columns: [t.allocationVersion, t.symbol, t.monthEnd] }),
    index("fifo_inventory_month_end_month_idx").on(t.allocationVersion, t.monthEnd),
  ],
);
