// `npm start` serves on loopback by default. Serving on any other address while a demo login still
// has the password the README publishes would hand the dashboard to anyone on the network, so the
// start refuses unless the operator says ALLOW_DEMO_PASSWORDS=1.

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/** Why the start must stop, or null when it may go on. */
export function demoPasswordRefusal(host: string, publishedLogins: readonly { email: string }[], env: Record<string, string | undefined> = process.env): string | null {
  if (isLoopbackHost(host) || publishedLogins.length === 0 || env.ALLOW_DEMO_PASSWORDS === "1") return null;
  const emails = publishedLogins.map((u) => u.email).join(", ");
  return (
    `refusing to serve on HOST=${host}: the demo logins ${emails} still have the passwords the README publishes. ` +
    "Change them first (start on 127.0.0.1 and use the Users page, or `npm run user:create -- --email <e-mail> --update`), " +
    "or set ALLOW_DEMO_PASSWORDS=1 to serve them anyway."
  );
}
