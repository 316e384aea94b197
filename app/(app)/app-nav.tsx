"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const NAV_LINKS = [
  { href: "/", label: "Overview" },
  { href: "/unmatched", label: "Unmatched sells" },
  { href: "/discrepancies", label: "Discrepancies" },
  { href: "/pnl", label: "PnL by symbol" },
  { href: "/compare", label: "Compare" },
  { href: "/what-if", label: "What if" },
  { href: "/tax-lots", label: "Tax lots" },
  { href: "/allocations", label: "Allocations" },
  { href: "/trades", label: "Trades" },
  { href: "/review", label: "Review queue" },
  { href: "/runs", label: "Runs" },
] as const;

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function AppNav() {
  const pathname = usePathname() ?? "/";
  return (
    <nav className="app-nav" aria-label="Main">
      {NAV_LINKS.map((link) => {
        const active = isActive(pathname, link.href);
        return (
          <Link key={link.href} href={link.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
