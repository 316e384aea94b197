-- 0016_read_models_by_version: the dashboard's per-version read models (0002) become tables
-- partitioned by allocation_version: dash_<table>_v<N> per version, plus dash_<table>_default for
-- rows of versions that have no partition yet. A full rebuild of a version then fills fresh
-- tables without indexes, builds the indexes once and swaps them in as the version's partitions
-- (db/read-model-partitions.ts): no DELETE of the old rows (dead tuples and bloat), no index
-- maintenance row by row (measured at 200,000 trades: 81,000 rows into dash_discrepancies took
-- 10x longer through its five indexes, after a DELETE of the same rows, than into a bare table).
-- dash_discrepancies also gets the cause of each PnL difference (fifo_pnl_differences, copied by
-- the rebuild) and an index in the order the Discrepancies page filtered by cause reads it.
-- The rows are derived data: the tables are recreated empty and dash_refresh_state is cleared, so
-- the next run or page view rebuilds them. Partitions are UNLOGGED like the tables of 0002.
-- Hand-written SQL; statements separated by statement-breakpoint marker lines.
DO $fifo$
DECLARE
	t text;
BEGIN
	IF (SELECT relkind FROM pg_class WHERE oid = 'public.dash_sell_pnl'::regclass) = 'p' THEN
		RETURN; -- already partitioned
	END IF;
	DROP TABLE IF EXISTS dash_sell_pnl, dash_symbol_pnl, dash_daily_pnl, dash_diff_histogram, dash_largest_differences,
		dash_discrepancies, dash_discrepancy_counts;

	CREATE TABLE dash_sell_pnl (
		allocation_version integer NOT NULL,
		sell_trade_id bigint NOT NULL,
		symbol text NOT NULL,
		sell_time timestamp with time zone NOT NULL,
		sell_size numeric NOT NULL,
		matched_size numeric NOT NULL,
		unmatched_size numeric NOT NULL,
		lots integer NOT NULL,
		new_pnl_usd numeric NOT NULL,
		old_parent_id bigint,
		old_pnl_usd numeric,
		covered boolean NOT NULL,
		in_snapshot boolean NOT NULL,
		snapshot_pnl_usd numeric,
		old_difference_usd numeric NOT NULL,
		snapshot_difference_usd numeric,
		CONSTRAINT dash_sell_pnl_pkey PRIMARY KEY (allocation_version, sell_trade_id)
	) PARTITION BY LIST (allocation_version);

	CREATE TABLE dash_largest_differences (
		allocation_version integer NOT NULL,
		baseline text NOT NULL,
		scope text NOT NULL,
		rank integer NOT NULL,
		sell_trade_id bigint NOT NULL,
		symbol text NOT NULL,
		sell_time timestamp with time zone NOT NULL,
		baseline_usd numeric,
		target_usd numeric,
		difference_usd numeric NOT NULL,
		old_parent_id bigint,
		CONSTRAINT dash_largest_differences_pkey PRIMARY KEY (allocation_version, baseline, scope, rank)
	) PARTITION BY LIST (allocation_version);

	CREATE TABLE dash_symbol_pnl (
		allocation_version integer NOT NULL,
		symbol text NOT NULL,
		allocations bigint NOT NULL,
		sells_matched bigint NOT NULL,
		sells_partially_matched bigint NOT NULL,
		sells_unmatched bigint NOT NULL,
		allocated_size numeric NOT NULL,
		cost_basis_usd numeric NOT NULL,
		proceeds_usd numeric NOT NULL,
		fees_usd numeric NOT NULL,
		realized_pnl_usd numeric NOT NULL,
		unmatched_sells bigint NOT NULL,
		unmatched_size numeric NOT NULL,
		unmatched_notional_usd numeric NOT NULL,
		open_size numeric NOT NULL,
		old_pnl_usd numeric NOT NULL,
		pnl_difference_usd numeric NOT NULL,
		snapshot_pnl_usd numeric NOT NULL,
		snapshot_new_pnl_usd numeric NOT NULL,
		computation_id bigint NOT NULL,
		CONSTRAINT dash_symbol_pnl_pkey PRIMARY KEY (allocation_version, symbol)
	) PARTITION BY LIST (allocation_version);

	CREATE TABLE dash_daily_pnl (
		allocation_version integer NOT NULL,
		symbol text NOT NULL,
		day date NOT NULL,
		new_pnl_usd numeric NOT NULL,
		old_pnl_usd numeric NOT NULL,
		snapshot_pnl_usd numeric NOT NULL,
		snapshot_new_pnl_usd numeric NOT NULL,
		CONSTRAINT dash_daily_pnl_pkey PRIMARY KEY (allocation_version, symbol, day)
	) PARTITION BY LIST (allocation_version);
	CREATE INDEX dash_daily_pnl_day_idx ON dash_daily_pnl (allocation_version, day);

	CREATE TABLE dash_diff_histogram (
		allocation_version integer NOT NULL,
		baseline text NOT NULL,
		symbol text NOT NULL,
		bucket smallint NOT NULL,
		sells bigint NOT NULL,
		difference_usd numeric NOT NULL,
		CONSTRAINT dash_diff_histogram_pkey PRIMARY KEY (allocation_version, baseline, symbol, bucket)
	) PARTITION BY LIST (allocation_version);

	CREATE TABLE dash_discrepancies (
		id bigserial NOT NULL,
		allocation_version integer NOT NULL,
		discrepancy_type text NOT NULL,
		symbol text NOT NULL,
		trade_id bigint NOT NULL,
		related_trade_id bigint,
		expected numeric,
		actual numeric,
		difference numeric,
		abs_difference numeric,
		details text NOT NULL,
		trade_time timestamp with time zone,
		-- pnl_difference rows: the sell's cause in fifo_pnl_differences when the rows were built
		cause text
	) PARTITION BY LIST (allocation_version);
	-- No primary key: ids come from the sequence, and no page looks a row up by id (one index less to build).
	CREATE INDEX dash_discrepancies_abs_idx ON dash_discrepancies (allocation_version, abs_difference DESC, id DESC);
	CREATE INDEX dash_discrepancies_rare_idx ON dash_discrepancies (allocation_version, discrepancy_type, abs_difference DESC, id DESC)
		WHERE discrepancy_type <> 'pnl_difference';
	CREATE INDEX dash_discrepancies_time_idx ON dash_discrepancies (allocation_version, trade_time, id);
	CREATE INDEX dash_discrepancies_symbol_idx ON dash_discrepancies (allocation_version, symbol, abs_difference DESC, id DESC);
	-- /discrepancies?cause=...: the largest differences of one cause first (issue 9, pages under 150 ms)
	CREATE INDEX dash_discrepancies_cause_idx ON dash_discrepancies (allocation_version, cause, abs_difference DESC, id DESC)
		WHERE cause IS NOT NULL;

	CREATE TABLE dash_discrepancy_counts (
		allocation_version integer NOT NULL,
		symbol text NOT NULL,
		discrepancy_type text NOT NULL,
		discrepancies bigint NOT NULL,
		CONSTRAINT dash_discrepancy_counts_pkey PRIMARY KEY (allocation_version, symbol, discrepancy_type)
	) PARTITION BY LIST (allocation_version);

	FOREACH t IN ARRAY ARRAY['dash_sell_pnl', 'dash_symbol_pnl', 'dash_daily_pnl', 'dash_diff_histogram',
		'dash_largest_differences', 'dash_discrepancies', 'dash_discrepancy_counts'] LOOP
		EXECUTE format('CREATE UNLOGGED TABLE %I PARTITION OF %I DEFAULT', t || '_default', t);
	END LOOP;
	TRUNCATE dash_version_sell_diff;
	DELETE FROM dash_refresh_state;
END $fifo$;
