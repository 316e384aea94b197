// Every trade id in the app links to its trade page.
import Link from "next/link";

export function TradeLink({ id, version }: { id: number | string | null | undefined; version?: number }) {
  if (id === null || id === undefined || id === "") return <span className="muted">—</span>;
  const href = version ? `/trades/${id}?version=${version}` : `/trades/${id}`;
  return (
    <Link href={href} className="num trade-link" data-testid="trade-link" prefetch={false}>
      #{id}
    </Link>
  );
}
