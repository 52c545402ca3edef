import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteRunner, pgRunner } from "./client";
import { applyMigrations, checksum, readMigrations } from "./migrate";
import { createTempPgDatabase, MIGRATIONS_DIR, tempDir } from "./test-helpers";

const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("readMigrations", () => {
  it("lists prisma/migrations in name order with sha256 checksums", async () => {
    const ms = await readMigrations(MIGRATIONS_DIR);
    expect(ms.map((m) => m.name)).toEqual(migrationNames);
    expect(ms.length).toBeGreaterThan(0);
    for (const m of ms) expect(m.checksum).toBe(checksum(m.sql));
    expect(checksum("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("fails clearly when the directory is missing", async () => {
    await expect(readMigrations("/nonexistent/migrations")).rejects.toThrow(/migrations directory not found/);
  });
});

describe("applyMigrations on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createTempPgDatabase>>;
  beforeAll(async () => {
    db = await createTempPgDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("is safe with concurrent migrators (advisory lock): applied exactly once", async () => {
    const clients = [0, 1, 2].map(() => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const results = await Promise.all(clients.map((c) => applyMigrations(pgRunner(c), { dir: MIGRATIONS_DIR })));
      const appliedAll = results.flatMap((r) => r.applied);
      expect(appliedAll.sort()).toEqual(migrationNames);
      const { rows } = await clients[0].query(`SELECT migration_name FROM "_prisma_migrations"`);
      expect(rows.map((r) => r.migration_name).sort()).toEqual(migrationNames);
      // second run: nothing to do
      const again = await applyMigrations(pgRunner(clients[0]), { dir: MIGRATIONS_DIR });
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toEqual(migrationNames);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

describe("applyMigrations failure handling (PGlite in memory)", () => {
  it("rolls a failing migration back, records it as rolled back, and retries it next time", async () => {
    const tmp = tempDir();
    const pglite = new PGlite();
    try {
      const dir = path.join(tmp.dir, "migrations");
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const broken = "29991231000000_broken";
      mkdirSync(path.join(dir, broken));
      const file = path.join(dir, broken, "migration.sql");
      writeFileSync(file, `CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "does_not_exist";\n`);

      const runner = pgliteRunner(pglite);
      await expect(applyMigrations(runner, { dir })).rejects.toThrow(/29991231000000_broken failed and was rolled back.*does_not_exist/);
      const half = await pglite.query(`SELECT to_regclass('"Half"') AS t`);
      expect(half.rows[0]).toEqual({ t: null });
      const rows = (
        await pglite.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null; logs: string | null }>(
          `SELECT migration_name, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
        )
      ).rows;
      const failed = rows.find((r) => r.migration_name === broken)!;
      expect(failed.finished_at).toBeNull();
      expect(failed.rolled_back_at).not.toBeNull();
      expect(failed.logs).toMatch(/does_not_exist/);
      // the good migrations before it did apply
      expect(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name)).toEqual(migrationNames);

      writeFileSync(file, `CREATE TABLE "Half" ("id" INTEGER);\n`);
      const retry = await applyMigrations(runner, { dir });
      expect(retry.applied).toEqual([broken]);
    } finally {
      await pglite.close();
      tmp.remove();
    }
  });

  it("refuses to run past a failed (not rolled back) migration recorded by Prisma", async () => {
    const pglite = new PGlite();
    try {
      const runner = pgliteRunner(pglite);
      await applyMigrations(runner, { dir: MIGRATIONS_DIR });
      await pglite.query(`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = $1`, [migrationNames[0]]);
      await expect(applyMigrations(runner, { dir: MIGRATIONS_DIR })).rejects.toThrow(/failed migrations/);
    } finally {
      await pglite.close();
    }
  });

  it("warns about edited and unknown migrations without failing", async () => {
    const pglite = new PGlite();
    try {
      const runner = pgliteRunner(pglite);
      await applyMigrations(runner, { dir: MIGRATIONS_DIR });
      await pglite.query(`UPDATE "_prisma_migrations" SET checksum = 'x' WHERE migration_name = $1`, [migrationNames[0]]);
      await pglite.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('z', 'y', now(), '00000000000000_gone', 1)`,
      );
      const r = await applyMigrations(runner, { dir: MIGRATIONS_DIR });
      expect(r.applied).toEqual([]);
      expect(r.warnings.join("\n")).toMatch(/modified after it was applied/);
      expect(r.warnings.join("\n")).toMatch(/00000000000000_gone.*missing/);
    } finally {
      await pglite.close();
    }
  });
});
