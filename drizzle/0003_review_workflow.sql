-- 0003_review_workflow: hand-written SQL; separate statements with a statement-breakpoint marker line.
SELECT 1;
