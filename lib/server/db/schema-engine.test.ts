// The offline migration tooling (scripts/prisma/*.mjs over @prisma/schema-engine-wasm).
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, REPO_ROOT, runScript, tempDir } from "./test-helpers";

describe("db:check / db:migrate:new", () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it("the committed migrations match prisma/schema.prisma (npm run db:check)", { timeout: 60_000 }, () => {
    const r = runScript("check.mjs");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/schema matches \d+ migration/);
  });

  it("detects a schema change, writes the migration for it, then passes", () => {
    const migrations = path.join(tmp.dir, "migrations");
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const schema = path.join(tmp.dir, "schema.prisma");
    writeFileSync(
      schema,
      readFileSync(path.join(REPO_ROOT, "prisma/schema.prisma"), "utf8") +
        `\nmodel ZzExtra {\n  id    Int    @id @default(autoincrement())\n  label String @unique\n}\n`,
    );
    const env = { STEWARD_MIGRATIONS_DIR: migrations, STEWARD_PRISMA_SCHEMA: schema };

    const drift = runScript("check.mjs", [], env);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain(`CREATE TABLE "ZzExtra"`);

    const before = new Set(readdirSync(migrations));
    const made = runScript("migrate-new.mjs", ["Add Extra"], env);
    expect(made.code).toBe(0);
    const added = readdirSync(migrations).filter((n) => !before.has(n));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^\d{14}_add_extra$/);
    const sql = readFileSync(path.join(migrations, added[0], "migration.sql"), "utf8");
    expect(sql).toContain(`CREATE TABLE "ZzExtra"`);
    expect(sql).toContain(`CREATE UNIQUE INDEX "ZzExtra_label_key"`);
    expect(sql).not.toContain(`CREATE TABLE "User"`); // only the difference

    expect(runScript("check.mjs", [], env).code).toBe(0);
  }, 120_000);

  it("the first migration starts from an empty database and writes migration_lock.toml", { timeout: 60_000 }, () => {
    const migrations = path.join(tmp.dir, "fresh");
    const r = runScript("migrate-new.mjs", ["init"], { STEWARD_MIGRATIONS_DIR: migrations });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(migrations, "migration_lock.toml"), "utf8")).toContain(`provider = "postgresql"`);
    const [dir] = readdirSync(migrations).filter((n) => n.endsWith("_init"));
    const generated = readFileSync(path.join(migrations, dir, "migration.sql"), "utf8");
    const committed = readdirSync(MIGRATIONS_DIR).filter((n) => n.endsWith("_init"));
    // the committed init migration is exactly what the tool generates from the current schema,
    // as long as no later migration exists
    if (readdirSync(MIGRATIONS_DIR).filter((n) => /^\d{14}_/.test(n)).length === 1) {
      expect(generated).toBe(readFileSync(path.join(MIGRATIONS_DIR, committed[0], "migration.sql"), "utf8"));
    }
    expect(generated).toContain(`CREATE TYPE "Role" AS ENUM`);
  });

  it("reports schema errors from the engine", { timeout: 60_000 }, () => {
    const bad = path.join(tmp.dir, "bad.prisma");
    writeFileSync(bad, `datasource db { provider = "postgresql" }\nmodel A { id Int @id\n b Strin }\n`);
    const r = runScript("check.mjs", [], { STEWARD_PRISMA_SCHEMA: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Strin/);
  });
});
