-- 0008_discrepancy_causes: hand-written SQL; separate statements with a statement-breakpoint marker line.
-- Differences explained by cause (issue 9): every sell whose old pnl_usd differs from its new PnL,
-- with the cause a run found; totals per cause for the Discrepancies page; reviewers' decisions
-- to accept a cause for a version (who, when, why; undone, not deleted); the review item a
-- decision settled. pnl_discrepancy items are now opened only for unexplained causes and
-- differences above pnl_discrepancy_item_above_usd.
CREATE TABLE IF NOT EXISTS "fifo_pnl_differences" (
	"allocation_version" integer NOT NULL,
	"sell_trade_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"sell_time" timestamp with time zone NOT NULL,
	"old_parent_id" bigint,
	"old_pnl_usd" numeric NOT NULL,
	"new_pnl_usd" numeric NOT NULL,
	"difference_usd" numeric NOT NULL,
	"cause" text NOT NULL,
	"computation_id" bigint NOT NULL,
	CONSTRAINT "fifo_pnl_differences_pkey" PRIMARY KEY ("allocation_version", "sell_trade_id")
);
--> statement-breakpoint
-- The cause summary's examples: the largest differences of one symbol and cause (a few probes per
-- fifo_cause_totals row, with or without a symbol filter).
CREATE INDEX IF NOT EXISTS "fifo_pnl_differences_examples_idx"
	ON "fifo_pnl_differences" ("allocation_version", "symbol", "cause", (abs("difference_usd")) DESC, "sell_trade_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "fifo_cause_totals" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"cause" text NOT NULL,
	"sells" bigint NOT NULL,
	"total_difference_usd" numeric NOT NULL,
	"largest_abs_difference_usd" numeric NOT NULL,
	CONSTRAINT "fifo_cause_totals_pkey" PRIMARY KEY ("allocation_version", "symbol", "cause")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "fifo_cause_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"allocation_version" integer NOT NULL,
	"cause" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by" bigint REFERENCES "app_users"("id") ON DELETE SET NULL,
	"decided_by_label" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_by" bigint REFERENCES "app_users"("id") ON DELETE SET NULL,
	"undone_by_label" text,
	"undone_at" timestamp with time zone,
	"undo_reason" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "fifo_cause_decisions_one_active"
	ON "fifo_cause_decisions" ("allocation_version", "cause") WHERE "undone_at" IS NULL;
--> statement-breakpoint
-- The item's trade time, written by runs, so the review pages group, count and sort by month and
-- time without reading trade_records for every item.
ALTER TABLE "manual_review_queue" ADD COLUMN IF NOT EXISTS "trade_order_time" timestamp with time zone;
--> statement-breakpoint
UPDATE "manual_review_queue" q SET "trade_order_time" = t."order_time"
FROM "trade_records" t WHERE t."id" = q."trade_id" AND q."trade_order_time" IS NULL;
--> statement-breakpoint
ALTER TABLE "manual_review_queue" ADD COLUMN IF NOT EXISTS "settled_by_decision_id" bigint REFERENCES "fifo_cause_decisions"("id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_settled_by_idx"
	ON "manual_review_queue" ("settled_by_decision_id") WHERE "settled_by_decision_id" IS NOT NULL;
--> statement-breakpoint
INSERT INTO "fifo_settings" ("key", "value", "description") VALUES
	('pnl_discrepancy_item_above_usd', '1000', 'A PnL difference with an explained cause opens its own review item only above this size (USD); unexplained ones always do')
ON CONFLICT ("key") DO NOTHING;
--> statement-breakpoint
-- The review queue's default order as ascending keys (db/review/queue.ts, SEVERITY_ORDER_SQL and
-- NOTIONAL_ORDER_SQL in db/review/source.ts: change together), so a deep page starts with an index
-- seek after the previous page's last item (keyset) instead of reading every earlier row.
CREATE INDEX IF NOT EXISTS "manual_review_queue_priority_seek_idx" ON "manual_review_queue" (
	"allocation_version",
	(CASE "status" WHEN 'pending' THEN 0 WHEN 'in_review' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END),
	(CASE "severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END),
	(coalesce(-"notional_usd", 'infinity'::numeric)),
	"id"
);
--> statement-breakpoint
DROP INDEX IF EXISTS "manual_review_queue_priority_idx";
--> statement-breakpoint
-- Covered by manual_review_queue_symbol_id_idx (filters) and manual_review_queue_counts_idx (counts).
DROP INDEX IF EXISTS "manual_review_queue_symbol_type_idx";
--> statement-breakpoint
-- v_allocation_discrepancies as in 0001, plus the cause of each pnl_difference (last column).
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
	'allocated ' || allocated || ' + unmatched ' || unmatched || ' <> sell size ' || size AS details,
	NULL::text AS cause
FROM sell_totals WHERE allocated + unmatched <> size
UNION ALL
SELECT b.allocation_version, 'buy_overallocated', b.symbol, b.buy_trade_id, NULL, t.size, b.allocated,
	b.allocated - t.size, 'allocated ' || b.allocated || ' > buy size ' || t.size, NULL
FROM buy_totals b JOIN trade_records t ON t.id = b.buy_trade_id
WHERE b.allocated > t.size
UNION ALL
SELECT a.allocation_version, 'buy_not_before_sell', a.symbol, a.sell_trade_id, a.buy_trade_id, NULL, NULL, NULL,
	'buy ' || a.buy_trade_id || ' at ' || b.order_time || ' does not come before sell ' || a.sell_trade_id || ' at ' || s.order_time,
	NULL
FROM fifo_allocations a
JOIN trade_records b ON b.id = a.buy_trade_id
JOIN trade_records s ON s.id = a.sell_trade_id
WHERE (b.order_time, b.id) >= (s.order_time, s.id)
UNION ALL
SELECT st.allocation_version, 'pnl_difference', st.symbol, st.id, NULL, st.old_pnl_usd, st.new_pnl_usd,
	st.new_pnl_usd - st.old_pnl_usd, 'old pnl_usd ' || st.old_pnl_usd || ', new ' || st.new_pnl_usd,
	coalesce(d.cause, 'unclassified')
FROM sell_totals st
LEFT JOIN fifo_pnl_differences d ON d.allocation_version = st.allocation_version AND d.sell_trade_id = st.id
WHERE st.old_pnl_usd IS NOT NULL AND abs(st.new_pnl_usd - st.old_pnl_usd) > coalesce(
	(SELECT value::numeric FROM fifo_settings WHERE key = 'pnl_discrepancy_threshold_usd'), 0);
