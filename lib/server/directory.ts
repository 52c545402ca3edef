import "server-only";
import { requireRole, type Actor } from "./actor";
import type { Prisma } from "@/generated/prisma/client";
import { auditDateRange, type AuditFilter } from "@/lib/validations/audit";
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

/** Newest first, filtered by actor name, action (exact or `family.*`), target type and a UTC date range. */
export async function listAuditEvents(actor: Actor, opts: Partial<AuditFilter> & { pageSize?: number } = {}) {
  requireRole(actor, ["AUDITOR"]);
  const db = await getDb();
  const pageSize = Math.min(Math.max(opts.pageSize ?? 50, 1), 200);
  const page = Math.max(opts.page ?? 1, 1);
  const range = auditDateRange(opts);
  const where: Prisma.AuditEventWhereInput = {
    ...(opts.actor ? { actorName: { equals: opts.actor.trim().toLowerCase(), mode: "insensitive" } } : {}),
    ...(opts.action
      ? opts.action.endsWith(".*")
        ? { action: { startsWith: opts.action.slice(0, -1) } }
        : { action: opts.action }
      : {}),
    ...(opts.targetType ? { targetType: opts.targetType } : {}),
    ...(range.gte || range.lt ? { createdAt: range } : {}),
  };
  const [total, events] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { total, page, pageSize, events };
}

/** The values the filter form offers: every actor, action and target type seen so far. */
export async function auditFacets(actor: Actor) {
  requireRole(actor, ["AUDITOR"]);
  const db = await getDb();
  const [actors, actions, targetTypes] = await Promise.all([
    db.auditEvent.findMany({ distinct: ["actorName"], select: { actorName: true }, orderBy: { actorName: "asc" } }),
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db.auditEvent.findMany({ distinct: ["targetType"], select: { targetType: true }, orderBy: { targetType: "asc" } }),
  ]);
  return {
    actors: actors.map((a) => a.actorName),
    actions: actions.map((a) => a.action),
    targetTypes: targetTypes.map((t) => t.targetType),
  };
}
