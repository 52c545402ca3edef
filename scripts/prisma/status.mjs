#!/usr/bin/env node
// npm run db:status [-- --json] — what `prisma migrate status` reports, computed by Prisma's own
// schema engine (wasm, diagnoseMigrationHistory) against the app's database:
// DATABASE_URL if set, else the PGlite directory STEWARD_DATA_DIR (default .data/pglite; the app
// must not be running on it: PGlite is single-process). Exit 0 when up to date, 1 otherwise.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { MIGRATIONS_DIR, NO_FILTERS, exists, readMigrationsList, withEngine } from "./engine.mjs";

const json = process.argv.includes("--json");
const url = process.env.DATABASE_URL;
const migrationsDir = MIGRATIONS_DIR;
let pglite;
let factory;
let where;
try {
  if (url) {
    factory = new PrismaPg({ connectionString: url });
    where = new URL(url).pathname.slice(1) + "@" + new URL(url).host;
  } else {
    const dir = path.resolve(process.env.STEWARD_DATA_DIR || path.join(process.cwd(), ".data", "pglite"));
    if (!(await exists(dir))) throw new Error(`no PGlite database at ${dir}`);
    pglite = new PGlite(dir);
    factory = new PrismaPGlite(pglite);
    where = dir;
  }
  const migrationsList = await readMigrationsList(migrationsDir);
  const out = await withEngine(
    (engine) => engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
    { adapterFactory: factory },
  );
  const upToDate = out.history === null && out.failedMigrationNames.length === 0 && out.editedMigrationNames.length === 0 && out.hasMigrationsTable;
  if (json) {
    console.log(JSON.stringify({ database: where, migrations: migrationsList.migrationDirectories.length, upToDate, ...out }));
  } else {
    console.log(`${migrationsList.migrationDirectories.length} migration(s) in prisma/migrations; database ${where}`);
    if (!out.hasMigrationsTable) console.log("No _prisma_migrations table: nothing applied yet.");
    if (out.history) console.log(`History: ${JSON.stringify(out.history)}`);
    if (out.failedMigrationNames.length) console.log(`Failed: ${out.failedMigrationNames.join(", ")}`);
    if (out.editedMigrationNames.length) console.log(`Edited after apply: ${out.editedMigrationNames.join(", ")}`);
    if (upToDate) console.log("Database schema is up to date!");
  }
  await pglite?.close();
  process.exit(upToDate ? 0 : 1);
} catch (e) {
  console.error("db:status failed:", e?.message ?? e);
  await pglite?.close().catch(() => {});
  process.exit(2);
}
