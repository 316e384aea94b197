import os from "node:os";
import { describe, expect, it } from "vitest";
import { webConcurrency } from "@/scripts/next-workers";

describe("webConcurrency (server processes of npm start and the load bench)", () => {
  it("is one process on the embedded PGlite, which allows only one", () => {
    expect(webConcurrency({ WEB_CONCURRENCY: "4" })).toBe(1);
  });

  it("is one per core on PostgreSQL unless WEB_CONCURRENCY says otherwise", () => {
    expect(webConcurrency({ DATABASE_URL: "postgres://x/y" })).toBe(Math.max(1, os.availableParallelism()));
    expect(webConcurrency({ DATABASE_URL: "postgres://x/y", WEB_CONCURRENCY: "3" })).toBe(3);
  });

  it("ignores a WEB_CONCURRENCY that is not a positive integer", () => {
    for (const value of ["0", "-2", "1.5", "many", ""]) {
      expect(webConcurrency({ DATABASE_URL: "postgres://x/y", WEB_CONCURRENCY: value })).toBe(Math.max(1, os.availableParallelism()));
    }
  });
});
