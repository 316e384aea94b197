-- 0002_dashboard_read_models: indexes and pre-aggregated read models for the dashboard, so every
-- page renders fast at 1,000,000 trades. The dash_* tables are derived data: db/read-models.ts
-- rebuilds a version's rows after each successful run (refreshReadModels), and pages rebuild them
-- on demand when dash_refresh_state says they are older than the version's allocations.
-- The dash_* tables are UNLOGGED: derived data need no WAL. A server crash empties them all,
-- dash_refresh_state included, and the next page view rebuilds them.
-- Hand-written SQL; statements separated by statement-breakpoint marker lines.
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_refresh_state" (
	"allocation_version" integer PRIMARY KEY,
	-- what the rows were built from: max(computation_id):count(*) of fifo_inventory_snapshot
	"source_stamp" text NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"duration_ms" integer NOT NULL DEFAULT 0,
	-- milliseconds per build step of the last refresh
	"steps" jsonb NOT NULL DEFAULT '{}'::jsonb
);
--> statement-breakpoint
-- One row per sell a version covers: its new PnL beside the old system's and the snapshot's.
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_sell_pnl" (
	"allocation_version" integer NOT NULL,
	"sell_trade_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"sell_time" timestamp with time zone NOT NULL,
	"sell_size" numeric NOT NULL,
	"matched_size" numeric NOT NULL,
	"unmatched_size" numeric NOT NULL,
	"lots" integer NOT NULL,
	"new_pnl_usd" numeric NOT NULL,
	"old_parent_id" bigint,
	"old_pnl_usd" numeric,
	-- the sell is one the version's runs covered (v_allocation_discrepancies' definition)
	"covered" boolean NOT NULL,
	-- the sell was in historical_pnl_snapshot_20251120 (had a parent_id when the migration ran)
	"in_snapshot" boolean NOT NULL,
	"snapshot_pnl_usd" numeric,
	-- new - coalesce(old, 0): summed over sells it equals the per-symbol difference
	"old_difference_usd" numeric NOT NULL,
	-- new - coalesce(snapshot, 0), only for sells in the snapshot
	"snapshot_difference_usd" numeric,
	CONSTRAINT "dash_sell_pnl_pkey" PRIMARY KEY ("allocation_version", "sell_trade_id")
);
--> statement-breakpoint
-- The largest per-sell differences, precomputed: the top 100 per (version, baseline) overall
-- (symbol '*') and per symbol. baseline: 'old', 'snapshot' or 'v<N>' (another version).
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_largest_differences" (
	"allocation_version" integer NOT NULL,
	"baseline" text NOT NULL,
	"scope" text NOT NULL,
	"rank" integer NOT NULL,
	"sell_trade_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"sell_time" timestamp with time zone NOT NULL,
	"baseline_usd" numeric,
	"target_usd" numeric,
	"difference_usd" numeric NOT NULL,
	"old_parent_id" bigint,
	CONSTRAINT "dash_largest_differences_pkey" PRIMARY KEY ("allocation_version", "baseline", "scope", "rank")
);
--> statement-breakpoint
-- Sells whose new PnL differs between two versions (version_hi > version_lo), difference = hi - lo.
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_version_sell_diff" (
	"version_hi" integer NOT NULL,
	"version_lo" integer NOT NULL,
	"sell_trade_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"sell_time" timestamp with time zone NOT NULL,
	"pnl_hi_usd" numeric,
	"pnl_lo_usd" numeric,
	"difference_usd" numeric NOT NULL,
	CONSTRAINT "dash_version_sell_diff_pkey" PRIMARY KEY ("version_hi", "version_lo", "sell_trade_id")
);
--> statement-breakpoint
-- v_pnl_by_symbol for one version, plus what the overview and the compare page need.
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_symbol_pnl" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"allocations" bigint NOT NULL,
	"sells_matched" bigint NOT NULL,
	"sells_partially_matched" bigint NOT NULL,
	"sells_unmatched" bigint NOT NULL,
	"allocated_size" numeric NOT NULL,
	"cost_basis_usd" numeric NOT NULL,
	"proceeds_usd" numeric NOT NULL,
	"fees_usd" numeric NOT NULL,
	"realized_pnl_usd" numeric NOT NULL,
	"unmatched_sells" bigint NOT NULL,
	"unmatched_size" numeric NOT NULL,
	"unmatched_notional_usd" numeric NOT NULL,
	"open_size" numeric NOT NULL,
	"old_pnl_usd" numeric NOT NULL,
	"pnl_difference_usd" numeric NOT NULL,
	-- over the sells in the historical snapshot only: their snapshot PnL and their new PnL
	"snapshot_pnl_usd" numeric NOT NULL,
	"snapshot_new_pnl_usd" numeric NOT NULL,
	"computation_id" bigint NOT NULL,
	CONSTRAINT "dash_symbol_pnl_pkey" PRIMARY KEY ("allocation_version", "symbol")
);
--> statement-breakpoint
-- Realized PnL per UTC day: new (allocations by sell day), old (trade_records.pnl_usd of sells),
-- and the historical snapshot's, for the cumulative charts.
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_daily_pnl" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"day" date NOT NULL,
	"new_pnl_usd" numeric NOT NULL,
	"old_pnl_usd" numeric NOT NULL,
	"snapshot_pnl_usd" numeric NOT NULL,
	"snapshot_new_pnl_usd" numeric NOT NULL,
	CONSTRAINT "dash_daily_pnl_pkey" PRIMARY KEY ("allocation_version", "symbol", "day")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_daily_pnl_day_idx" ON "dash_daily_pnl" ("allocation_version", "day");
--> statement-breakpoint
-- Histogram of per-sell differences (new minus baseline) in signed powers of ten: bucket 0 is
-- |d| < 0.01, bucket k (1..8) is 0.01*10^(k-1) <= |d| < 0.01*10^k (8 = everything above), sign = sign(d).
-- baseline: 'old' (trade_records.pnl_usd), 'snapshot' (historical snapshot), or 'v<N>' (version N < allocation_version).
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_diff_histogram" (
	"allocation_version" integer NOT NULL,
	"baseline" text NOT NULL,
	"symbol" text NOT NULL,
	"bucket" smallint NOT NULL,
	"sells" bigint NOT NULL,
	"difference_usd" numeric NOT NULL,
	CONSTRAINT "dash_diff_histogram_pkey" PRIMARY KEY ("allocation_version", "baseline", "symbol", "bucket")
);
--> statement-breakpoint
-- v_allocation_discrepancies for one version, materialized (the view recomputes every sell), and
-- its counts per symbol and type.
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_discrepancies" (
	"id" bigserial PRIMARY KEY,
	"allocation_version" integer NOT NULL,
	"discrepancy_type" text NOT NULL,
	"symbol" text NOT NULL,
	"trade_id" bigint NOT NULL,
	"related_trade_id" bigint,
	"expected" numeric,
	"actual" numeric,
	"difference" numeric,
	"abs_difference" numeric,
	"details" text NOT NULL,
	"trade_time" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_discrepancies_abs_idx" ON "dash_discrepancies" ("allocation_version", "abs_difference" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_discrepancies_rare_idx" ON "dash_discrepancies" ("allocation_version", "discrepancy_type", "abs_difference" DESC, "id" DESC) WHERE "discrepancy_type" <> 'pnl_difference';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_discrepancies_time_idx" ON "dash_discrepancies" ("allocation_version", "trade_time", "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_discrepancies_symbol_idx" ON "dash_discrepancies" ("allocation_version", "symbol", "abs_difference" DESC, "id" DESC);
--> statement-breakpoint
CREATE UNLOGGED TABLE IF NOT EXISTS "dash_discrepancy_counts" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"discrepancy_type" text NOT NULL,
	"discrepancies" bigint NOT NULL,
	CONSTRAINT "dash_discrepancy_counts_pkey" PRIMARY KEY ("allocation_version", "symbol", "discrepancy_type")
);
--> statement-breakpoint
-- Indexes on the live tables for the tables' sort orders across all symbols.
CREATE INDEX IF NOT EXISTS "dash_fifo_allocations_time_idx" ON "fifo_allocations" ("allocation_version", "sell_time", "sell_trade_id", "buy_trade_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_fifo_allocations_pnl_idx" ON "fifo_allocations" ("allocation_version", "pnl_usd", "sell_trade_id", "buy_trade_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_fifo_unmatched_sells_time_idx" ON "fifo_unmatched_sells" ("allocation_version", "sell_time", "sell_trade_id");
--> statement-breakpoint
-- The bot's table gets one index of ours (dropped again by rollback; its rows are never touched):
-- the trades table sorts by time across all symbols.
CREATE INDEX IF NOT EXISTS "dash_trade_records_time_idx" ON "trade_records" ("order_time", "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dash_trade_records_parent_idx" ON "trade_records" ("parent_id") WHERE "parent_id" IS NOT NULL;
