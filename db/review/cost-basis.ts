// Closing the loop on an unmatched sell: the reviewer records the buy that was missing. It goes
// into fifo_manual_trades (never into the bot's trade_records) as a filled manual buy of the same
// symbol, linked to the item, and the item is resolved, in one transaction: the next recompute
// reads it through fifo_trades like any other trade, covers the sell, and leaves the item as it is.
// A sell has at most one live manual buy, whatever the version: its items share it.
import Big from "big.js";
import { ReviewConflictError, ReviewRefusedError, formatUtc } from "@/lib/review/errors";
import type { ItemRef } from "@/lib/review/schemas";
import { canTransition } from "@/lib/review/workflow";
import type { SqlClient } from "../sql-client";
import { type Actor, type ChangedItem, changeReviewItem } from "./transitions";

export interface ManualBuyInput {
  /** Exact decimal text. */
  size: string;
  price: string;
  feeUsd: string;
  /** ISO 8601 with a zone. */
  orderTime: string;
  notes: string;
}

export interface CostBasisOutcome extends ChangedItem {
  manual_trade_id: number;
  /** The sell already had this live manual buy (recorded for another version's item, or kept on reopen). */
  shared: boolean;
}

interface ManualBuyRow {
  id: number;
  same: boolean;
  size: string;
  price: string;
  order_time: string;
}

/** The sell's live manual buy when it has one with these values; a new one when it has none. */
async function liveOrNewManualBuy(
  tx: SqlClient,
  itemId: number,
  symbol: string,
  sellId: number,
  buy: ManualBuyInput,
  actor: Actor,
): Promise<{ id: number; shared: boolean }> {
  const [live] = await tx.query<ManualBuyRow>(
    `SELECT id, size, price, order_time,
       (size = $2::numeric AND price = $3::numeric AND fee_usd = $4::numeric AND order_time = $5::timestamptz) AS same
     FROM fifo_manual_trades WHERE sell_trade_id = $1 AND voided_at IS NULL`,
    [sellId, buy.size, buy.price, buy.feeUsd, buy.orderTime],
  );
  if (live?.same) return { id: live.id, shared: true };
  if (live) {
    throw new ReviewRefusedError(
      `Sell #${sellId} already has manual buy #${live.id} (${live.size} at ${live.price}, ${formatUtc(live.order_time)}), ` +
        "shared by its items in every version. To record a different one, reopen the item it resolved and void it.",
      { size: `Manual buy #${live.id} already covers this sell` },
    );
  }
  try {
    const [created] = await tx.query<{ id: number }>(
      `INSERT INTO fifo_manual_trades (symbol, size, price, fee_usd, order_time, sell_trade_id, recorded_by, notes)
       VALUES ($1, $2::numeric, $3::numeric, $4::numeric, $5::timestamptz, $6, $7, $8)
       RETURNING id`,
      [symbol, buy.size, buy.price, buy.feeUsd, buy.orderTime, sellId, actor.email, buy.notes],
    );
    return { id: created!.id, shared: false };
  } catch (error) {
    // Another reviewer recorded this sell's buy in the meantime (this item's or another version's).
    if ((error as { code?: string }).code === "23505") throw new ReviewConflictError(itemId, null, null);
    throw error;
  }
}

interface SellContext {
  status: string;
  row_version: number;
  issue_type: string;
  allocation_version: number;
  symbol: string;
  sell_id: number | null;
  sell_side: string | null;
  sell_time: string | null;
  unmatched_size: string | null;
  buy_before_sell: boolean | null;
}

export async function recordManualCostBasis(
  db: SqlClient,
  ref: ItemRef,
  buy: ManualBuyInput,
  actor: Actor,
): Promise<CostBasisOutcome> {
  return db.transaction(async (tx) => {
    const [item] = await tx.query<SellContext>(
      `SELECT q.status, q.row_version, q.issue_type, q.allocation_version, q.symbol, t.id AS sell_id, t.side AS sell_side,
         t.order_time AS sell_time, q.unmatched_size,
         ($2::timestamptz < t.order_time) AS buy_before_sell
       FROM manual_review_queue q LEFT JOIN trade_records t ON t.id = q.trade_id
       WHERE q.id = $1`,
      [ref.id, buy.orderTime],
    );
    if (!item) throw new ReviewRefusedError(`Item #${ref.id} does not exist.`);
    if (item.row_version !== ref.rowVersion || !canTransition("resolve", item.status)) {
      // Stale or closed: let the transition report the conflict or refusal, before any other check.
      await changeReviewItem(tx, ref, { action: "resolve", resolutionType: "cost_basis_recorded", notes: buy.notes }, actor);
    }
    if (item.issue_type !== "unmatched_sell" || item.sell_side !== "sell" || item.sell_id === null) {
      throw new ReviewRefusedError("A missing cost basis can only be recorded for an unmatched sell.");
    }
    // Checks that depend on the sell come before the change, so a refused buy changes nothing.
    const fieldErrors: Record<string, string> = {};
    if (!item.buy_before_sell) {
      fieldErrors.orderTime = `Must be before the sell (${formatUtc(item.sell_time)}): a later buy never covers an earlier sell.`;
    } else {
      const [earlier] = await tx.query<{ sell_trade_id: number; sell_time: string }>(
        `SELECT u.sell_trade_id, u.sell_time FROM fifo_unmatched_sells u
         WHERE u.allocation_version = $1 AND u.symbol = $2 AND u.sell_time > $3::timestamptz
           AND (u.sell_time, u.sell_trade_id) < ($4::timestamptz, $5::bigint)
         ORDER BY u.sell_time DESC, u.sell_trade_id DESC LIMIT 1`,
        [item.allocation_version, item.symbol, buy.orderTime, item.sell_time, item.sell_id],
      );
      if (earlier) {
        fieldErrors.orderTime =
          `Unmatched sell #${earlier.sell_trade_id} at ${formatUtc(earlier.sell_time)} comes after this time and ` +
          `would use the buy first (FIFO). Choose a time after it, or resolve that sell first.`;
      }
    }
    if (item.unmatched_size && new Big(buy.size).lt(item.unmatched_size)) {
      fieldErrors.size = `At least the unmatched size (${item.unmatched_size}) is needed to cover the sell.`;
    }
    if (Object.keys(fieldErrors).length > 0) {
      throw new ReviewRefusedError("The manual buy cannot cover this sell; see the highlighted fields.", fieldErrors);
    }

    const trade = await liveOrNewManualBuy(tx, ref.id, item.symbol, item.sell_id, buy, actor);
    // Throws on a concurrent change: the transaction rolls back and the buy is not kept.
    const changed = await changeReviewItem(
      tx,
      ref,
      {
        action: "resolve",
        resolutionType: "cost_basis_recorded",
        notes: buy.notes,
        manualTradeId: trade.id,
        details: {
          manualTradeId: trade.id,
          sharedManualBuy: trade.shared,
          size: buy.size,
          price: buy.price,
          feeUsd: buy.feeUsd,
          orderTime: buy.orderTime,
        },
      },
      actor,
    );
    return { ...changed, manual_trade_id: trade.id, shared: trade.shared };
  });
}
