// Which client a request comes from, for slowing down sign-in guesses. X-Forwarded-For is
// written by whoever sends the request, so it is believed only when TRUST_PROXY says how many
// proxies of ours stand in front of the app: each appends the address it saw, so the entry
// TRUST_PROXY places from the right is the one our outermost proxy wrote. Without TRUST_PROXY
// the client is unknown ("") and all unknown clients share one bucket (Next.js keeps a forged
// header as it came, so the socket address cannot be told apart from it).

export interface HeaderSource {
  get(name: string): string | null;
}

/** Number of trusted proxy hops: TRUST_PROXY=1 (or "true") for one reverse proxy, N for N; else 0. */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const value = env.TRUST_PROXY?.trim().toLowerCase();
  if (!value || value === "0" || value === "false" || value === "no") return 0;
  if (value === "true" || value === "yes") return 1;
  const hops = Number(value);
  return Number.isInteger(hops) && hops > 0 && hops <= 10 ? hops : 0;
}

export function clientAddressFrom(headers: HeaderSource, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedProxyHops(env);
  if (hops === 0) return "";
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = entries[entries.length - hops] ?? entries[0] ?? "";
  return /^[0-9A-Fa-f:.[\]%a-z]{1,64}$/i.test(address) ? address : "";
}
