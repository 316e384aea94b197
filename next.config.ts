import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-copy-streams", "@node-rs/bcrypt"],
  poweredByHeader: false,
  // Separate build directories let several checkouts/agents build side by side (default .next).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
};

export default nextConfig;
