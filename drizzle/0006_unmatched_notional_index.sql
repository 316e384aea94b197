-- The unmatched sells page sorts by notional (largest first) by default: an index in that order
-- turns a sort of every unmatched sell plus a join per row into reading the first page.
CREATE INDEX IF NOT EXISTS "fifo_unmatched_sells_notional_idx"
	ON "fifo_unmatched_sells" ("allocation_version", ("unmatched_size" * "sell_price") DESC, "sell_trade_id");
