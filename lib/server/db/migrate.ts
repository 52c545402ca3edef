// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` does, without the
// Prisma CLI (whose native schema engine cannot be downloaded here). The same code runs on
// PostgreSQL (node-postgres) and on embedded PGlite, through the small `SqlRunner` interface.
//
// Bookkeeping matches Prisma's `_prisma_migrations` table (same DDL, same columns, sha256 checksum of
// the file), so `prisma migrate status` / `npm run db:status` agree with what was applied here.
// Differences from Prisma, on purpose:
// - each migration runs in a transaction together with its `_prisma_migrations` row, so a failed
//   migration leaves no half-applied schema; it is recorded as a rolled-back row (finished_at NULL,
//   rolled_back_at set, logs = the error) for the audit trail, and retried on the next start.
//   (A migration.sql containing its own BEGIN/COMMIT loses that atomicity; avoid writing one.)
// - a Prisma-recorded failed migration (finished_at NULL, rolled_back_at NULL) stops us, like P3009.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Minimal database access the migrator needs: one session (advisory locks are per session). */
export interface SqlRunner {
  /** Parameterised single statement. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Multi-statement script, no parameters. */
  exec(script: string): Promise<void>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  warnings: string[];
  ms: number;
}

/** Same key as Prisma's schema engine uses on PostgreSQL, so our runs and Prisma CLI runs exclude each other. */
export const MIGRATION_LOCK_KEY = 72707369;

const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export function defaultMigrationsDir(): string {
  return process.env.STEWARD_MIGRATIONS_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
}

export function checksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/** Migration directories in name order (Prisma's order), each with its migration.sql. */
export async function readMigrations(dir: string = defaultMigrationsDir()): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`migrations directory not found: ${dir} (run the app from the repository root, or set STEWARD_MIGRATIONS_DIR)`);
    }
    throw e;
  }
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const out: MigrationFile[] = [];
  for (const name of names) {
    let sql: string;
    try {
      sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // Prisma ignores such folders too
      throw e;
    }
    out.push({ name, sql, checksum: checksum(sql) });
  }
  return out;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
}

/**
 * Apply every migration of `dir` not yet recorded as finished, in order, each in its own
 * transaction, under a PostgreSQL advisory lock (safe with several processes on one database).
 */
export async function applyMigrations(
  db: SqlRunner,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const migrations = await readMigrations(opts.dir);
  const warnings: string[] = [];
  const applied: string[] = [];
  const alreadyApplied: string[] = [];

  await db.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY]);
  try {
    await db.exec(MIGRATIONS_TABLE_DDL);
    const rows = await db.query<MigrationRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
        WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const failed = rows.filter((r) => r.finished_at === null).map((r) => r.migration_name);
    if (failed.length > 0) {
      throw new Error(
        `database has failed migrations (${failed.join(", ")}) recorded in _prisma_migrations; ` +
          `fix the database, then mark them rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() ` +
          `WHERE finished_at IS NULL AND rolled_back_at IS NULL) to retry`,
      );
    }
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    for (const name of done.keys()) {
      if (!known.has(name)) warnings.push(`migration ${name} is applied to the database but missing from ${opts.dir ?? defaultMigrationsDir()}`);
    }

    for (const m of migrations) {
      const recorded = done.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) warnings.push(`migration ${m.name} was modified after it was applied (checksum mismatch)`);
        alreadyApplied.push(m.name);
        continue;
      }
      const t = Date.now();
      const id = randomUUID();
      try {
        await db.exec("BEGIN");
        await db.exec(m.sql);
        await db.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
          [id, m.checksum, m.name],
        );
        await db.exec("COMMIT");
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await db.exec("ROLLBACK").catch(() => {});
        await db
          .query(
            `INSERT INTO "_prisma_migrations"
               (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, NULL, $3, $4, now(), now(), 0)`,
            [id, m.checksum, m.name, message],
          )
          .catch(() => {});
        throw new Error(`migration ${m.name} failed and was rolled back: ${message}`, { cause: e });
      }
      applied.push(m.name);
      log(`applied migration ${m.name} (${Date.now() - t} ms)`);
    }
  } finally {
    await db.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK_KEY]).catch(() => {});
  }
  for (const w of warnings) log(`warning: ${w}`);
  return { applied, alreadyApplied, warnings, ms: Date.now() - started };
}
