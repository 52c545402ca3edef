// Prisma CLI configuration (Prisma 7: connection URLs live here, not in schema.prisma).
//
// Offline notes (see docs/ and scripts/prisma/README.md):
// - `prisma generate` runs through scripts/prisma-generate.sh (npm run db:generate), which points
//   PRISMA_SCHEMA_ENGINE_BINARY at a stub so the CLI does not try to download the native engine.
// - Migrations are created with `npm run db:migrate:new -- <name>` (WebAssembly schema engine) and
//   applied by the app itself at start-up (lib/server/db/migrate.ts), not by `prisma migrate`.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
