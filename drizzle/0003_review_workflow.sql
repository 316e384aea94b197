-- 0003_review_workflow: hand-written SQL; separate statements with a statement-breakpoint marker line.
-- What the review workflow adds: structured details on history rows (resolution type, dismissal
-- reason, assignee, the manual buy recorded) and indexes for the queue's filters and links.
-- (The history's computation_id index comes with 0004_runs.)
ALTER TABLE "manual_review_history" ADD COLUMN IF NOT EXISTS "details" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_symbol_type_idx"
	ON "manual_review_queue" USING btree ("allocation_version", "symbol", "issue_type", "status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_assignee_idx"
	ON "manual_review_queue" USING btree ("assigned_to") WHERE "assigned_to" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "manual_review_queue_manual_trade_idx"
	ON "manual_review_queue" USING btree ("manual_trade_id") WHERE "manual_trade_id" IS NOT NULL;
