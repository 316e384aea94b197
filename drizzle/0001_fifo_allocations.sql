CREATE TABLE "fifo_allocations" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"sell_trade_id" bigint NOT NULL,
	"buy_trade_id" bigint NOT NULL,
	"allocated_size" numeric NOT NULL,
	"buy_price" numeric NOT NULL,
	"sell_price" numeric NOT NULL,
	"buy_fee_usd" numeric NOT NULL,
	"sell_fee_usd" numeric NOT NULL,
	"pnl_usd" numeric NOT NULL,
	"buy_time" timestamp with time zone NOT NULL,
	"sell_time" timestamp with time zone NOT NULL,
	"computation_id" bigint NOT NULL,
	CONSTRAINT "fifo_allocations_pkey" PRIMARY KEY("allocation_version","sell_trade_id","buy_trade_id"),
	CONSTRAINT "fifo_allocations_size_check" CHECK ("fifo_allocations"."allocated_size" > 0),
	CONSTRAINT "fifo_allocations_fees_check" CHECK ("fifo_allocations"."buy_fee_usd" >= 0 and "fifo_allocations"."sell_fee_usd" >= 0),
	CONSTRAINT "fifo_allocations_order_check" CHECK ("fifo_allocations"."buy_time" <= "fifo_allocations"."sell_time")
);
--> statement-breakpoint
CREATE TABLE "fifo_computation_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"allocation_version" integer NOT NULL,
	"symbols" text[],
	"mode" text DEFAULT 'full' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"started_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"trades_read" bigint DEFAULT 0 NOT NULL,
	"allocations_written" bigint DEFAULT 0 NOT NULL,
	"unmatched_sells" integer DEFAULT 0 NOT NULL,
	"invalid_trades" integer DEFAULT 0 NOT NULL,
	"review_items_opened" integer DEFAULT 0 NOT NULL,
	"review_items_closed" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"heartbeat_at" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"worker_pid" integer,
	CONSTRAINT "fifo_computation_log_mode_check" CHECK ("fifo_computation_log"."mode" in ('full', 'incremental')),
	CONSTRAINT "fifo_computation_log_status_check" CHECK ("fifo_computation_log"."status" in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
	CONSTRAINT "fifo_computation_log_version_check" CHECK ("fifo_computation_log"."allocation_version" > 0)
);
--> statement-breakpoint
CREATE TABLE "fifo_inventory_snapshot" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"computation_id" bigint NOT NULL,
	"last_trade_id" bigint,
	"last_order_time" timestamp with time zone,
	"trades_processed" bigint DEFAULT 0 NOT NULL,
	"trades_checksum" text,
	"open_lots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"open_size" numeric DEFAULT '0' NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fifo_inventory_snapshot_pkey" PRIMARY KEY("allocation_version","symbol")
);
--> statement-breakpoint
CREATE TABLE "manual_review_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_user_id" bigint,
	"actor_label" text NOT NULL,
	"computation_id" bigint,
	"notes" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manual_review_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"allocation_version" integer NOT NULL,
	"trade_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"issue_type" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"unmatched_size" numeric,
	"notional_usd" numeric,
	"old_pnl_usd" numeric,
	"new_pnl_usd" numeric,
	"assigned_to" bigint,
	"resolution_type" text,
	"resolution_notes" text,
	"resolved_by" bigint,
	"resolved_at" timestamp with time zone,
	"manual_trade_id" bigint,
	"opened_by_computation_id" bigint,
	"closed_by_computation_id" bigint,
	"row_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "manual_review_queue_issue_type_check" CHECK ("manual_review_queue"."issue_type" in ('unmatched_sell', 'invalid_trade', 'pnl_discrepancy')),
	CONSTRAINT "manual_review_queue_severity_check" CHECK ("manual_review_queue"."severity" in ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "manual_review_queue_status_check" CHECK ("manual_review_queue"."status" in ('pending', 'in_review', 'resolved', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "fifo_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"description" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fifo_unmatched_sells" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"sell_trade_id" bigint NOT NULL,
	"sell_size" numeric NOT NULL,
	"matched_size" numeric NOT NULL,
	"unmatched_size" numeric NOT NULL,
	"sell_price" numeric NOT NULL,
	"sell_time" timestamp with time zone NOT NULL,
	"computation_id" bigint NOT NULL,
	CONSTRAINT "fifo_unmatched_sells_pkey" PRIMARY KEY("allocation_version","sell_trade_id"),
	CONSTRAINT "fifo_unmatched_sells_size_check" CHECK ("fifo_unmatched_sells"."unmatched_size" > 0)
);
--> statement-breakpoint
ALTER TABLE "fifo_allocations" ADD CONSTRAINT "fifo_allocations_computation_id_fifo_computation_log_id_fk" FOREIGN KEY ("computation_id") REFERENCES "public"."fifo_computation_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fifo_inventory_snapshot" ADD CONSTRAINT "fifo_inventory_snapshot_computation_id_fifo_computation_log_id_fk" FOREIGN KEY ("computation_id") REFERENCES "public"."fifo_computation_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_history" ADD CONSTRAINT "manual_review_history_item_id_manual_review_queue_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."manual_review_queue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_history" ADD CONSTRAINT "manual_review_history_actor_user_id_app_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_history" ADD CONSTRAINT "manual_review_history_computation_id_fifo_computation_log_id_fk" FOREIGN KEY ("computation_id") REFERENCES "public"."fifo_computation_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_queue" ADD CONSTRAINT "manual_review_queue_assigned_to_app_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."app_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_queue" ADD CONSTRAINT "manual_review_queue_resolved_by_app_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."app_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_queue" ADD CONSTRAINT "manual_review_queue_opened_by_computation_id_fifo_computation_log_id_fk" FOREIGN KEY ("opened_by_computation_id") REFERENCES "public"."fifo_computation_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_review_queue" ADD CONSTRAINT "manual_review_queue_closed_by_computation_id_fifo_computation_log_id_fk" FOREIGN KEY ("closed_by_computation_id") REFERENCES "public"."fifo_computation_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fifo_unmatched_sells" ADD CONSTRAINT "fifo_unmatched_sells_computation_id_fifo_computation_log_id_fk" FOREIGN KEY ("computation_id") REFERENCES "public"."fifo_computation_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fifo_allocations_buy_idx" ON "fifo_allocations" USING btree ("allocation_version","buy_trade_id");--> statement-breakpoint
CREATE INDEX "fifo_allocations_symbol_time_idx" ON "fifo_allocations" USING btree ("allocation_version","symbol","sell_time");--> statement-breakpoint
CREATE UNIQUE INDEX "fifo_computation_log_one_active_run" ON "fifo_computation_log" USING btree ("allocation_version") WHERE "fifo_computation_log"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "fifo_computation_log_version_idx" ON "fifo_computation_log" USING btree ("allocation_version","id");--> statement-breakpoint
CREATE INDEX "manual_review_history_item_idx" ON "manual_review_history" USING btree ("item_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "manual_review_queue_one_open_item" ON "manual_review_queue" USING btree ("allocation_version","trade_id","issue_type") WHERE "manual_review_queue"."status" in ('pending', 'in_review');--> statement-breakpoint
CREATE INDEX "manual_review_queue_status_idx" ON "manual_review_queue" USING btree ("allocation_version","status","severity");--> statement-breakpoint
CREATE INDEX "manual_review_queue_trade_idx" ON "manual_review_queue" USING btree ("trade_id");--> statement-breakpoint
CREATE INDEX "fifo_unmatched_sells_symbol_idx" ON "fifo_unmatched_sells" USING btree ("allocation_version","symbol","sell_time");--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------
-- Hand-written below: settings defaults, views and the historical snapshot (drizzle-kit cannot
-- express them). Valid trades, everywhere below: filled, size and price > 0 and not NaN.
-- ---------------------------------------------------------------------------------------------
INSERT INTO "fifo_settings" ("key", "value", "description") VALUES
	('severity_low_below_usd', '10', 'Unmatched notional (USD) below this is low severity'),
	('severity_medium_below_usd', '1000', 'Unmatched notional (USD) below this is medium severity'),
	('severity_high_below_usd', '10000', 'Unmatched notional (USD) below this is high severity; at or above it, critical'),
	('pnl_discrepancy_threshold_usd', '0.01', 'A sell whose old pnl_usd differs from its new PnL by more than this opens a pnl_discrepancy item'),
	('dust_notional_usd', '1', 'Unmatched remainders worth less than this (USD) are dust')
ON CONFLICT ("key") DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE VIEW "v_unmatched_sells" AS
SELECT u.allocation_version, u.symbol, u.sell_trade_id, u.sell_time, u.sell_size, u.matched_size,
	u.unmatched_size, u.sell_price, u.unmatched_size * u.sell_price AS unmatched_notional_usd,
	t.parent_id AS old_parent_id, t.pnl_usd AS old_pnl_usd,
	q.id AS review_item_id, q.severity, q.status AS review_status, u.computation_id
FROM fifo_unmatched_sells u
JOIN trade_records t ON t.id = u.sell_trade_id
LEFT JOIN LATERAL (
	SELECT r.id, r.severity, r.status FROM manual_review_queue r
	WHERE r.allocation_version = u.allocation_version AND r.trade_id = u.sell_trade_id
		AND r.issue_type = 'unmatched_sell'
	ORDER BY r.id DESC LIMIT 1
) q ON true;
--> statement-breakpoint
CREATE OR REPLACE VIEW "v_pnl_by_symbol" AS
WITH a AS (
	SELECT allocation_version, symbol, count(*) AS allocations,
		count(DISTINCT sell_trade_id) AS sells_matched, sum(allocated_size) AS allocated_size,
		sum(allocated_size * buy_price) AS cost_basis_usd, sum(allocated_size * sell_price) AS proceeds_usd,
		sum(buy_fee_usd + sell_fee_usd) AS fees_usd, sum(pnl_usd) AS realized_pnl_usd
	FROM fifo_allocations GROUP BY allocation_version, symbol
), u AS (
	SELECT allocation_version, symbol, count(*) AS unmatched_sells, sum(unmatched_size) AS unmatched_size,
		sum(unmatched_size * sell_price) AS unmatched_notional_usd
	FROM fifo_unmatched_sells GROUP BY allocation_version, symbol
), o AS (
	SELECT symbol, sum(pnl_usd) AS old_pnl_usd FROM trade_records WHERE side = 'sell' GROUP BY symbol
)
SELECT s.allocation_version, s.symbol,
	coalesce(a.allocations, 0) AS allocations, coalesce(a.sells_matched, 0) AS sells_matched,
	coalesce(a.allocated_size, 0) AS allocated_size, coalesce(a.cost_basis_usd, 0) AS cost_basis_usd,
	coalesce(a.proceeds_usd, 0) AS proceeds_usd, coalesce(a.fees_usd, 0) AS fees_usd,
	coalesce(a.realized_pnl_usd, 0) AS realized_pnl_usd,
	coalesce(u.unmatched_sells, 0) AS unmatched_sells, coalesce(u.unmatched_size, 0) AS unmatched_size,
	coalesce(u.unmatched_notional_usd, 0) AS unmatched_notional_usd,
	s.open_size, coalesce(o.old_pnl_usd, 0) AS old_pnl_usd,
	coalesce(a.realized_pnl_usd, 0) - coalesce(o.old_pnl_usd, 0) AS pnl_difference_usd
FROM fifo_inventory_snapshot s
LEFT JOIN a ON a.allocation_version = s.allocation_version AND a.symbol = s.symbol
LEFT JOIN u ON u.allocation_version = s.allocation_version AND u.symbol = s.symbol
LEFT JOIN o ON o.symbol = s.symbol;
--> statement-breakpoint
CREATE OR REPLACE VIEW "v_allocation_health" AS
WITH versions AS (
	SELECT allocation_version FROM fifo_computation_log
	UNION SELECT allocation_version FROM fifo_inventory_snapshot
), per_symbol AS (
	SELECT allocation_version, count(*) AS symbols, sum(sells_matched) AS sells_with_allocations,
		sum(allocations) AS allocations, sum(realized_pnl_usd) AS new_pnl_usd, sum(old_pnl_usd) AS old_pnl_usd,
		sum(unmatched_notional_usd) AS unmatched_notional_usd
	FROM v_pnl_by_symbol GROUP BY allocation_version
), unmatched AS (
	SELECT allocation_version, count(*) FILTER (WHERE matched_size > 0) AS partially_matched,
		count(*) FILTER (WHERE matched_size = 0) AS not_matched
	FROM fifo_unmatched_sells GROUP BY allocation_version
), reviews AS (
	SELECT allocation_version,
		count(*) FILTER (WHERE status IN ('pending', 'in_review')) AS open_review_items,
		count(*) FILTER (WHERE status IN ('pending', 'in_review') AND severity = 'critical') AS open_critical,
		count(*) FILTER (WHERE status IN ('pending', 'in_review') AND severity = 'high') AS open_high,
		count(*) FILTER (WHERE status IN ('pending', 'in_review') AND severity = 'medium') AS open_medium,
		count(*) FILTER (WHERE status IN ('pending', 'in_review') AND severity = 'low') AS open_low
	FROM manual_review_queue GROUP BY allocation_version
), last_run AS (
	SELECT DISTINCT ON (allocation_version) allocation_version, id, status, started_at, finished_at
	FROM fifo_computation_log ORDER BY allocation_version, id DESC
)
SELECT v.allocation_version,
	coalesce(p.symbols, 0) AS symbols,
	coalesce(p.sells_with_allocations, 0) + coalesce(um.not_matched, 0) AS sells_total,
	coalesce(p.sells_with_allocations, 0) - coalesce(um.partially_matched, 0) AS sells_fully_matched,
	coalesce(um.partially_matched, 0) AS sells_partially_matched,
	coalesce(um.not_matched, 0) AS sells_unmatched,
	coalesce(p.allocations, 0) AS allocations,
	coalesce(p.new_pnl_usd, 0) AS new_pnl_usd,
	coalesce(p.old_pnl_usd, 0) AS old_pnl_usd,
	coalesce(p.new_pnl_usd, 0) - coalesce(p.old_pnl_usd, 0) AS pnl_difference_usd,
	coalesce(p.unmatched_notional_usd, 0) AS unmatched_notional_usd,
	coalesce(r.open_review_items, 0) AS open_review_items,
	coalesce(r.open_critical, 0) AS open_critical, coalesce(r.open_high, 0) AS open_high,
	coalesce(r.open_medium, 0) AS open_medium, coalesce(r.open_low, 0) AS open_low,
	lr.id AS last_run_id, lr.status AS last_run_status, lr.started_at AS last_run_started_at,
	lr.finished_at AS last_run_finished_at,
	CASE
		WHEN lr.status IN ('queued', 'running') THEN 'computing'
		WHEN lr.status IN ('failed', 'cancelled') THEN 'last_run_failed'
		WHEN coalesce(r.open_critical, 0) + coalesce(r.open_high, 0) > 0 THEN 'needs_review'
		WHEN coalesce(r.open_review_items, 0) > 0 THEN 'minor_issues'
		ELSE 'healthy'
	END AS health_status
FROM versions v
LEFT JOIN per_symbol p ON p.allocation_version = v.allocation_version
LEFT JOIN unmatched um ON um.allocation_version = v.allocation_version
LEFT JOIN reviews r ON r.allocation_version = v.allocation_version
LEFT JOIN last_run lr ON lr.allocation_version = v.allocation_version;
--> statement-breakpoint
CREATE OR REPLACE VIEW "v_allocation_discrepancies" AS
WITH covered_sells AS (
	SELECT s.allocation_version, t.id, t.symbol, t.size, t.pnl_usd
	FROM fifo_inventory_snapshot s
	JOIN trade_records t ON t.symbol = s.symbol AND t.side = 'sell' AND t.status = 'filled'
		AND t.size > 0 AND t.size <> 'NaN' AND t.price > 0 AND t.price <> 'NaN'
		AND (t.order_time, t.id) <= (s.last_order_time, s.last_trade_id)
), sell_totals AS (
	SELECT c.allocation_version, c.id, c.symbol, c.size, c.pnl_usd AS old_pnl_usd,
		coalesce((SELECT sum(a.allocated_size) FROM fifo_allocations a
			WHERE a.allocation_version = c.allocation_version AND a.sell_trade_id = c.id), 0) AS allocated,
		coalesce((SELECT sum(a.pnl_usd) FROM fifo_allocations a
			WHERE a.allocation_version = c.allocation_version AND a.sell_trade_id = c.id), 0) AS new_pnl_usd,
		coalesce((SELECT u.unmatched_size FROM fifo_unmatched_sells u
			WHERE u.allocation_version = c.allocation_version AND u.sell_trade_id = c.id), 0) AS unmatched
	FROM covered_sells c
), buy_totals AS (
	SELECT a.allocation_version, a.buy_trade_id, a.symbol, sum(a.allocated_size) AS allocated
	FROM fifo_allocations a GROUP BY a.allocation_version, a.buy_trade_id, a.symbol
)
SELECT allocation_version, 'sell_size_mismatch'::text AS discrepancy_type, symbol, id AS trade_id,
	NULL::bigint AS related_trade_id, size AS expected, allocated + unmatched AS actual,
	allocated + unmatched - size AS difference,
	'allocated ' || allocated || ' + unmatched ' || unmatched || ' <> sell size ' || size AS details
FROM sell_totals WHERE allocated + unmatched <> size
UNION ALL
SELECT b.allocation_version, 'buy_overallocated', b.symbol, b.buy_trade_id, NULL, t.size, b.allocated,
	b.allocated - t.size, 'allocated ' || b.allocated || ' > buy size ' || t.size
FROM buy_totals b JOIN trade_records t ON t.id = b.buy_trade_id
WHERE b.allocated > t.size
UNION ALL
SELECT a.allocation_version, 'buy_not_before_sell', a.symbol, a.sell_trade_id, a.buy_trade_id, NULL, NULL, NULL,
	'buy ' || a.buy_trade_id || ' at ' || b.order_time || ' does not come before sell ' || a.sell_trade_id || ' at ' || s.order_time
FROM fifo_allocations a
JOIN trade_records b ON b.id = a.buy_trade_id
JOIN trade_records s ON s.id = a.sell_trade_id
WHERE (b.order_time, b.id) >= (s.order_time, s.id)
UNION ALL
SELECT allocation_version, 'pnl_difference', symbol, id, NULL, old_pnl_usd, new_pnl_usd,
	new_pnl_usd - old_pnl_usd, 'old pnl_usd ' || old_pnl_usd || ', new ' || new_pnl_usd
FROM sell_totals
WHERE old_pnl_usd IS NOT NULL AND abs(new_pnl_usd - old_pnl_usd) > coalesce(
	(SELECT value::numeric FROM fifo_settings WHERE key = 'pnl_discrepancy_threshold_usd'), 0);
--> statement-breakpoint
-- The old system's matches as they stood when the migration first ran. Kept by rollback, never
-- rebuilt: re-running the migration leaves an existing snapshot exactly as it is.
CREATE TABLE IF NOT EXISTS "historical_pnl_snapshot_20251120" AS
SELECT id AS trade_id, symbol, side, size, price, fee_usd, order_time, status,
	parent_id, pnl_usd, remaining_size, now() AS snapshot_taken_at
FROM trade_records WHERE side = 'sell' AND parent_id IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "historical_pnl_snapshot_20251120_trade_id_key"
	ON "historical_pnl_snapshot_20251120" ("trade_id");
