// The database core, free of `server-only` so scripts (tsx) and vitest can import it.
// App code imports `@/lib/server/db` (the same API behind `import "server-only"`).
//
// - DATABASE_URL set   -> PostgreSQL through @prisma/adapter-pg.
// - DATABASE_URL unset -> embedded PGlite persisted in STEWARD_DATA_DIR (default <cwd>/.data/pglite).
//   PGlite is single-process: only one process may open a given directory at a time.
// Pending migrations (prisma/migrations, found from process.cwd()) are applied on first use.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../../generated/prisma/client";
import { pgliteAdapterFactory } from "./pglite-adapter";
import { applyMigrations, defaultMigrationsDir, type MigrateResult, type SqlRunner } from "./migrate";

export type { PrismaClient };

export interface DbOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory (ignored with databaseUrl). */
  dataDir?: string;
  /** Migrations directory; default <cwd>/prisma/migrations (or STEWARD_MIGRATIONS_DIR). */
  migrationsDir?: string;
  /** Skip applying migrations. */
  skipMigrations?: boolean;
  log?: (line: string) => void;
}

export interface DbHandle {
  prisma: PrismaClient;
  kind: "postgres" | "pglite";
  /** Where the data lives: the PGlite directory, or the URL without its password. */
  location: string;
  migrations: MigrateResult | null;
  close(): Promise<void>;
}

export function defaultDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.STEWARD_DATA_DIR || path.join(process.cwd(), ".data", "pglite"));
}

/** A SqlRunner over one node-postgres client (one session: advisory locks hold). */
export function pgRunner(client: pg.Client): SqlRunner {
  return {
    async query(sql, params) {
      return (await client.query(sql, params as unknown[] | undefined)).rows;
    },
    async exec(script) {
      await client.query(script); // no parameters -> simple protocol, multi-statement allowed
    },
  };
}

/** A SqlRunner over a PGlite instance (already a single session). */
export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(script) {
      await db.exec(script);
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** Open a database (not the shared singleton): tests and scripts that need their own. */
export async function openDb(opts: DbOptions = {}): Promise<DbHandle> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const log = opts.log ?? (() => {});

  if (opts.databaseUrl) {
    const url = opts.databaseUrl;
    let migrations: MigrateResult | null = null;
    if (!opts.skipMigrations) {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
      } catch (e) {
        throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`, { cause: e });
      }
      try {
        migrations = await applyMigrations(pgRunner(client), { dir: migrationsDir, log });
      } finally {
        await client.end().catch(() => {});
      }
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    return {
      prisma,
      kind: "postgres",
      location: redact(url),
      migrations,
      close: () => prisma.$disconnect(),
    };
  }

  const dataDir = path.resolve(/*turbopackIgnore: true*/ opts.dataDir ?? defaultDataDir());
  mkdirSync(path.dirname(dataDir), { recursive: true }); // PGlite does not create parents
  const pglite = new PGlite(dataDir);
  let migrations: MigrateResult | null = null;
  try {
    await pglite.waitReady;
    if (!opts.skipMigrations) migrations = await applyMigrations(pgliteRunner(pglite), { dir: migrationsDir, log });
  } catch (e) {
    await pglite.close().catch(() => {});
    throw e;
  }
  const prisma = new PrismaClient({ adapter: pgliteAdapterFactory(pglite) });
  return {
    prisma,
    kind: "pglite",
    location: dataDir,
    migrations,
    async close() {
      await prisma.$disconnect().catch(() => {});
      if (!pglite.closed) await pglite.close();
    },
  };
}

// ---- the process-wide singleton (survives Next dev hot reload through globalThis) ----

type DbGlobal = typeof globalThis & { __stewardDb?: Promise<DbHandle> };
const g = globalThis as DbGlobal;

/** The shared PrismaClient, opened (and migrated) on first call from the environment. */
export async function getDb(): Promise<PrismaClient> {
  return (await getDbHandle()).prisma;
}

export function getDbHandle(): Promise<DbHandle> {
  if (!g.__stewardDb) {
    const p = openDb({
      databaseUrl: process.env.DATABASE_URL || undefined,
      log: (line) => {
        if (process.env.STEWARD_DB_QUIET !== "1") console.log(`[db] ${line}`);
      },
    });
    g.__stewardDb = p;
    // A failed open must not be cached forever: the next call retries.
    p.catch(() => {
      if (g.__stewardDb === p) g.__stewardDb = undefined;
    });
  }
  return g.__stewardDb;
}

/** Close the shared client (scripts must call it: an open PGlite keeps Node alive). */
export async function closeDb(): Promise<void> {
  const p = g.__stewardDb;
  g.__stewardDb = undefined;
  if (!p) return;
  const handle = await p.catch(() => null);
  await handle?.close();
}
