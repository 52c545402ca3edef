import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, getDbHandle, openDb, type DbHandle } from "./client";
import { createTempPgDatabase, MIGRATIONS_DIR, migrateStatus, tempDir } from "./test-helpers";
import { readdirSync } from "node:fs";

const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** A write/read round trip through the Prisma client: enum array, Json, relation. */
async function roundTrip(h: DbHandle) {
  const prisma = h.prisma;
  const user = await prisma.user.create({ data: { username: "alice", roles: ["ADMIN", "GOVERNOR"] } });
  expect(user.roles).toEqual(["ADMIN", "GOVERNOR"]);
  const tag = await prisma.tag.create({ data: { name: "PII.Email" } });
  const who = { anyOf: [{ group: "hr" }, { attribute: { key: "region", value: "EU" } }] };
  const action = { type: "MASK", method: "HASH", params: { length: 8 }, nested: [1, "two", null, true] };
  const policy = await prisma.dataPolicy.create({
    data: { name: "mask email", scope: "GLOBAL", kind: "MASK", tagId: tag.id, who, action },
  });
  const back = await prisma.dataPolicy.findUniqueOrThrow({ where: { id: policy.id }, include: { tag: true } });
  expect(back.who).toEqual(who);
  expect(back.action).toEqual(action);
  expect(back.tag?.name).toBe("PII.Email");
  // enum-array filters (PGlite needed a fix for these: see pglite-adapter.ts)
  await prisma.user.create({ data: { username: "bob", roles: [] } });
  const byRole = async (where: Parameters<typeof prisma.user.findMany>[0]) =>
    (await prisma.user.findMany({ ...where, orderBy: { username: "asc" } })).map((u) => u.username);
  expect(await byRole({ where: { roles: { has: "GOVERNOR" } } })).toEqual(["alice"]);
  expect(await byRole({ where: { roles: { hasSome: ["AUDITOR", "ADMIN"] } } })).toEqual(["alice"]);
  expect(await byRole({ where: { roles: { hasEvery: ["ADMIN", "GOVERNOR"] } } })).toEqual(["alice"]);
  expect(await byRole({ where: { roles: { equals: ["ADMIN", "GOVERNOR"] } } })).toEqual(["alice"]);
  expect(await byRole({ where: { roles: { isEmpty: true } } })).toEqual(["bob"]);
  await prisma.user.update({ where: { username: "bob" }, data: { roles: { push: "AUDITOR" } } });
  expect(await byRole({ where: { roles: { has: "AUDITOR" } } })).toEqual(["bob"]);
  await prisma.$transaction(async (tx) => {
    expect((await tx.user.findMany({ where: { roles: { has: "ADMIN" } } })).map((u) => u.username)).toEqual(["alice"]);
  });
  // String[] filters
  await prisma.webhook.create({ data: { url: "http://127.0.0.1:1/x", events: ["policy.create", "a \"quoted\", {odd} value"] } });
  expect(await prisma.webhook.count({ where: { events: { has: "policy.create" } } })).toBe(1);
  expect(await prisma.webhook.count({ where: { events: { hasSome: ['a "quoted", {odd} value'] } } })).toBe(1);
  await prisma.$transaction(async (tx) => {
    await tx.epoch.upsert({ where: { id: 1 }, create: { id: 1, value: 1 }, update: { value: { increment: 1 } } });
  });
  expect((await prisma.epoch.findUniqueOrThrow({ where: { id: 1 } })).value).toBe(1);
}

async function migrationRows(h: DbHandle) {
  return h.prisma.$queryRawUnsafe<
    { id: string; checksum: string; finished_at: Date | null; migration_name: string; logs: string | null; rolled_back_at: Date | null; started_at: Date; applied_steps_count: number }[]
  >(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
}

function expectRecorded(rows: Awaited<ReturnType<typeof migrationRows>>) {
  expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
  for (const r of rows) {
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.finished_at).not.toBeNull();
    expect(r.rolled_back_at).toBeNull();
    expect(r.logs).toBeNull();
    expect(r.applied_steps_count).toBe(1);
  }
}

describe("openDb on a fresh PostgreSQL database (adapter-pg)", () => {
  let db: Awaited<ReturnType<typeof createTempPgDatabase>>;
  beforeAll(async () => {
    db = await createTempPgDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("applies all migrations, records them like Prisma, then reads and writes", async () => {
    const h = await openDb({ databaseUrl: db.url });
    try {
      expect(h.kind).toBe("postgres");
      expect(h.migrations?.applied).toEqual(migrationNames);
      expectRecorded(await migrationRows(h));
      await roundTrip(h);
    } finally {
      await h.close();
    }
  });

  it("is idempotent: a second open applies nothing and keeps the data", async () => {
    const h = await openDb({ databaseUrl: db.url });
    try {
      expect(h.migrations?.applied).toEqual([]);
      expect(h.migrations?.alreadyApplied).toEqual(migrationNames);
      expect(await h.prisma.user.count()).toBe(2);
      expect((await migrationRows(h)).length).toBe(migrationNames.length);
    } finally {
      await h.close();
    }
  });

  it("Prisma's schema engine (migrate status) agrees the database is up to date", () => {
    const s = migrateStatus({ DATABASE_URL: db.url });
    expect(s).toMatchObject({ upToDate: true, hasMigrationsTable: true, history: null, failedMigrationNames: [], editedMigrationNames: [] });
  });

  it("fails clearly when PostgreSQL is unreachable", async () => {
    await expect(openDb({ databaseUrl: "postgresql://postgres@127.0.0.1:1/nope" })).rejects.toThrow(/cannot connect to PostgreSQL/);
  });
});

describe("openDb on a fresh PGlite directory (pglite-prisma-adapter)", () => {
  const tmp = tempDir();
  // parents do not exist yet: openDb must create them
  const dataDir = path.join(tmp.dir, "nested", "deeper", "pglite");
  afterAll(() => tmp.remove());

  it("creates the directory, applies all migrations, records them, then reads and writes", async () => {
    const h = await openDb({ dataDir });
    try {
      expect(h.kind).toBe("pglite");
      expect(existsSync(dataDir)).toBe(true);
      expect(h.migrations?.applied).toEqual(migrationNames);
      expectRecorded(await migrationRows(h));
      await roundTrip(h);
    } finally {
      await h.close();
    }
  });

  it("persists across reopen and applies nothing the second time", async () => {
    const h = await openDb({ dataDir });
    try {
      expect(h.migrations?.applied).toEqual([]);
      const alice = await h.prisma.user.findUniqueOrThrow({ where: { username: "alice" } });
      expect(alice.roles).toEqual(["ADMIN", "GOVERNOR"]);
    } finally {
      await h.close();
    }
  });

  it("Prisma's schema engine (migrate status) agrees the database is up to date", () => {
    const s = migrateStatus({ DATABASE_URL: "", STEWARD_DATA_DIR: dataDir });
    expect(s).toMatchObject({ upToDate: true, history: null, failedMigrationNames: [], editedMigrationNames: [] });
  });
});

describe("getDb singleton", () => {
  const tmp = tempDir();
  const saved = { url: process.env.DATABASE_URL, dir: process.env.STEWARD_DATA_DIR, quiet: process.env.STEWARD_DB_QUIET };
  beforeAll(() => {
    delete process.env.DATABASE_URL;
    process.env.STEWARD_DATA_DIR = path.join(tmp.dir, "pglite");
    process.env.STEWARD_DB_QUIET = "1";
  });
  afterAll(async () => {
    await closeDb();
    for (const [k, v] of [["DATABASE_URL", saved.url], ["STEWARD_DATA_DIR", saved.dir], ["STEWARD_DB_QUIET", saved.quiet]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    tmp.remove();
  });

  it("uses PGlite in STEWARD_DATA_DIR when DATABASE_URL is unset, returns one client, survives re-import via globalThis", async () => {
    const [a, b] = await Promise.all([getDb(), getDb()]);
    expect(a).toBe(b);
    const h = await getDbHandle();
    expect(h.kind).toBe("pglite");
    expect(h.location).toBe(path.join(tmp.dir, "pglite"));
    expect(await a.user.count()).toBe(0);
    expect((globalThis as { __stewardDb?: unknown }).__stewardDb).toBeDefined();
    await closeDb();
    expect((globalThis as { __stewardDb?: unknown }).__stewardDb).toBeUndefined();
    const c = await getDb(); // reopens after close
    expect(c).not.toBe(a);
    expect(await c.user.count()).toBe(0);
  });
});
