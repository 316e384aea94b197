-- 0017_differences_by_version: fifo_pnl_differences becomes a table partitioned by
-- allocation_version, like fifo_allocations (0009): a full run of every symbol loads the version's
-- differing sells into a fresh table without indexes, builds the primary key once and swaps it in
-- for the version's partition (db/compute/version-partitions.ts), instead of a DELETE and a COPY
-- into an indexed table (which was most of a full run's review sync).
-- The examples index goes: the run knows every difference and writes the few largest of each
-- symbol and cause into fifo_cause_totals.examples, which the cause summary reads.
-- Written like 0009: every view that depends on the table (directly or through another view) is
-- read from the catalog, dropped and recreated as it was; existing rows move into their version's
-- partition.
-- The largest few differences of the symbol and cause: [{"tradeId": 1, "differenceUsd": "-2.5"}, ...].
ALTER TABLE "fifo_cause_totals" ADD COLUMN IF NOT EXISTS "examples" jsonb DEFAULT '[]'::jsonb NOT NULL;
--> statement-breakpoint
-- Filled from the examples index before it goes with the old table.
UPDATE "fifo_cause_totals" t SET "examples" = coalesce((
	SELECT jsonb_agg(jsonb_build_object('tradeId', e.sell_trade_id, 'differenceUsd', e.difference_usd::text)
		ORDER BY abs(e.difference_usd) DESC, e.sell_trade_id)
	FROM (
		SELECT d.sell_trade_id, d.difference_usd FROM "fifo_pnl_differences" d
		WHERE d.allocation_version = t.allocation_version AND d.symbol = t.symbol AND d.cause = t.cause
		ORDER BY abs(d.difference_usd) DESC, d.sell_trade_id LIMIT 3
	) e
), '[]'::jsonb)
WHERE t."examples" = '[]'::jsonb;
--> statement-breakpoint
DO $$
DECLARE
	r record;
	view_names text[] := '{}';
	view_defs text[] := '{}';
	view_kinds "char"[] := '{}';
	i int;
BEGIN
	IF (SELECT relkind FROM pg_class WHERE oid = 'public.fifo_pnl_differences'::regclass) = 'p' THEN
		RETURN; -- already partitioned
	END IF;
	FOR r IN
		WITH RECURSIVE deps(oid, depth) AS (
			SELECT rw.ev_class, 1 FROM pg_depend d JOIN pg_rewrite rw ON rw.oid = d.objid
			WHERE d.refobjid = 'public.fifo_pnl_differences'::regclass AND d.classid = 'pg_rewrite'::regclass
				AND rw.ev_class <> 'public.fifo_pnl_differences'::regclass
			UNION ALL
			SELECT rw.ev_class, deps.depth + 1 FROM deps
			JOIN pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass
			JOIN pg_rewrite rw ON rw.oid = d.objid
			WHERE rw.ev_class <> deps.oid AND deps.depth < 20
		)
		SELECT c.oid::regclass::text AS name, c.relkind, pg_get_viewdef(c.oid) AS def, max(deps.depth) AS depth
		FROM deps JOIN pg_class c ON c.oid = deps.oid
		GROUP BY c.oid, c.relkind ORDER BY max(deps.depth), c.oid
	LOOP
		view_names := view_names || r.name;
		view_defs := view_defs || r.def;
		view_kinds := view_kinds || r.relkind;
	END LOOP;
	FOR i IN REVERSE coalesce(array_length(view_names, 1), 0)..1 LOOP
		EXECUTE format('DROP %s IF EXISTS %s', CASE WHEN view_kinds[i] = 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END, view_names[i]);
	END LOOP;

	CREATE TABLE public.fifo_pnl_differences_by_version
		(LIKE public.fifo_pnl_differences INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
		PARTITION BY LIST (allocation_version);
	CREATE TABLE public.fifo_pnl_differences_default PARTITION OF public.fifo_pnl_differences_by_version DEFAULT;
	FOR r IN SELECT DISTINCT allocation_version AS v FROM public.fifo_pnl_differences ORDER BY 1 LOOP
		EXECUTE format('CREATE TABLE public.%I PARTITION OF public.fifo_pnl_differences_by_version FOR VALUES IN (%s)',
			'fifo_pnl_differences_v' || r.v, r.v);
	END LOOP;
	INSERT INTO public.fifo_pnl_differences_by_version SELECT * FROM public.fifo_pnl_differences;
	DROP TABLE public.fifo_pnl_differences;
	ALTER TABLE public.fifo_pnl_differences_by_version RENAME TO fifo_pnl_differences;
	ALTER TABLE public.fifo_pnl_differences
		ADD CONSTRAINT fifo_pnl_differences_pkey PRIMARY KEY (allocation_version, sell_trade_id);

	FOR i IN 1..coalesce(array_length(view_names, 1), 0) LOOP
		EXECUTE format('CREATE %s %s AS %s', CASE WHEN view_kinds[i] = 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
			view_names[i], view_defs[i]);
	END LOOP;
END
$$;
