import "server-only";
import { requireRole, type Actor } from "./actor";
import type { Prisma } from "@/generated/prisma/client";
import { describeAuditEvent, referencedIds, type AuditRefs, type DescribedEvent } from "@/lib/audit/describe";
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
  const refs = await resolveAuditRefs(events.map((e) => ({ ...e, details: e.details as Record<string, unknown> | null })));
  const described = events.map((e): typeof e & DescribedEvent => ({
    ...e,
    ...describeAuditEvent({ ...e, details: e.details as Record<string, unknown> | null }, refs),
  }));
  return { total, page, pageSize, events: described };
}

/** What the page's events name, as they are called now: one query per kind, whatever the page size. */
async function resolveAuditRefs(events: Parameters<typeof referencedIds>[0][]): Promise<AuditRefs> {
  const db = await getDb();
  const ids = events.map(referencedIds);
  const unique = (k: keyof ReturnType<typeof referencedIds>) => [...new Set(ids.flatMap((i) => i[k]))];
  const [sources, policies, subscriptions] = await Promise.all([
    db.dataSource.findMany({ where: { id: { in: unique("dataSources") } }, select: { id: true, governedSchema: true, name: true } }),
    db.dataPolicy.findMany({ where: { id: { in: unique("policies") } }, select: { id: true, name: true } }),
    db.subscription.findMany({
      where: { id: { in: unique("subscriptions") } },
      select: { id: true, dataSourceId: true, user: { select: { username: true } }, dataSource: { select: { governedSchema: true, name: true } } },
    }),
  ]);
  return {
    // a subscription's data source exists as long as the subscription does (cascade)
    dataSources: new Map([
      ...sources.map((d) => [d.id, `${d.governedSchema}.${d.name}`] as const),
      ...subscriptions.map((x) => [x.dataSourceId, `${x.dataSource.governedSchema}.${x.dataSource.name}`] as const),
    ]),
    policies: new Map(policies.map((p) => [p.id, p.name])),
    subscriptions: new Map(
      subscriptions.map((x) => [x.id, { username: x.user.username, dataSourceId: x.dataSourceId, view: `${x.dataSource.governedSchema}.${x.dataSource.name}` }]),
    ),
  };
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
