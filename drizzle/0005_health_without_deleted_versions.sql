-- v_allocation_health leaves out versions an admin deleted (their run log rows stay for audit).
CREATE OR REPLACE VIEW "v_allocation_health" AS
WITH versions AS (
	SELECT allocation_version FROM fifo_computation_log
	UNION SELECT allocation_version FROM fifo_inventory_snapshot
	EXCEPT SELECT allocation_version FROM allocation_version_deletions
	-- a deleted version's run log stays for the audit trail, but it is no longer a version
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
