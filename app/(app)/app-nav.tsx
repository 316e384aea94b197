"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const NAV_LINKS = [
  { href: "/", label: "Overview" },
  { href: "/unmatched", label: "Unmatched sells" },
  { href: "/discrepancies", label: "Discrepancies" },
  { href: "/pnl", label: "PnL by symbol" },
  { href: "/compare", label: "Compare" },
  { href: "/drift", label: "Drift" },
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

/** Shown to admins only (the page checks the role itself). */
const ADMIN_LINKS = [{ href: "/users", label: "Users" }] as const;

export function AppNav({ isAdmin = false }: { isAdmin?: boolean }) {
  const pathname = usePathname() ?? "/";
  const links = isAdmin ? [...NAV_LINKS, ...ADMIN_LINKS] : NAV_LINKS;
  return (
    <nav className="app-nav" aria-label="Main">
      {links.map((link) => {
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
