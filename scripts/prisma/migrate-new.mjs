#!/usr/bin/env node
// npm run db:migrate:new -- <name> [--allow-empty]
// Writes prisma/migrations/<UTC yyyymmddHHMMSS>_<name>/migration.sql with the SQL that takes the
// database produced by the existing migrations to prisma/schema.prisma (from empty for the first),
// like `prisma migrate dev --create-only`, and writes prisma/migrations/migration_lock.toml.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { LOCKFILE_CONTENT, LOCKFILE_NAME, MIGRATIONS_DIR, diffMigrationsToSchema, exists } from "./engine.mjs";

function usage(msg) {
  if (msg) console.error(`error: ${msg}`);
  console.error("usage: npm run db:migrate:new -- <name> [--allow-empty] [--verbose]");
  process.exit(2);
}

function timestamp(d = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
for (const f of flags) if (!["--allow-empty", "--verbose"].includes(f)) usage(`unknown flag ${f}`);
const words = args.filter((a) => !a.startsWith("--"));
if (words.length !== 1) usage("exactly one migration name is required");
const name = words[0].toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 200);
if (!name) usage(`invalid migration name ${JSON.stringify(words[0])}`);

const started = Date.now();
const { sql, empty, migrations } = await diffMigrationsToSchema({ verbose: flags.has("--verbose") });
if (empty && !flags.has("--allow-empty")) {
  console.log(`No schema changes since the last migration (${migrations} existing); nothing written.`);
  console.log("Use --allow-empty to write an empty migration to fill in by hand.");
  process.exit(0);
}

await mkdir(MIGRATIONS_DIR, { recursive: true });
const lockPath = path.join(MIGRATIONS_DIR, LOCKFILE_NAME);
if (!(await exists(lockPath))) await writeFile(lockPath, LOCKFILE_CONTENT);

let dirName = `${timestamp()}_${name}`;
if (await exists(path.join(MIGRATIONS_DIR, dirName))) usage(`${dirName} already exists`);
const dir = path.join(MIGRATIONS_DIR, dirName);
await mkdir(dir);
await writeFile(path.join(dir, "migration.sql"), empty ? "-- This is an empty migration.\n" : sql);
console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, "migration.sql"))} (${Date.now() - started} ms)`);
// The engine's wasm runtime can keep the event loop alive for a while; we are done.
process.exit(0);
