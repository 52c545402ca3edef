#!/usr/bin/env node
// npm run db:check — fails (exit 1) when prisma/schema.prisma and prisma/migrations disagree,
// i.e. when `npm run db:migrate:new` would produce a non-empty migration; prints the missing SQL.
import { LOCKFILE_NAME, MIGRATIONS_DIR, diffMigrationsToSchema, exists } from "./engine.mjs";
import path from "node:path";

const started = Date.now();
try {
  if (!(await exists(path.join(MIGRATIONS_DIR, LOCKFILE_NAME)))) {
    console.error(`db:check: ${path.join("prisma/migrations", LOCKFILE_NAME)} is missing`);
    process.exit(1);
  }
  const { sql, empty, migrations } = await diffMigrationsToSchema({ verbose: process.argv.includes("--verbose") });
  if (!empty) {
    console.error("db:check: prisma/schema.prisma has changes that no migration contains. Missing SQL:\n");
    console.error(sql);
    console.error("Create a migration: npm run db:migrate:new -- <name>");
    process.exit(1);
  }
  console.log(`db:check: schema matches ${migrations} migration(s) (${Date.now() - started} ms)`);
  process.exit(0);
} catch (e) {
  console.error("db:check failed:", e?.message ?? e);
  process.exit(1);
}
