import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "trino-client"],
  poweredByHeader: false,
  experimental: { authInterrupts: true },
};

export default nextConfig;
