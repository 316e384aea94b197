// Decides, per symbol, whether a run recomputes from the first trade or continues from the
// version's inventory snapshot. Incremental is only trusted when the trades up to the snapshot
// point are exactly the ones the snapshot was built from (same count and checksum).
import type { OpenLot } from "@/lib/fifo";
import { fingerprintsAtPoints } from "@/db/compute/snapshot-fingerprints";
import { readSnapshots, type SnapshotPoint } from "@/db/compute/snapshots";
import type { RunMode } from "@/db/compute/runs";
import type { SqlClient } from "@/db/sql-client";

export interface SymbolPlan {
  symbol: string;
  /** Where to continue from; null = recompute the symbol from its first trade. */
  resumeFrom: { point: SnapshotPoint; openLots: OpenLot[]; tradesProcessed: number; tradesChecksum: string } | null;
  /** Why an incremental run recomputes this symbol in full (shown in the run's log). */
  fullReason: string | null;
  tradesToRead: number;
}

export async function planSymbols(
  db: SqlClient,
  version: number,
  symbols: string[],
  mode: RunMode,
): Promise<SymbolPlan[]> {
  if (mode === "full") return symbols.map((symbol) => ({ symbol, resumeFrom: null, fullReason: null, tradesToRead: 0 }));
  const snapshots = await readSnapshots(db, version, symbols);
  const points = [...snapshots.values()].flatMap((s) => (s.point ? [{ symbol: s.symbol, point: s.point }] : []));
  const fingerprints = await fingerprintsAtPoints(db, points);
  const plans: SymbolPlan[] = [];
  for (const symbol of symbols) {
    const snapshot = snapshots.get(symbol);
    if (!snapshot?.point) {
      plans.push({ symbol, resumeFrom: null, fullReason: "no snapshot yet", tradesToRead: 0 });
      continue;
    }
    const now = fingerprints.get(symbol)!;
    if (now.count !== snapshot.tradesProcessed || now.checksum !== snapshot.tradesChecksum) {
      plans.push({
        symbol,
        resumeFrom: null,
        fullReason:
          now.count !== snapshot.tradesProcessed
            ? `${Math.abs(now.count - snapshot.tradesProcessed)} trade(s) ${now.count > snapshot.tradesProcessed ? "inserted" : "removed"} at or before the snapshot point`
            : "a trade at or before the snapshot point changed",
        tradesToRead: 0,
      });
      continue;
    }
    plans.push({
      symbol,
      resumeFrom: {
        point: snapshot.point,
        openLots: snapshot.openLots as OpenLot[],
        tradesProcessed: snapshot.tradesProcessed,
        tradesChecksum: now.checksum,
      },
      fullReason: null,
      tradesToRead: now.after,
    });
  }
  return plans;
}
