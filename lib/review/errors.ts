// Problems a review change can run into, as values the actions turn into messages for the form.

/** PostgreSQL UTC text ("2025-03-01 12:00:05.123+00") as the app shows it: "2025-03-01 12:00:05 UTC". */
export function formatUtc(text: string | null): string {
  if (!text) return "an unknown time";
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(text);
  return m ? `${m[1]} ${m[2]} UTC` : text;
}

/** Someone (or a run) changed the item after the reviewer read it: nothing was changed. */
export class ReviewConflictError extends Error {
  constructor(
    readonly itemId: number,
    readonly changedBy: string | null,
    readonly changedAt: string | null,
  ) {
    super(`Changed by ${changedBy ?? "someone else"} at ${formatUtc(changedAt)}; reload to see the change.`);
    this.name = "ReviewConflictError";
  }
}

/** The change is not allowed (wrong status, wrong issue type, bad manual buy); nothing was changed. */
export class ReviewRefusedError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "ReviewRefusedError";
  }
}
