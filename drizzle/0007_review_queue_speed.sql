-- 0007_review_queue_speed: hand-written SQL; separate statements with a statement-breakpoint marker line.
-- Indexes for the review queue pages at scale (hundreds of thousands of items per version). The
-- queue is read one version at a time, so every index leads with allocation_version; each sort the
-- page offers gets an index in exactly its ORDER BY (db/review/queue.ts), so a page is the first
-- rows of an index scan instead of a sort of the whole version. The two rank expressions must stay
-- identical to STATUS_RANK_SQL and SEVERITY_RANK_SQL (db/review/source.ts) for the planner to match.
-- Default sort "priority": open before closed, strongest severity, biggest notional, oldest id.
CREATE INDEX IF NOT EXISTS "manual_review_queue_priority_idx" ON "manual_review_queue" (
	"allocation_version",
	(CASE "status" WHEN 'pending' THEN 0 WHEN 'in_review' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END),
	(CASE "severity" WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) DESC,
	"notional_usd" DESC NULLS LAST,
	"id"
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_severity_rank_idx" ON "manual_review_queue" (
	"allocation_version",
	(CASE "severity" WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END),
	"id"
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_status_rank_idx" ON "manual_review_queue" (
	"allocation_version",
	(CASE "status" WHEN 'pending' THEN 0 WHEN 'in_review' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END),
	"id"
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_symbol_id_idx" ON "manual_review_queue" ("allocation_version", "symbol", "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_type_id_idx" ON "manual_review_queue" ("allocation_version", "issue_type", "id");
--> statement-breakpoint
-- notional / unmatched sort largest first (their default direction), NULLs last.
CREATE INDEX IF NOT EXISTS "manual_review_queue_notional_idx"
	ON "manual_review_queue" ("allocation_version", "notional_usd" DESC NULLS LAST, "id" DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_unmatched_idx"
	ON "manual_review_queue" ("allocation_version", "unmatched_size" DESC NULLS LAST, "id" DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_created_idx" ON "manual_review_queue" ("allocation_version", "created_at", "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_updated_idx" ON "manual_review_queue" ("allocation_version", "updated_at", "id");
--> statement-breakpoint
-- Counts per status and severity (with the type and symbol filters) from an index-only scan.
CREATE INDEX IF NOT EXISTS "manual_review_queue_counts_idx"
	ON "manual_review_queue" ("allocation_version", "status", "severity", "issue_type", "symbol");
