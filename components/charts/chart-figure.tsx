"use client";
// A chart's frame. The charts draw only in the browser: recharts cannot measure a responsive
// chart on the server (it renders an empty box there anyway), and building its chart state for
// that empty box cost every page view server CPU. The server and the hydration render a box of
// the chart's size, so nothing moves when the chart appears.
import { useSyncExternalStore, type ReactNode } from "react";

const subscribe = () => () => {};

export function ChartFigure(props: { testId?: string; ariaLabel: string; height: number; children: ReactNode }) {
  const inBrowser = useSyncExternalStore(subscribe, () => true, () => false);
  return (
    <figure className="chart" data-testid={props.testId} aria-label={props.ariaLabel}>
      {inBrowser ? props.children : <div style={{ position: "relative", width: "100%", height: props.height }} />}
    </figure>
  );
}
