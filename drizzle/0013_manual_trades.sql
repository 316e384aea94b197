-- 0013_manual_trades: trade_records is the bot's and stays untouched (issue 11 item 2). Manual
-- cost-basis buys a reviewer records live here instead, and runs read both through fifo_trades.
-- Kept by rollback, like the historical snapshot: they are facts a person entered.
CREATE SEQUENCE IF NOT EXISTS "fifo_manual_trades_id_seq" START WITH 4000000000000001;
--> statement-breakpoint
-- Ids far above any bot id, so a manual buy and a bot fill never share one. Rows copied from an
-- earlier layout (which inserted manual buys into trade_records) keep their original id.
CREATE TABLE IF NOT EXISTS "fifo_manual_trades" (
	"id" bigint PRIMARY KEY NOT NULL DEFAULT nextval('fifo_manual_trades_id_seq'),
	"symbol" text NOT NULL,
	"size" numeric NOT NULL,
	"price" numeric NOT NULL,
	"fee_usd" numeric DEFAULT '0' NOT NULL,
	"order_time" timestamp with time zone NOT NULL,
	"sell_trade_id" bigint,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"copied_from_trade_records" boolean DEFAULT false NOT NULL,
	"voided_at" timestamp with time zone,
	"voided_by" text,
	"void_reason" text,
	CONSTRAINT "fifo_manual_trades_size_check" CHECK ("size" > 0),
	CONSTRAINT "fifo_manual_trades_price_check" CHECK ("price" > 0),
	CONSTRAINT "fifo_manual_trades_fee_check" CHECK ("fee_usd" >= 0),
	CONSTRAINT "fifo_manual_trades_void_check" CHECK (("voided_at" IS NULL) = ("voided_by" IS NULL))
);
--> statement-breakpoint
ALTER SEQUENCE "fifo_manual_trades_id_seq" OWNED BY "fifo_manual_trades"."id";
--> statement-breakpoint
-- One live manual buy per sell, whatever the version: items of the same sell in two versions share it.
CREATE UNIQUE INDEX IF NOT EXISTS "fifo_manual_trades_one_per_sell" ON "fifo_manual_trades" ("sell_trade_id")
	WHERE "voided_at" IS NULL AND "sell_trade_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "fifo_manual_trades_symbol_time_idx" ON "fifo_manual_trades" ("symbol", "order_time", "id");
--> statement-breakpoint
-- The earlier layout's manual buys (trade_records.source = 'manual', only when that column exists)
-- move here with their ids: rows this tool once inserted, never the bot's, so afterwards
-- trade_records holds only the bot's fills again. A sell that got two of them (recorded again after
-- a reopen) keeps the one its item links to now; the others move voided, so nothing counts twice.
DO $fifo$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'public.trade_records'::regclass
		AND attname = 'source' AND attnum > 0 AND NOT attisdropped) THEN
		RETURN;
	END IF;
	EXECUTE $copy$
		INSERT INTO fifo_manual_trades (id, symbol, size, price, fee_usd, order_time, sell_trade_id, recorded_by,
			recorded_at, notes, copied_from_trade_records, voided_at, voided_by, void_reason)
		SELECT m.id, m.symbol, m.size, m.price, coalesce(m.fee_usd, 0), m.order_time, m.sell_trade_id, 'earlier layout',
			now(), 'Copied from trade_records (source = manual)', true,
			CASE WHEN m.rank > 1 THEN now() END, CASE WHEN m.rank > 1 THEN 'migration 0013' END,
			CASE WHEN m.rank > 1 THEN 'Duplicate manual buy for sell #' || m.sell_trade_id || ' (recorded again after a reopen)' END
		FROM (
			SELECT t.id, t.symbol, t.size, t.price, t.fee_usd, t.order_time, l.sell_trade_id,
				CASE WHEN l.sell_trade_id IS NULL THEN 1
					ELSE row_number() OVER (PARTITION BY l.sell_trade_id ORDER BY l.linked_now DESC, t.id DESC) END AS rank
			FROM trade_records t
			-- The sell a manual buy was recorded for: the item linking it now, or one whose history
			-- recorded it before a reopen and a second recording overwrote the link.
			LEFT JOIN LATERAL (
				SELECT k.sell_trade_id, bool_or(k.linked_now) AS linked_now FROM (
					SELECT q.trade_id AS sell_trade_id, true AS linked_now FROM manual_review_queue q WHERE q.manual_trade_id = t.id
					UNION ALL
					SELECT q.trade_id, false FROM manual_review_history h JOIN manual_review_queue q ON q.id = h.item_id
					WHERE h.details ->> 'manualTradeId' = t.id::text
				) k GROUP BY k.sell_trade_id ORDER BY bool_or(k.linked_now) DESC LIMIT 1
			) l ON true
			WHERE t.source = 'manual' AND t.side = 'buy' AND t.size > 0 AND t.price > 0
		) m
		ON CONFLICT (id) DO NOTHING
	$copy$;
	EXECUTE $move$
		DELETE FROM trade_records t WHERE t.source = 'manual'
			AND EXISTS (SELECT 1 FROM fifo_manual_trades m WHERE m.id = t.id AND m.copied_from_trade_records)
	$move$;
END $fifo$;
--> statement-breakpoint
-- Every trade a run reads: the bot's fills and the live manual buys. Values are cast to numeric so a
-- bot column of another numeric type never turns money into floats; on the usual numeric columns
-- the casts are no-ops and runs read in index order (a merge of the two tables, no sort).
CREATE OR REPLACE VIEW "fifo_trades" AS
SELECT t.id, t.symbol::text AS symbol, t.side::text AS side, t.size::numeric AS size, t.price::numeric AS price,
	t.fee_usd::numeric AS fee_usd, t.order_time, t.status::text AS status, t.parent_id::bigint AS parent_id,
	t.pnl_usd::numeric AS pnl_usd, t.remaining_size::numeric AS remaining_size, 'bot'::text AS source
FROM trade_records t
UNION ALL
SELECT m.id, m.symbol, 'buy'::text, m.size, m.price, m.fee_usd, m.order_time, 'filled'::text, NULL::bigint, NULL::numeric,
	NULL::numeric, 'manual'::text
FROM fifo_manual_trades m
WHERE m.voided_at IS NULL;
--> statement-breakpoint
-- Indexes on trade_records that an operator opted into (db:migrate -- --with-trade-indexes), so
-- rollback drops exactly those and never one of the bot's own.
CREATE TABLE IF NOT EXISTS "fifo_trade_indexes" (
	"index_name" text PRIMARY KEY NOT NULL,
	"definition" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
