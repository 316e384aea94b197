-- Removes everything the FIFO migration (0001) and later FIFO migrations added.
-- Never touches trade_records (except indexes an operator opted into), the dashboard's users,
-- historical_pnl_snapshot_20251120 or fifo_manual_trades.
-- Keep this file in step with every migration after 0000.
-- 0015 (app_users.disabled_at, app_user_changes, session and sign-in indexes) belongs to the
-- users and is kept on purpose; it is idempotent, so migrating again after a rollback works.

-- 0017: fifo_pnl_differences' partitions (fifo_pnl_differences_v<N>, fifo_pnl_differences_default)
-- go with the table, fifo_cause_totals.examples with its table (0008, below).
-- 0016: the dash_* tables' partitions (dash_<table>_v<N>, dash_<table>_default) go with the
-- tables themselves (0002, below).

-- 0014
DROP VIEW IF EXISTS "v_pnl_drift_daily";
DROP VIEW IF EXISTS "v_pnl_drift_sells";
DROP VIEW IF EXISTS "v_pnl_by_symbol_current";
DROP VIEW IF EXISTS "fifo_allocations_current";
DROP FUNCTION IF EXISTS "fifo_current_version"();
DROP FUNCTION IF EXISTS "fifo_pin_first_current_version"() CASCADE; -- and its trigger
DROP TABLE IF EXISTS "fifo_cutovers";
DROP TABLE IF EXISTS "fifo_validation_results";
DROP TABLE IF EXISTS "fifo_version_follow";

-- 0013: indexes the operator opted into on trade_records (never one of the bot's own), the
-- trades view and the opt-in list. fifo_manual_trades is kept, like the historical snapshot.
DO $fifo$
DECLARE ix text;
BEGIN
	IF to_regclass('public.fifo_trade_indexes') IS NULL THEN RETURN; END IF;
	FOR ix IN SELECT index_name FROM fifo_trade_indexes ORDER BY index_name LOOP
		EXECUTE format('DROP INDEX IF EXISTS %I', ix);
	END LOOP;
END $fifo$;
DROP TABLE IF EXISTS "fifo_trade_indexes";
DROP VIEW IF EXISTS "fifo_trades";

-- 0012: sign-in slowdown state (recreated empty by the next migrate)
DROP TABLE IF EXISTS "app_sign_in_devices";
DROP TABLE IF EXISTS "app_sign_in_throttle";

-- 0010_lot_methods
DROP TABLE IF EXISTS "fifo_inventory_month_end";
DROP TABLE IF EXISTS "fifo_version_methods";
ALTER TABLE IF EXISTS "fifo_computation_log" DROP CONSTRAINT IF EXISTS "fifo_computation_log_method_check";
ALTER TABLE IF EXISTS "fifo_computation_log" DROP COLUMN IF EXISTS "method";

-- 0009: fifo_allocations' partitions (fifo_allocations_v<N>, fifo_allocations_default) go with
-- the table itself (0001, below).

-- 0008: the view reads fifo_pnl_differences; the queue's column references the decisions
DROP VIEW IF EXISTS "v_allocation_discrepancies";
ALTER TABLE IF EXISTS "manual_review_queue" DROP COLUMN IF EXISTS "settled_by_decision_id";
ALTER TABLE IF EXISTS "manual_review_queue" DROP COLUMN IF EXISTS "trade_order_time";
DROP TABLE IF EXISTS "fifo_cause_decisions";
DROP TABLE IF EXISTS "fifo_cause_totals";
DROP TABLE IF EXISTS "fifo_pnl_differences";
DROP INDEX IF EXISTS "manual_review_queue_priority_seek_idx";
DROP INDEX IF EXISTS "manual_review_queue_settled_by_idx";


-- 0007
DROP INDEX IF EXISTS "manual_review_queue_counts_idx";
DROP INDEX IF EXISTS "manual_review_queue_updated_idx";
DROP INDEX IF EXISTS "manual_review_queue_created_idx";
DROP INDEX IF EXISTS "manual_review_queue_unmatched_idx";
DROP INDEX IF EXISTS "manual_review_queue_notional_idx";
DROP INDEX IF EXISTS "manual_review_queue_type_id_idx";
DROP INDEX IF EXISTS "manual_review_queue_symbol_id_idx";
DROP INDEX IF EXISTS "manual_review_queue_status_rank_idx";
DROP INDEX IF EXISTS "manual_review_queue_severity_rank_idx";
DROP INDEX IF EXISTS "manual_review_queue_priority_idx";

-- 0006
DROP INDEX IF EXISTS "fifo_unmatched_sells_notional_idx";

-- 0005: the health view depends on allocation_version_deletions (0004)
DROP VIEW IF EXISTS "v_allocation_health";

-- 0004_runs (drop what 0004 adds here)
DROP TABLE IF EXISTS "allocation_version_deletions";
DROP INDEX IF EXISTS "manual_review_history_computation_idx";
DROP INDEX IF EXISTS "manual_review_queue_closed_by_idx";
DROP INDEX IF EXISTS "manual_review_queue_opened_by_idx";
DROP INDEX IF EXISTS "fifo_computation_log_queued_idx";

-- 0003_review_workflow (drop what 0003 adds here)
DROP INDEX IF EXISTS "manual_review_queue_manual_trade_idx";
DROP INDEX IF EXISTS "manual_review_queue_assignee_idx";
DROP INDEX IF EXISTS "manual_review_queue_symbol_type_idx";
ALTER TABLE IF EXISTS "manual_review_history" DROP COLUMN IF EXISTS "details";

-- 0002_dashboard_read_models (drop what 0002 adds here)
DROP INDEX IF EXISTS "dash_trade_records_time_idx";
DROP INDEX IF EXISTS "dash_trade_records_parent_idx";
DROP TABLE IF EXISTS "dash_discrepancies";
DROP TABLE IF EXISTS "dash_discrepancy_counts";
DROP TABLE IF EXISTS "dash_largest_differences";
DROP TABLE IF EXISTS "dash_diff_histogram";
DROP TABLE IF EXISTS "dash_daily_pnl";
DROP TABLE IF EXISTS "dash_symbol_pnl";
DROP TABLE IF EXISTS "dash_sell_pnl";
DROP TABLE IF EXISTS "dash_version_sell_diff";
DROP TABLE IF EXISTS "dash_refresh_state";

-- 0001_fifo_allocations
DROP VIEW IF EXISTS "v_allocation_discrepancies";
DROP VIEW IF EXISTS "v_allocation_health";
DROP VIEW IF EXISTS "v_pnl_by_symbol";
DROP VIEW IF EXISTS "v_unmatched_sells";
DROP TABLE IF EXISTS "manual_review_history";
DROP TABLE IF EXISTS "manual_review_queue";
DROP TABLE IF EXISTS "fifo_unmatched_sells";
DROP TABLE IF EXISTS "fifo_allocations";
DROP TABLE IF EXISTS "fifo_inventory_snapshot";
DROP TABLE IF EXISTS "fifo_computation_log";
DROP TABLE IF EXISTS "fifo_settings";
