-- 0014: parallel operation (following a version, drift) and cutover (the current version for
-- reports, the checklist that gates making a version current). Seed steps 4 and 5.

-- A version that follows the bot: the background runner queues an incremental run of it when the
-- trades changed and `interval_seconds` passed since the last check. The state is a row, so every
-- server process sees it and a restart keeps following.
CREATE TABLE IF NOT EXISTS "fifo_version_follow" (
	"allocation_version" integer PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"interval_seconds" integer DEFAULT 60 NOT NULL,
	-- the validation period the drift page and the cutover checklist use (UTC days, inclusive);
	-- NULL = the last 30 days that have trades
	"validation_from" date,
	"validation_to" date,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	-- when a runner last looked for new trades, what it saw, and the run it queued
	"last_checked_at" timestamp with time zone,
	"last_trades_stamp" text,
	"last_run_id" bigint,
	CONSTRAINT "fifo_version_follow_interval_check" CHECK ("interval_seconds" BETWEEN 5 AND 86400),
	CONSTRAINT "fifo_version_follow_period_check" CHECK ("validation_to" IS NULL OR "validation_from" IS NULL OR "validation_from" <= "validation_to")
);
--> statement-breakpoint
-- Each validate-allocations outcome (CLI or dashboard), tied to the version's last succeeded run
-- at the time: a later run makes the result stale for the checklist.
CREATE TABLE IF NOT EXISTS "fifo_validation_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"allocation_version" integer NOT NULL,
	"computation_id" bigint,
	"passed" boolean NOT NULL,
	"violations" integer NOT NULL,
	"trades_replayed" bigint DEFAULT 0 NOT NULL,
	"summary" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checked_by" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "fifo_validation_results_version_idx" ON "fifo_validation_results" ("allocation_version", "id");
--> statement-breakpoint
-- Every change of the current version: who, from which version, how the checklist stood, and the
-- reason when an admin overrode a failing checklist.
CREATE TABLE IF NOT EXISTS "fifo_cutovers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"allocation_version" integer NOT NULL,
	"previous_version" integer,
	"made_by" text NOT NULL,
	"made_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"checklist" jsonb NOT NULL,
	"checklist_passed" boolean NOT NULL,
	"backup_acknowledged" boolean NOT NULL,
	"override_reason" text,
	CONSTRAINT "fifo_cutovers_source_check" CHECK ("source" in ('dashboard', 'cli')),
	CONSTRAINT "fifo_cutovers_override_check" CHECK ("checklist_passed" OR "override_reason" IS NOT NULL)
);
--> statement-breakpoint
-- The version reports use: the `current_version` setting, else the newest version with
-- allocations, else 1 (the same rule as getCurrentVersion in db/queries/versions.ts).
CREATE OR REPLACE FUNCTION "fifo_current_version"() RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT coalesce(
		(SELECT CASE WHEN value ~ '^\s*[0-9]{1,9}\s*$' AND trim(value)::int > 0 THEN trim(value)::int END
		 FROM fifo_settings WHERE key = 'current_version'),
		(SELECT max(allocation_version) FROM fifo_allocations),
		1)
$$;
--> statement-breakpoint
-- One stable name for reports after cutover: the columns of fifo_allocations, rows of the current version.
CREATE OR REPLACE VIEW "fifo_allocations_current" AS
SELECT a.* FROM fifo_allocations a WHERE a.allocation_version = fifo_current_version();
--> statement-breakpoint
CREATE OR REPLACE VIEW "v_pnl_by_symbol_current" AS
SELECT p.* FROM v_pnl_by_symbol p WHERE p.allocation_version = fifo_current_version();
--> statement-breakpoint
-- Drift, per sell: old pnl_usd (trade_records) against the version's PnL of the same sell, for the
-- sells a version covers (up to its snapshot point). `cause` says why they differ. It is derived
-- here from the old parent_id and the new allocations; when the per-sell causes of the review
-- (v_allocation_discrepancies.cause) are available, this CASE is the one place to take them from.
CREATE OR REPLACE VIEW "v_pnl_drift_sells" AS
SELECT s.allocation_version, t.symbol, t.id AS sell_trade_id, t.order_time AS sell_time,
	(t.order_time AT TIME ZONE 'UTC')::date AS day,
	t.parent_id AS old_parent_id, t.pnl_usd AS old_pnl_usd,
	coalesce(n.pnl_usd, 0) AS new_pnl_usd,
	coalesce(n.pnl_usd, 0) - coalesce(t.pnl_usd, 0) AS difference_usd,
	abs(coalesce(n.pnl_usd, 0) - coalesce(t.pnl_usd, 0)) > coalesce(
		(SELECT value::numeric FROM fifo_settings WHERE key = 'pnl_discrepancy_threshold_usd'), 0) AS differs,
	coalesce(n.lots, 0) AS new_lots, coalesce(u.unmatched_size, 0) AS unmatched_size,
	-- The run's classification of the difference (fifo_pnl_differences, 0008). The run classifies
	-- sells that carry an old pnl_usd; one without (old PnL taken as 0) has no old match.
	CASE
		WHEN abs(coalesce(n.pnl_usd, 0) - coalesce(t.pnl_usd, 0)) <= coalesce(
			(SELECT value::numeric FROM fifo_settings WHERE key = 'pnl_discrepancy_threshold_usd'), 0) THEN NULL
		ELSE coalesce(d.cause, CASE
			WHEN t.pnl_usd IS NULL OR t.parent_id IS NULL THEN 'no_old_match'
			WHEN u.unmatched_size > 0 THEN 'new_unmatched'
			ELSE 'unexplained' END)
	END AS cause
FROM fifo_inventory_snapshot s
JOIN trade_records t ON t.symbol = s.symbol AND t.side = 'sell' AND t.status = 'filled'
	AND t.size > 0 AND t.size <> 'NaN' AND t.price > 0 AND t.price <> 'NaN'
	AND (t.order_time, t.id) <= (s.last_order_time, s.last_trade_id)
LEFT JOIN LATERAL (
	SELECT sum(a.pnl_usd) AS pnl_usd, count(*) AS lots, bool_or(a.buy_trade_id = t.parent_id) AS old_lot_used
	FROM fifo_allocations a WHERE a.allocation_version = s.allocation_version AND a.sell_trade_id = t.id
) n ON true
LEFT JOIN fifo_unmatched_sells u ON u.allocation_version = s.allocation_version AND u.sell_trade_id = t.id
LEFT JOIN fifo_pnl_differences d ON d.allocation_version = s.allocation_version AND d.sell_trade_id = t.id;
--> statement-breakpoint
-- Drift per UTC day: old vs new realized PnL of the sells of that day, and how many disagree.
CREATE OR REPLACE VIEW "v_pnl_drift_daily" AS
SELECT allocation_version, day, count(*) AS sells, sum(coalesce(old_pnl_usd, 0)) AS old_pnl_usd,
	sum(new_pnl_usd) AS new_pnl_usd, sum(difference_usd) AS difference_usd,
	count(*) FILTER (WHERE differs) AS differing_sells
FROM v_pnl_drift_sells GROUP BY allocation_version, day;
--> statement-breakpoint
-- The current version changes only by a cutover (set-current-version, the versions page), never
-- because another version was computed: the first version that succeeds is pinned as current,
-- and a database that already has allocations pins the one its dashboard shows today.
INSERT INTO "fifo_settings" ("key", "value", "description")
SELECT 'current_version', fifo_current_version()::text, 'The allocation version the dashboard treats as current'
WHERE EXISTS (SELECT 1 FROM fifo_allocations)
ON CONFLICT ("key") DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "fifo_pin_first_current_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fifo_settings (key, value, description)
	VALUES ('current_version', NEW.allocation_version::text, 'The allocation version the dashboard treats as current')
	ON CONFLICT (key) DO NOTHING;
	RETURN NEW;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS "fifo_pin_first_current_version" ON "fifo_computation_log";
--> statement-breakpoint
CREATE TRIGGER "fifo_pin_first_current_version" AFTER UPDATE OF "status" ON "fifo_computation_log"
FOR EACH ROW WHEN (NEW.status = 'succeeded' AND OLD.status IS DISTINCT FROM 'succeeded')
EXECUTE FUNCTION "fifo_pin_first_current_version"();
