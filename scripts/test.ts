// npm test: the whole suite. Unit and database tests (Vitest), then a production build and the
// browser tests (Playwright). Database tests use TEST_DATABASE_URL (a real PostgreSQL server) when
// it is set, otherwise the embedded engine.
import { spawnSync } from "node:child_process";

function step(title: string, command: string, args: string[]) {
  console.log(`\n=== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

console.log(
  process.env.TEST_DATABASE_URL
    ? `Database tests run on the PostgreSQL server at TEST_DATABASE_URL.`
    : "TEST_DATABASE_URL is not set: database tests run on embedded PGlite.",
);
step("Unit and database tests", "npx", ["vitest", "run"]);
step("Production build", "npx", ["next", "build"]);
step("Browser tests", "npx", ["playwright", "test"]);
console.log("\nAll test suites passed.");
