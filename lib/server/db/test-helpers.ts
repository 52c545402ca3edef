// Helpers for DB tests: throwaway PostgreSQL databases and temp PGlite directories.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, dropDatabase } from "../../../scripts/db/create-test-db.mjs";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");

/** A uniquely named, empty PostgreSQL database. Fails clearly when PostgreSQL is unreachable. */
export async function createTempPgDatabase(prefix = "steward_t"): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const url = await createDatabase(name);
  return { name, url, drop: () => dropDatabase(name) };
}

export function tempDir(prefix = "steward-db-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run one of scripts/prisma/*.mjs in a child process. */
export function runScript(script: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/prisma", script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `npm run db:status -- --json` (Prisma's own diagnoseMigrationHistory) against a database. */
export function migrateStatus(env: Record<string, string | undefined>) {
  const r = runScript("status.mjs", ["--json"], env);
  if (r.code === 2) throw new Error(`db:status failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as {
    upToDate: boolean;
    hasMigrationsTable: boolean;
    history: unknown;
    failedMigrationNames: string[];
    editedMigrationNames: string[];
  };
}

/**
 * A throwaway PostgreSQL database as the console's own for one test file: DATABASE_URL points at it (set before
 * lib/server is imported), the migrations are applied by getDb, and close() closes the client and drops it.
 */
export async function useTempConsoleDb(prefix: string) {
  const temp = await createTempPgDatabase(prefix);
  process.env.DATABASE_URL = temp.url;
  process.env.STEWARD_DB_QUIET = "1";
  const dbModule = await import("../db");
  const db = await dbModule.getDb();
  return {
    url: temp.url,
    db,
    async close() {
      await dbModule.closeDb();
      await temp.drop();
    },
  };
}
