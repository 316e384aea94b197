-- Removes everything the FIFO migration (0001) and later FIFO migrations added.
-- Never touches trade_records, the dashboard's users, or historical_pnl_snapshot_20251120.
-- Keep this file in step with every migration after 0000.
-- 0009: fifo_allocations' partitions (fifo_allocations_v<N>, fifo_allocations_default) go with
-- the table itself (0001, below).

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
