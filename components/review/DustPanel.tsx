"use client";
// "Dismiss all dust": the open items whose unmatched notional is below the dust size. The server
// dismisses only those still dust (and unchanged) when the action runs. Stays mounted when the
// dust is gone, so the outcome can be read.
import Link from "next/link";
import { useActionState } from "react";
import { dismissDust } from "@/app/(app)/review/actions";
import { FormMessage } from "./action-form";

export interface DustPanelProps {
  refs: string[];
  dustNotionalUsd: string;
  symbol: string | undefined;
  showHref: string;
}

export function DustPanel({ refs, dustNotionalUsd, symbol, showHref }: DustPanelProps) {
  const [state, formAction, pending] = useActionState(dismissDust, null);
  if (refs.length === 0 && !state) return null;
  return (
    <section className="card" aria-label="Dust" data-testid="dust-panel">
      {refs.length > 0 ? (
        <form action={formAction} className="toolbar" data-testid="dismiss-dust-form">
          <span>
            {refs.length} open dust {refs.length === 1 ? "item" : "items"}
            {symbol ? ` of ${symbol}` : ""}: unmatched remainders worth less than {dustNotionalUsd} USD.{" "}
            <Link href={showHref}>Show them</Link>
          </span>
          <input type="hidden" name="items" value={refs.join(",")} />
          <input type="hidden" name="notes" value={`Dust: unmatched notional below ${dustNotionalUsd} USD`} />
          <button type="submit" className="btn btn-danger" disabled={pending} data-testid="dismiss-dust">
            Dismiss all {refs.length} dust items
          </button>
        </form>
      ) : null}
      <FormMessage state={state} testId="dismiss-dust" />
    </section>
  );
}
