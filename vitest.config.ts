import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    // Mocks next/headers, next/cache, next/navigation so server actions and guards run in tests.
    setupFiles: ["tests/setup/next-mocks.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: more workers only fight over them (each PGlite instance is single-threaded WASM).
    maxWorkers: 2,
  },
});
