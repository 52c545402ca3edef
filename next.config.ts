import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Parallel checkouts/agents can build side by side (NEXT_DIST_DIR=.next-x).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // PGlite ships wasm and data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "trino-client"],
  poweredByHeader: false,
  experimental: { authInterrupts: true },
};

export default nextConfig;
