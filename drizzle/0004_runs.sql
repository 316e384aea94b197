-- 0004_runs: hand-written SQL; separate statements with a statement-breakpoint marker line.
SELECT 1;
