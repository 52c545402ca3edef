// lib/server/people-import.ts on a real, throwaway PostgreSQL: a batch is all or nothing, one audit event and
// one epoch bump per batch, and the view API's user context sees the imported groups and attributes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTempConsoleDb } from "./db/test-helpers";
import type { Actor } from "./actor";

vi.mock("./auth", () => ({ auth: async () => null }));

let close: () => Promise<void>;
let mod: {
  db: Awaited<ReturnType<typeof import("./db").getDb>>;
  imports: typeof import("./people-import");
  people: typeof import("./people");
  userContext: typeof import("./user-context");
};
let admin: Actor;

beforeAll(async () => {
  const temp = await useTempConsoleDb("steward_import");
  close = temp.close;
  mod = {
    db: temp.db,
    imports: await import("./people-import"),
    people: await import("./people"),
    userContext: await import("./user-context"),
  };
  const row = await mod.db.user.create({ data: { username: "root", roles: ["ADMIN"] } });
  admin = { id: row.id, username: "root", roles: ["ADMIN"] };
  await mod.people.createGroup(admin, { name: "analysts" });
});

afterAll(async () => {
  await close?.();
});

const epoch = async () => (await mod.db.epoch.findUnique({ where: { id: 1 } }))?.value ?? 0;
const imports = () => mod.db.auditEvent.count({ where: { action: "user.import" } });

describe("importUsers", () => {
  it("writes a batch with groups and attributes: one audit event, one epoch bump, no password, no roles", async () => {
    const before = await epoch();
    const users = Array.from({ length: 120 }, (_, i) => ({
      username: `User${i}`,
      groups: i % 2 ? ["analysts", "team-a"] : ["analysts"],
      attributes: [
        { key: "region", value: "EU" },
        { key: "region", value: i % 3 ? "US" : "EU" },
        { key: "level", value: String(i % 4) },
      ],
    }));
    const r = await mod.imports.importUsers(admin, { users, createGroups: true });
    expect(r).toEqual({ imported: 120, groupsCreated: ["team-a"], memberships: 180, attributes: 120 * 3 - 40 });
    expect(await epoch()).toBe(before + 1);
    expect(await imports()).toBe(1);
    const event = await mod.db.auditEvent.findFirst({ where: { action: "user.import" } });
    expect(event?.details).toMatchObject({ count: 120, groupsCreated: ["team-a"], more: 70 });
    expect((event?.details as { usernames: string[] }).usernames).toHaveLength(50);
    const u1 = await mod.db.user.findUnique({ where: { username: "user1" } });
    expect(u1).toMatchObject({ passwordHash: null, roles: [], disabled: false });
    expect((await mod.userContext.loadUserContext(mod.db, "USER1"))?.context).toEqual({
      username: "user1",
      groups: ["analysts", "team-a"],
      attributes: { level: ["1"], region: ["EU", "US"] },
      purposes: [],
    });
  });

  it("refuses the whole batch: a taken name (409), an unknown group, a name twice, a case clash, a non-admin", async () => {
    const audits = await mod.db.auditEvent.count();
    const users = await mod.db.user.count();
    const before = await epoch();
    await expect(mod.imports.importUsers(admin, { users: [{ username: "fresh1" }, { username: "USER7" }] })).rejects.toMatchObject({ status: 409 });
    await expect(mod.imports.importUsers(admin, { users: [{ username: "fresh1", groups: ["nope"] }] })).rejects.toMatchObject({ status: 422 });
    await expect(mod.imports.importUsers(admin, { users: [{ username: "fresh1" }, { username: "Fresh1" }] })).rejects.toMatchObject({ status: 422 });
    await expect(mod.imports.importUsers(admin, { users: [{ username: "fresh1", groups: ["Analysts"] }], createGroups: true })).rejects.toMatchObject({ status: 422 });
    await expect(mod.imports.importUsers(admin, { users: [{ username: "fresh1", groups: ["x-1", "X-1"] }], createGroups: true })).rejects.toMatchObject({ status: 422 });
    await expect(mod.imports.importUsers(admin, { users: [] })).rejects.toMatchObject({ status: 422 });
    await expect(mod.imports.importUsers(admin, { users: [{ username: "fresh1", password: "secret-secret" }] as never })).rejects.toMatchObject({ status: 422 });
    const tooMany = Array.from({ length: mod.imports.IMPORT_MAX_USERS + 1 }, (_, i) => ({ username: `many${i}` }));
    await expect(mod.imports.importUsers(admin, { users: tooMany })).rejects.toMatchObject({ status: 422 });
    const nobody: Actor = { id: "x", username: "user1", roles: ["DATA_OWNER"] };
    await expect(mod.imports.importUsers(nobody, { users: [{ username: "fresh1" }] })).rejects.toMatchObject({ status: 403 });
    expect(await mod.db.user.count()).toBe(users);
    expect(await mod.db.auditEvent.count()).toBe(audits);
    expect(await epoch()).toBe(before);
  });

  it("takes a full batch in one transaction", async () => {
    const users = Array.from({ length: mod.imports.IMPORT_MAX_USERS }, (_, i) => ({
      username: `bulk${i}`,
      groups: ["analysts"],
      attributes: [{ key: "region", value: ["EU", "US", "APAC"][i % 3]! }],
    }));
    const r = await mod.imports.importUsers(admin, { users });
    expect(r.imported).toBe(mod.imports.IMPORT_MAX_USERS);
    expect(await mod.db.groupMember.count({ where: { group: { name: "analysts" } } })).toBe(120 + mod.imports.IMPORT_MAX_USERS);
  });
});
