-- 0010_lot_methods: a version's lot-selection method (FIFO, LIFO, HIFO; issue 12) and inventory
-- snapshots kept at every month end (issue 11 item 6).
-- The method of each version, fixed by its first successful run. Versions computed before this
-- migration were computed with FIFO, the only method there was.
CREATE TABLE IF NOT EXISTS "fifo_version_methods" (
	"allocation_version" integer PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"fixed_by_computation_id" bigint REFERENCES "fifo_computation_log" ("id"),
	"fixed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fifo_version_methods_method_check" CHECK ("method" in ('fifo', 'lifo', 'hifo'))
);
--> statement-breakpoint
INSERT INTO "fifo_version_methods" ("allocation_version", "method")
SELECT DISTINCT "allocation_version", 'fifo' FROM "fifo_inventory_snapshot"
ON CONFLICT ("allocation_version") DO NOTHING;
--> statement-breakpoint
-- The method a run was asked for (null: the version's own method, FIFO for a new version).
ALTER TABLE "fifo_computation_log" ADD COLUMN IF NOT EXISTS "method" text;
--> statement-breakpoint
DO $$ BEGIN
	ALTER TABLE "fifo_computation_log" ADD CONSTRAINT "fifo_computation_log_method_check" CHECK ("method" in ('fifo', 'lifo', 'hifo'));
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
--> statement-breakpoint
-- The open lots of each (version, symbol) at the end of every UTC month with trades, in the order
-- the version's method consumes them. The latest month's row is provisional until the month ends
-- (the next run replaces it). For any month end M: the row with the greatest month_end <= M.
CREATE TABLE IF NOT EXISTS "fifo_inventory_month_end" (
	"allocation_version" integer NOT NULL,
	"symbol" text NOT NULL,
	"month_end" date NOT NULL,
	"computation_id" bigint NOT NULL REFERENCES "fifo_computation_log" ("id"),
	"open_lots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"open_size" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "fifo_inventory_month_end_pkey" PRIMARY KEY ("allocation_version", "symbol", "month_end")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "fifo_inventory_month_end_month_idx" ON "fifo_inventory_month_end" ("allocation_version", "month_end");
