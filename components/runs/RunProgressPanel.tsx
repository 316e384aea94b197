"use client";
// Live progress of a queued or running run: polls /runs/[id]/progress once a second (one request
// at a time) and, when the run ends, refreshes the server page so it shows the result.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { formatCount, formatSeconds, isActiveStatus, STATUS_BADGE } from "./format";
import type { RunProgressPayload } from "./progress-payload";

const POLL_MS = 1000;
const SLOW_MS = 4000;

const PHASES: Record<string, string> = {
  reading: "Reading trades",
  computing: "Matching sells to lots",
  writing: "Writing allocations",
  reviewing: "Updating the review queue",
  done: "Finishing",
};

export function RunProgressPanel({ initial }: { initial: RunProgressPayload }) {
  const router = useRouter();
  const [state, setState] = useState(initial);
  const [waiting, setWaiting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const active = isActiveStatus(state.status);
  const refreshed = useRef(false);

  useEffect(() => {
    if (!active) {
      if (!refreshed.current) {
        refreshed.current = true;
        router.refresh();
      }
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const slow = setTimeout(() => setWaiting(true), SLOW_MS);
      try {
        const response = await fetch(`/runs/${initial.id}/progress`, { cache: "no-store", headers: { accept: "application/json" } });
        const isJson = response.headers.get("content-type")?.includes("application/json");
        if (!response.ok || !isJson) setProblem("Progress is not available (signed out?). Reload the page.");
        else {
          setProblem(null);
          const next = (await response.json()) as RunProgressPayload;
          if (!stopped) setState(next);
          if (!isActiveStatus(next.status)) return; // the effect re-runs and refreshes the page
        }
      } catch {
        setProblem("Lost contact with the server; retrying…");
      } finally {
        clearTimeout(slow);
        setWaiting(false);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, initial.id, router]);

  const p = state.progress;
  const tradesTotal = p.tradesTotal ?? 0;
  const tradesDone = p.tradesDone ?? 0;
  const fraction = tradesTotal > 0 ? Math.min(tradesDone / tradesTotal, 1) : null;
  const status = STATUS_BADGE[state.status] ?? { label: state.status, badge: "" };

  return (
    <section className="card" aria-label="Progress" data-testid="run-progress" data-status={state.status}>
      <h2>Progress</h2>
      <p>
        <span className={`badge ${status.badge}`} data-testid="run-progress-status">
          {status.label}
          {state.cancelRequested && active ? " (cancelling)" : ""}
        </span>{" "}
        {state.status === "queued" ? (
          <span className="muted">Waiting for the runner to pick it up…</span>
        ) : active ? (
          <span className="muted">{PHASES[p.phase ?? "reading"] ?? p.phase}</span>
        ) : (
          <span className="muted">Finished; loading the result…</span>
        )}
      </p>
      {state.status !== "queued" ? (
        <>
          <progress
            max={1}
            value={fraction ?? undefined}
            aria-label="Trades processed"
            style={{ width: "100%", height: 14 }}
          />
          <div className="stats" style={{ marginTop: 12 }}>
            <Stat label="Symbols" value={`${formatCount(p.symbolsDone ?? 0)} / ${formatCount(p.symbolsTotal ?? 0)}`} testId="progress-symbols" />
            <Stat label="Trades" value={`${formatCount(tradesDone)} / ${formatCount(tradesTotal)}`} testId="progress-trades" />
            <Stat label="Rate" value={p.tradesPerSecond !== undefined ? `${formatCount(p.tradesPerSecond)}/s` : "–"} />
            <Stat label="Time left" value={active ? formatSeconds(p.etaSeconds ?? null) : "0 s"} />
            <Stat label="Done" value={fraction === null ? "–" : `${Math.floor(fraction * 100)} %`} testId="progress-percent" />
          </div>
        </>
      ) : null}
      {waiting ? (
        <p className="muted" style={{ marginTop: 12 }}>
          The server is busy (the embedded database serves one query at a time while a run writes); the
          numbers update when it answers.
        </p>
      ) : null}
      {problem ? <p className="alert-error">{problem}</p> : null}
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
