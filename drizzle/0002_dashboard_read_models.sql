-- 0002_dashboard_read_models: hand-written SQL; separate statements with a statement-breakpoint marker line.
SELECT 1;
