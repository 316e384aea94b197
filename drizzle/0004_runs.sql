-- 0004_runs: background runs and version administration (issue 5).
-- The runner claims the oldest queued run; this keeps that lookup an index probe.
CREATE INDEX IF NOT EXISTS "fifo_computation_log_queued_idx" ON "fifo_computation_log" ("id") WHERE "status" = 'queued';
--> statement-breakpoint
-- A run's detail page lists the review items it opened and closed, and the history it wrote.
CREATE INDEX IF NOT EXISTS "manual_review_queue_opened_by_idx" ON "manual_review_queue" ("opened_by_computation_id") WHERE "opened_by_computation_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_closed_by_idx" ON "manual_review_queue" ("closed_by_computation_id") WHERE "closed_by_computation_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_history_computation_idx" ON "manual_review_history" ("computation_id") WHERE "computation_id" IS NOT NULL;
--> statement-breakpoint
-- Who deleted which allocation version, when, and how many rows went with it. The version's runs
-- stay in fifo_computation_log; this row says why its data is gone.
CREATE TABLE IF NOT EXISTS "allocation_version_deletions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"allocation_version" integer NOT NULL,
	"deleted_by" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"allocations_deleted" bigint DEFAULT 0 NOT NULL,
	"unmatched_sells_deleted" bigint DEFAULT 0 NOT NULL,
	"snapshots_deleted" bigint DEFAULT 0 NOT NULL,
	"review_items_deleted" bigint DEFAULT 0 NOT NULL
);
