import { describe, expect, test } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "@/lib/http/security-headers";

describe("security headers", () => {
  test("production: no framing, same-origin only, no eval", () => {
    const csp = contentSecurityPolicy(false);
    expect(csp.split("; ")).toEqual(
      expect.arrayContaining(["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "connect-src 'self'"]),
    );
    expect(csp).not.toContain("unsafe-eval");
    expect(Object.fromEntries(securityHeaders(false).map((h) => [h.key, h.value]))).toMatchObject({
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Content-Type-Options": "nosniff",
    });
  });

  test("next dev additionally allows eval and its websocket", () => {
    expect(contentSecurityPolicy(true)).toContain("script-src 'self' 'unsafe-inline' 'unsafe-eval'");
    expect(contentSecurityPolicy(true)).toContain("connect-src 'self' ws: wss:");
  });
});
