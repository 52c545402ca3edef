import "server-only";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";

export async function listUsers(actor: Actor) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  const users = await db.user.findMany({
    include: { groups: { include: { group: true } }, attributes: true },
    orderBy: { username: "asc" },
  });
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    roles: u.roles,
    disabled: u.disabled,
    groups: u.groups.map((g) => g.group.name).sort(),
    attributes: u.attributes.map((a) => `${a.key}=${a.value}`).sort(),
  }));
}

export async function listProjects(actor: Actor) {
  const db = await getDb();
  const projects = await db.project.findMany({
    include: { purposes: { include: { purpose: true } }, members: { include: { user: { select: { username: true } } } } },
    orderBy: { name: "asc" },
  });
  return projects.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    purposes: p.purposes.map((pp) => pp.purpose.name).sort(),
    members: p.members.map((m) => m.user.username).sort(),
    isMember: p.members.some((m) => m.userId === actor.id),
  }));
}

export async function listAuditEvents(actor: Actor, opts: { page?: number; pageSize?: number } = {}) {
  requireRole(actor, ["AUDITOR"]);
  const db = await getDb();
  const pageSize = Math.min(Math.max(opts.pageSize ?? 50, 1), 200);
  const page = Math.max(opts.page ?? 1, 1);
  const [total, events] = await Promise.all([
    db.auditEvent.count(),
    db.auditEvent.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { total, page, pageSize, events };
}
