-- Removes everything the FIFO migration (0001) and later FIFO migrations added.
-- Never touches trade_records, the dashboard's users, or historical_pnl_snapshot_20251120.
-- Keep this file in step with every migration after 0000.
-- 0004_runs (drop what 0004 adds here)

-- 0003_review_workflow (drop what 0003 adds here)

-- 0002_dashboard_read_models (drop what 0002 adds here)

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
