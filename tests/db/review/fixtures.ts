// Small, readable review-queue fixtures: trades and items written straight into the tables, the
// way a run leaves them, so transition tests need no engine.
import Big from "big.js";
import type { SqlClient } from "@/db/sql-client";
import { createUser } from "@/db/users";

export interface TradeSpec {
  symbol: string;
  side: string;
  size: string;
  price: string;
  at: string;
  fee?: string;
  parentId?: number | null;
  pnlUsd?: string | null;
}

export async function insertTrades(db: SqlClient, trades: TradeSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const t of trades) {
    const [row] = await db.query<{ id: number }>(
      `INSERT INTO trade_records (symbol, side, size, price, fee_usd, order_time, parent_id, pnl_usd)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [t.symbol, t.side, t.size, t.price, t.fee ?? "0", t.at, t.parentId ?? null, t.pnlUsd ?? null],
    );
    ids.push(row!.id);
  }
  return ids;
}

export interface ItemSpec {
  tradeId: number;
  symbol: string;
  issueType?: "unmatched_sell" | "invalid_trade" | "pnl_discrepancy";
  severity?: "low" | "medium" | "high" | "critical";
  status?: "pending" | "in_review" | "resolved" | "dismissed";
  version?: number;
  unmatchedSize?: string | null;
  notionalUsd?: string | null;
  oldPnlUsd?: string | null;
  newPnlUsd?: string | null;
  reason?: string;
}

export interface ItemRow {
  id: number;
  row_version: number;
  status: string;
}

/** An item as a run opens it, with its "opened" history row. */
export async function insertItem(db: SqlClient, spec: ItemSpec): Promise<ItemRow> {
  const [row] = await db.query<ItemRow>(
    `INSERT INTO manual_review_queue (allocation_version, trade_id, symbol, issue_type, severity, status, reason,
       unmatched_size, notional_usd, old_pnl_usd, new_pnl_usd)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id, row_version, status`,
    [
      spec.version ?? 1, spec.tradeId, spec.symbol, spec.issueType ?? "unmatched_sell", spec.severity ?? "high",
      spec.status ?? "pending", spec.reason ?? "", spec.unmatchedSize ?? null, spec.notionalUsd ?? null,
      spec.oldPnlUsd ?? null, spec.newPnlUsd ?? null,
    ],
  );
  await db.query(
    `INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, notes)
     VALUES ($1, 'opened', NULL, 'pending', 'test fixture', 'opened by the fixture')`,
    [row!.id],
  );
  return row!;
}

export async function itemState(db: SqlClient, id: number) {
  const [row] = await db.query<{
    status: string;
    row_version: number;
    assigned_to: number | null;
    resolution_type: string | null;
    resolution_notes: string | null;
    resolved_by: number | null;
    resolved_at: string | null;
    manual_trade_id: number | null;
  }>(
    `SELECT status, row_version, assigned_to, resolution_type, resolution_notes, resolved_by, resolved_at, manual_trade_id
     FROM manual_review_queue WHERE id = $1`,
    [id],
  );
  return row!;
}

export async function historyOf(db: SqlClient, id: number) {
  return db.query<{
    action: string;
    from_status: string | null;
    to_status: string;
    actor_user_id: number | null;
    actor_label: string;
    notes: string | null;
    details: Record<string, unknown>;
  }>(
    `SELECT action, from_status, to_status, actor_user_id, actor_label, notes, details
     FROM manual_review_history WHERE item_id = $1 ORDER BY id`,
    [id],
  );
}

let userCounter = 0;
export async function makeUser(db: SqlClient, role: "viewer" | "reviewer" | "admin") {
  userCounter++;
  const email = `${role}-${userCounter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await createUser(db, { email, password: "test-password-1", role }, { cost: 4 });
  return { id: user.id, email: user.email, role };
}

/** A sell of `size` with `unmatched` of it uncovered, and its pending item. */
export async function unmatchedSellItem(
  db: SqlClient,
  opts: { symbol?: string; size?: string; unmatched?: string; price?: string; at?: string; severity?: ItemSpec["severity"] } = {},
) {
  const symbol = opts.symbol ?? "BTC-USD";
  const price = opts.price ?? "100";
  const size = opts.size ?? "2";
  const unmatched = opts.unmatched ?? size;
  const [sellId] = await insertTrades(db, [{ symbol, side: "sell", size, price, at: opts.at ?? "2025-03-10T12:00:00Z" }]);
  const notional = new Big(unmatched).times(price).toFixed();
  const item = await insertItem(db, {
    tradeId: sellId!,
    symbol,
    severity: opts.severity ?? "high",
    unmatchedSize: unmatched,
    notionalUsd: notional,
  });
  return { sellId: sellId!, item };
}
