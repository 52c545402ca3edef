// lib/server people and projects on a real, throwaway PostgreSQL: authorization, 409/422, audit + epoch in the
// same transaction, what the view API then derives (lib/server/user-context.ts), and webhooks after commit.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTempPgDatabase } from "./db/test-helpers";
import type { Actor } from "./actor";

// Sessions are not under test here (each function takes its actor); next-auth does not load outside Next.
vi.mock("./auth", () => ({ auth: async () => null }));

let drop: () => Promise<void>;
let mod: {
  db: Awaited<ReturnType<typeof import("./db").getDb>>;
  people: typeof import("./people");
  projects: typeof import("./projects");
  webhooks: typeof import("./webhooks");
  userContext: typeof import("./user-context");
  closeDb: typeof import("./db").closeDb;
};
let admin: Actor;
let ann: Actor;

beforeAll(async () => {
  const temp = await createTempPgDatabase("steward_people");
  drop = temp.drop;
  process.env.DATABASE_URL = temp.url;
  process.env.STEWARD_DB_QUIET = "1";
  const dbModule = await import("./db");
  mod = {
    db: await dbModule.getDb(),
    people: await import("./people"),
    projects: await import("./projects"),
    webhooks: await import("./webhooks"),
    userContext: await import("./user-context"),
    closeDb: dbModule.closeDb,
  };
  const row = await mod.db.user.create({ data: { username: "root", roles: ["ADMIN"] } });
  admin = { id: row.id, username: "root", roles: ["ADMIN"] };
});

afterAll(async () => {
  await mod?.closeDb();
  await drop?.();
});

const epoch = async () => (await mod.db.epoch.findUnique({ where: { id: 1 } }))?.value ?? 0;
const context = async (username: string, project?: string) => (await mod.userContext.loadUserContext(mod.db, username, project))?.context;

describe("people", () => {
  it("creates a user lower-case with multi-valued attributes and a group, audited, epoch bumped", async () => {
    await mod.people.createGroup(admin, { name: "analysts" });
    const before = await epoch();
    const user = await mod.people.createUser(admin, {
      username: "Ann",
      password: "ann-password",
      groups: ["analysts"],
      attributes: [
        { key: "region", value: "EU" },
        { key: "region", value: "US" },
      ],
    });
    ann = { id: user.id, username: "ann", roles: [] };
    expect(user.username).toBe("ann");
    expect(await epoch()).toBe(before + 1);
    expect(await context("ANN")).toEqual({ username: "ann", groups: ["analysts"], attributes: { region: ["EU", "US"] }, purposes: [] });
    const event = await mod.db.auditEvent.findFirst({ where: { action: "user.create", targetId: user.id } });
    expect(event?.details).toMatchObject({ username: "ann", groups: ["analysts"], attributes: ["region=EU", "region=US"] });
  });

  it("answers 409 for a taken name (any case), 422 for an unknown group, 403 for a non-admin; nothing written", async () => {
    const audits = await mod.db.auditEvent.count();
    await expect(mod.people.createUser(admin, { username: "ANN", password: "long-enough" })).rejects.toMatchObject({ status: 409 });
    await expect(mod.people.createUser(admin, { username: "zed", password: "long-enough", groups: ["nope"] })).rejects.toMatchObject({ status: 422 });
    await expect(mod.people.createUser(ann, { username: "zed", password: "long-enough" })).rejects.toMatchObject({ status: 403 });
    await expect(mod.people.createGroup(admin, { name: "ANALYSTS" })).rejects.toMatchObject({ status: 409 });
    expect(await mod.db.user.findUnique({ where: { username: "zed" } })).toBeNull();
    expect(await mod.db.auditEvent.count()).toBe(audits);
  });

  it("replaces attributes and groups; an admin cannot lock themselves out", async () => {
    await mod.people.updateUser(admin, ann.id, { attributes: [{ key: "region", value: "EU" }], groups: [] });
    expect(await context("ann")).toMatchObject({ groups: [], attributes: { region: ["EU"] } });
    await expect(mod.people.updateUser(admin, admin.id, { disabled: true })).rejects.toMatchObject({ status: 422 });
    await expect(mod.people.updateUser(admin, admin.id, { roles: ["AUDITOR"] })).rejects.toMatchObject({ status: 422 });
  });
});

describe("projects", () => {
  it("active purposes: the current project's purposes the user acknowledged, and nothing for a non-member", async () => {
    const p = await mod.projects.createProject(admin, {
      name: "churn",
      purposes: [
        { name: "retention", statement: "Only to reduce churn." },
        { name: "pricing", statement: "Only to set prices." },
      ],
      members: ["ann"],
    });
    const other = await mod.projects.createProject(admin, { name: "other", members: [] });
    const list = await mod.projects.listProjectsForUser(ann);
    const retention = list.projects.find((x) => x.id === p.id)!.purposes.find((x) => x.name === "retention")!;

    await expect(mod.projects.switchCurrentProject(ann, { projectId: other.id })).rejects.toMatchObject({ status: 403 });
    const before = await epoch();
    await mod.projects.switchCurrentProject(ann, { projectId: p.id });
    expect(await context("ann")).toMatchObject({ purposes: [] });
    await mod.projects.acknowledgePurpose(ann, { purposeId: retention.id });
    expect(await epoch()).toBe(before + 2);
    expect(await context("ann")).toMatchObject({ purposes: ["retention"] });
    expect(await context("ann", "other")).toMatchObject({ purposes: [] });

    // A non-member cannot acknowledge; a removed member loses the project and its purposes.
    await expect(mod.projects.acknowledgePurpose(admin, { purposeId: retention.id })).rejects.toMatchObject({ status: 403 });
    await mod.projects.removeProjectMember(admin, { projectId: p.id, username: "ann" });
    expect((await mod.db.user.findUnique({ where: { id: ann.id } }))?.currentProjectId).toBeNull();
    expect(await context("ann")).toMatchObject({ purposes: [] });
  });

  it("reuses a purpose only with the same statement", async () => {
    await expect(mod.projects.createProject(admin, { name: "clash", purposes: [{ name: "retention", statement: "Something else entirely." }] })).rejects.toMatchObject({ status: 409 });
    await mod.projects.createProject(admin, { name: "reuse", purposes: [{ name: "retention", statement: "Only to reduce churn." }] });
    expect(await mod.db.purpose.count({ where: { name: "retention" } })).toBe(1);
  });

  it("only admins manage projects", async () => {
    await expect(mod.projects.createProject(ann, { name: "mine" })).rejects.toMatchObject({ status: 403 });
  });
});

describe("webhooks after commit", () => {
  it("delivers matching events from governanceWrite to a real HTTP server, and none from a failed write", async () => {
    const bodies: { action: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        bodies.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await mod.webhooks.createWebhook(admin, { url, events: ["group.*"] });
      await mod.people.createGroup(admin, { name: "hooked" });
      await expect(mod.people.createGroup(admin, { name: "hooked" })).rejects.toMatchObject({ status: 409 });
      await mod.people.setUserPassword(admin, ann.id, { password: "another-password" });
      await expect.poll(() => bodies.length).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(bodies.map((b) => b.action)).toEqual(["group.create"]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
