"use client";
// A timestamp in the reader's time zone (the browser's), with UTC on hover. The server cannot know
// the zone, so the first render (server and hydration) shows UTC, then the browser's zone.
import { useSyncExternalStore } from "react";
import { formatInZone, formatUtc, parsePgTimestamp } from "@/lib/format/time";

const subscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverZone = () => null;

export function DateTime({ value, dateOnly = false }: { value: string | null | undefined; dateOnly?: boolean }) {
  const zone = useSyncExternalStore(subscribe, browserZone, serverZone);
  const date = parsePgTimestamp(value);
  if (!date) return <span className="muted">{value ?? "—"}</span>;
  const utc = formatUtc(date, true);
  const text = zone ? formatInZone(date, zone, dateOnly) : dateOnly ? utc.slice(0, 10) : utc;
  return (
    <time dateTime={date.toISOString()} title={utc} className="num" style={{ textAlign: "left" }}>
      {text}
    </time>
  );
}
