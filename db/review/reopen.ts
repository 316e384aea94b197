// Reopening an item that recorded a manual buy asks what becomes of the buy: keep it (it still
// covers the sell, and recording the same buy again links it instead of adding a second one) or
// void it (runs stop reading it; it stays in fifo_manual_trades with who voided it and why).
// A buy shared by the sell's items in other versions is voided for all of them.
import { ReviewRefusedError } from "@/lib/review/errors";
import type { ItemRef } from "@/lib/review/schemas";
import type { SqlClient } from "../sql-client";
import { type Actor, type ChangedItem, changeReviewItem } from "./transitions";

export type ManualBuyChoice = "keep" | "void";

export interface ReopenOutcome extends ChangedItem {
  manualBuy: { id: number; choice: ManualBuyChoice; sharedWithItems: number } | null;
}

export async function reopenReviewItem(
  db: SqlClient,
  ref: ItemRef,
  input: { notes: string; manualBuy?: ManualBuyChoice },
  actor: Actor,
): Promise<ReopenOutcome> {
  return db.transaction(async (tx) => {
    const [live] = await tx.query<{ id: number; shared: number }>(
      `SELECT m.id, (SELECT count(*)::int FROM manual_review_queue o WHERE o.manual_trade_id = m.id AND o.id <> q.id) AS shared
       FROM manual_review_queue q JOIN fifo_manual_trades m ON m.id = q.manual_trade_id AND m.voided_at IS NULL
       WHERE q.id = $1`,
      [ref.id],
    );
    if (live && !input.manualBuy) {
      throw new ReviewRefusedError(`This item recorded manual buy #${live.id}: choose whether to keep it or void it.`, {
        manualBuy: "Keep or void the manual buy",
      });
    }
    const choice = live ? input.manualBuy! : null;
    const changed = await changeReviewItem(
      tx,
      ref,
      {
        action: "reopen",
        notes: input.notes,
        manualBuyDecided: true,
        details: live ? { manualTradeId: live.id, manualBuy: choice } : {},
      },
      actor,
    );
    if (live && choice === "void") {
      await tx.query(
        `UPDATE fifo_manual_trades SET voided_at = now(), voided_by = $2, void_reason = $3
         WHERE id = $1 AND voided_at IS NULL`,
        [live.id, actor.email, `Item #${ref.id} reopened: ${input.notes}`],
      );
    }
    return { ...changed, manualBuy: live ? { id: live.id, choice: choice!, sharedWithItems: live.shared } : null };
  });
}
