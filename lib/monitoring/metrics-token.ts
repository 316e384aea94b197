// Who may read /api/metrics: a scraper presenting METRICS_TOKEN as a bearer token (compared in
// constant time), or a signed-in admin in a browser. Without METRICS_TOKEN only admins can.
import { createHash, timingSafeEqual } from "node:crypto";

/** A token shorter than this is refused as too easy to guess (the route says so). */
export const MIN_METRICS_TOKEN_LENGTH = 16;

export function bearerToken(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match ? match[1]! : null;
}

export function configuredMetricsToken(env: Record<string, string | undefined> = process.env): string | null {
  const token = env.METRICS_TOKEN?.trim();
  return token && token.length >= MIN_METRICS_TOKEN_LENGTH ? token : null;
}

export function metricsTokenMatches(presented: string | null, configured: string | null): boolean {
  if (!presented || !configured) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(presented), digest(configured));
}
