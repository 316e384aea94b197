// What every review action returns to its form (useActionState).
import type { ActionResult } from "@/lib/auth/action";

export interface ReviewActionData {
  /** Items changed. */
  changed: number;
  /** Items left as they were (bulk actions: changed by someone else, or not allowed). */
  skipped: number;
  /** The item's new row_version (single-item actions): the form's next change must send it. */
  rowVersion?: number;
  /** The manual buy recorded (recordCostBasis). */
  manualTradeId?: number;
}

export type ReviewActionState = ActionResult<ReviewActionData> | null;
