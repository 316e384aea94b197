// FIFO migration (0001+): everything `npm run db:rollback` removes (the historical snapshot stays).
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { at, id64, money, sql } from "./columns";
import { users } from "./baseline";

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

/** One row per computation run: the audit trail of who computed what, when, and how it went. */
export const computationLog = pgTable(
  "fifo_computation_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    allocationVersion: integer("allocation_version").notNull(),
    symbols: text("symbols").array(), // null = all symbols
    mode: text("mode").notNull().default("full"),
    status: text("status").notNull().default("queued"),
    startedBy: text("started_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
    durationMs: integer("duration_ms"),
    tradesRead: bigint("trades_read", { mode: "number" }).notNull().default(0),
    allocationsWritten: bigint("allocations_written", { mode: "number" }).notNull().default(0),
    unmatchedSells: integer("unmatched_sells").notNull().default(0),
    invalidTrades: integer("invalid_trades").notNull().default(0),
    reviewItemsOpened: integer("review_items_opened").notNull().default(0),
    reviewItemsClosed: integer("review_items_closed").notNull().default(0),
    errors: jsonb("errors").notNull().default(sql`'[]'::jsonb`),
    progress: jsonb("progress").notNull().default(sql`'{}'::jsonb`),
    heartbeatAt: at("heartbeat_at"),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    workerPid: integer("worker_pid"),
    /** The lot-selection method the run was asked for; null = the version's own (0010). */
    method: text("method"),
  },
  (t) => [
    check("fifo_computation_log_mode_check", sql`${t.mode} in ('full', 'incremental')`),
    check(
      "fifo_computation_log_status_check",
      sql`${t.status} in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`,
    ),
    check("fifo_computation_log_version_check", sql`${t.allocationVersion} > 0`),
    check("fifo_computation_log_method_check", sql`${t.method} in ('fifo', 'lifo', 'hifo')`),
    // One active run per version: the database itself refuses a second one, on either engine.
    uniqueIndex("fifo_computation_log_one_active_run")
      .on(t.allocationVersion)
      .where(sql`${t.status} in ('queued', 'running')`),
    index("fifo_computation_log_version_idx").on(t.allocationVersion, t.id),
  ],
);

/**
 * Computed FIFO matches. Deletable and recomputable at any time; one row per (sell, lot).
 * Partitioned by allocation_version since migration 0009 (hand-written; drizzle-kit does not
 * model partitions), without a foreign key to the run log (see 0009 for why).
 */
export const allocations = pgTable(
  "fifo_allocations",
  {
    allocationVersion: integer("allocation_version").notNull(),
    symbol: text("symbol").notNull(),
    sellTradeId: id64("sell_trade_id").notNull(),
    buyTradeId: id64("buy_trade_id").notNull(),
    allocatedSize: money("allocated_size").notNull(),
    buyPrice: money("buy_price").notNull(),
    sellPrice: money("sell_price").notNull(),
    buyFeeUsd: money("buy_fee_usd").notNull(),
    sellFeeUsd: money("sell_fee_usd").notNull(),
    pnlUsd: money("pnl_usd").notNull(),
    buyTime: at("buy_time").notNull(),
    sellTime: at("sell_time").notNull(),
    computationId: id64("computation_id").notNull(),
  },
  (t) => [
    // A (sell, lot) pair can be allocated once per version: duplicates are impossible.
    primaryKey({
      name: "fifo_allocations_pkey",
      columns: [t.allocationVersion, t.sellTradeId, t.buyTradeId],
    }),
    index("fifo_allocations_buy_idx").on(t.allocationVersion, t.buyTradeId),
    index("fifo_allocations_symbol_time_idx").on(t.allocationVersion, t.symbol, t.sellTime),
    check("fifo_allocations_size_check", sql`${t.allocatedSize} > 0`),
    check("fifo_allocations_fees_check", sql`${t.buyFeeUsd} >= 0 and ${t.sellFeeUsd} >= 0`),
    check("fifo_allocations_order_check", sql`${t.buyTime} <= ${t.sellTime}`),
  ],
);

/** The part of a sell that open lots could not cover. Stored so invariant 1 can be checked. */
export const unmatchedSells = pgTable(
  "fifo_unmatched_sells",
  {
    allocationVersion: integer("allocation_version").notNull(),
    symbol: text("symbol").notNull(),
    sellTradeId: id64("sell_trade_id").notNull(),
    sellSize: money("sell_size").notNull(),
    matchedSize: money("matched_size").notNull(),
    unmatchedSize: money("unmatched_size").notNull(),
    sellPrice: money("sell_price").notNull(),
    sellTime: at("sell_time").notNull(),
    computationId: id64("computation_id")
      .notNull()
      .references(() => computationLog.id),
  },
  (t) => [
    primaryKey({ name: "fifo_unmatched_sells_pkey", columns: [t.allocationVersion, t.sellTradeId] }),
    index("fifo_unmatched_sells_symbol_idx").on(t.allocationVersion, t.symbol, t.sellTime),
    check("fifo_unmatched_sells_size_check", sql`${t.unmatchedSize} > 0`),
  ],
);

/**
 * Per version and symbol: where the last run stopped and the lots still open there. A row exists
 * for every (version, symbol) a run computed, so it also says which symbols a version covers.
 */
export const inventorySnapshot = pgTable(
  "fifo_inventory_snapshot",
  {
    allocationVersion: integer("allocation_version").notNull(),
    symbol: text("symbol").notNull(),
    computationId: id64("computation_id")
      .notNull()
      .references(() => computationLog.id),
    lastTradeId: id64("last_trade_id"),
    lastOrderTime: at("last_order_time"),
    tradesProcessed: bigint("trades_processed", { mode: "number" }).notNull().default(0),
    /** Fingerprint of the trades up to the snapshot point, to detect backdated inserts/changes. */
    tradesChecksum: text("trades_checksum"),
    /** [{buyTradeId, remainingSize, size, price, feeUsd, feeRemaining, orderTime}] as exact strings. */
    openLots: jsonb("open_lots").notNull().default(sql`'[]'::jsonb`),
    openSize: money("open_size").notNull().default("0"),
    takenAt: at("taken_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: "fifo_inventory_snapshot_pkey",
      columns: [t.allocationVersion, t.symbol],
    }),
  ],
);

export const ISSUE_TYPES = ["unmatched_sell", "invalid_trade", "pnl_discrepancy"] as const;
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const REVIEW_STATUSES = ["pending", "in_review", "resolved", "dismissed"] as const;

/** Problems for people to look at. Opened and auto-closed by runs, worked by reviewers. */
export const reviewQueue = pgTable(
  "manual_review_queue",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    allocationVersion: integer("allocation_version").notNull(),
    tradeId: id64("trade_id").notNull(),
    symbol: text("symbol").notNull(),
    issueType: text("issue_type").notNull(),
    severity: text("severity").notNull(),
    status: text("status").notNull().default("pending"),
    /** Why the item exists, in words (e.g. "0.5 BTC of 2 BTC had no open lot"). */
    reason: text("reason").notNull().default(""),
    details: jsonb("details").notNull().default(sql`'{}'::jsonb`),
    unmatchedSize: money("unmatched_size"),
    notionalUsd: money("notional_usd"),
    oldPnlUsd: money("old_pnl_usd"),
    newPnlUsd: money("new_pnl_usd"),
    assignedTo: id64("assigned_to").references(() => users.id, { onDelete: "set null" }),
    resolutionType: text("resolution_type"),
    resolutionNotes: text("resolution_notes"),
    resolvedBy: id64("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: at("resolved_at"),
    manualTradeId: id64("manual_trade_id"),
    openedByComputationId: id64("opened_by_computation_id").references(() => computationLog.id),
    closedByComputationId: id64("closed_by_computation_id").references(() => computationLog.id),
    /** Optimistic concurrency: every change must name the version it read. */
    rowVersion: integer("row_version").notNull().default(1),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check(
      "manual_review_queue_issue_type_check",
      sql`${t.issueType} in ('unmatched_sell', 'invalid_trade', 'pnl_discrepancy')`,
    ),
    check(
      "manual_review_queue_severity_check",
      sql`${t.severity} in ('low', 'medium', 'high', 'critical')`,
    ),
    check(
      "manual_review_queue_status_check",
      sql`${t.status} in ('pending', 'in_review', 'resolved', 'dismissed')`,
    ),
    // A run never duplicates an open item for the same trade and issue.
    uniqueIndex("manual_review_queue_one_open_item")
      .on(t.allocationVersion, t.tradeId, t.issueType)
      .where(sql`${t.status} in ('pending', 'in_review')`),
    index("manual_review_queue_status_idx").on(t.allocationVersion, t.status, t.severity),
    index("manual_review_queue_trade_idx").on(t.tradeId),
  ],
);

/** Every change to a review item, by a person or a run: the auditor's trail. */
export const reviewHistory = pgTable(
  "manual_review_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: id64("item_id")
      .notNull()
      .references(() => reviewQueue.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    actorUserId: id64("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label").notNull(),
    computationId: id64("computation_id").references(() => computationLog.id),
    notes: text("notes"),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("manual_review_history_item_idx").on(t.itemId, t.id)],
);

/** Tunable thresholds (severity bands, discrepancy tolerance, dust size), read by runs and views. */
export const settings = pgTable("fifo_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  description: text("description").notNull().default(""),
});

