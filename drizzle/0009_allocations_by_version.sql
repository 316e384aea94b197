-- 0009_allocations_by_version: fifo_allocations becomes a table partitioned by allocation_version
-- (one partition per version, fifo_allocations_v<N>, plus a default partition for rows of versions
-- that have none yet). A full run of every symbol then loads its allocations into a fresh table
-- without indexes, builds the indexes once, and swaps it in for the version's partition in the
-- run's transaction (db/compute/allocation-partitions.ts): no per-row index maintenance, and the
-- old rows go with a DROP instead of a DELETE.
--
-- PostgreSQL cannot turn a table into a partitioned one in place, so this rebuilds it. It is
-- written to survive migrations that ran before it: columns and CHECK constraints are copied with
-- LIKE, and the indexes, the primary key and every view that depends on the table (directly or
-- through another view) are read from the catalog, dropped and recreated exactly as they were.
-- Existing rows are moved into their version's partition.
-- The foreign key computation_id -> fifo_computation_log is not recreated: attaching a partition
-- clones it, and creating a foreign key locks the referenced table against updates until the run
-- commits, which would stall every run's progress and heartbeat writes (and the job queue) behind
-- the run's own transaction. Run log rows are never deleted, so nothing can dangle.
DO $$
DECLARE
	r record;
	index_defs text[] := '{}';
	constraint_defs text[] := '{}';
	view_names text[] := '{}';
	view_defs text[] := '{}';
	view_kinds "char"[] := '{}';
	i int;
BEGIN
	IF (SELECT relkind FROM pg_class WHERE oid = 'public.fifo_allocations'::regclass) = 'p' THEN
		RETURN; -- already partitioned
	END IF;

	FOR r IN
		SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
		WHERE x.indrelid = 'public.fifo_allocations'::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
	LOOP
		index_defs := index_defs || r.def;
	END LOOP;
	FOR r IN
		SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
		WHERE conrelid = 'public.fifo_allocations'::regclass AND contype IN ('p', 'u')
	LOOP
		constraint_defs := constraint_defs || format('ALTER TABLE public.fifo_allocations ADD CONSTRAINT %I %s', r.conname, r.def);
	END LOOP;
	-- Views on the table, and views on those views, deepest last.
	FOR r IN
		WITH RECURSIVE deps(oid, depth) AS (
			SELECT rw.ev_class, 1 FROM pg_depend d JOIN pg_rewrite rw ON rw.oid = d.objid
			WHERE d.refobjid = 'public.fifo_allocations'::regclass AND d.classid = 'pg_rewrite'::regclass
				AND rw.ev_class <> 'public.fifo_allocations'::regclass
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

	CREATE TABLE public.fifo_allocations_by_version
		(LIKE public.fifo_allocations INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)
		PARTITION BY LIST (allocation_version);
	CREATE TABLE public.fifo_allocations_default PARTITION OF public.fifo_allocations_by_version DEFAULT;
	FOR r IN SELECT DISTINCT allocation_version AS v FROM public.fifo_allocations ORDER BY 1 LOOP
		EXECUTE format('CREATE TABLE public.%I PARTITION OF public.fifo_allocations_by_version FOR VALUES IN (%s)',
			'fifo_allocations_v' || r.v, r.v);
	END LOOP;
	INSERT INTO public.fifo_allocations_by_version SELECT * FROM public.fifo_allocations;
	DROP TABLE public.fifo_allocations;
	ALTER TABLE public.fifo_allocations_by_version RENAME TO fifo_allocations;

	FOR i IN 1..coalesce(array_length(constraint_defs, 1), 0) LOOP
		EXECUTE constraint_defs[i];
	END LOOP;
	FOR i IN 1..coalesce(array_length(index_defs, 1), 0) LOOP
		EXECUTE index_defs[i];
	END LOOP;
	FOR i IN 1..coalesce(array_length(view_names, 1), 0) LOOP
		EXECUTE format('CREATE %s %s AS %s', CASE WHEN view_kinds[i] = 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
			view_names[i], view_defs[i]);
	END LOOP;
END
$$;
