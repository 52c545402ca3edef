import "server-only";
import { queryableName } from "@/lib/data-sources/naming";
import { describePolicy } from "@/lib/policy/describe";
import { accessState } from "@/lib/data-sources/access";
import { policiesInForce } from "@/lib/data-sources/policies-in-force";
import { hasAnyRole } from "@/lib/roles";
import { conditionSchema } from "@/lib/validations/policy";
import type { Actor } from "./actor";
import { autoMatches } from "./catalogue";
import { getDb } from "./db";
import { NotFoundError } from "./errors";
import { getIntegrationSettings } from "./integration";
import { loadUserContext } from "./user-context";

function summarize(p: { who: unknown; action: unknown }): string {
  try {
    return describePolicy(p as Parameters<typeof describePolicy>[0]);
  } catch {
    return "(cannot be summarized)";
  }
}

/**
 * One data source for its page. Everyone sees its description, columns, tags and the policies that bear on
 * it; subscribers and audit events only its managers (owners, governors, admins) and auditors.
 */
export async function getDataSourceDetail(actor: Actor, dataSourceId: string) {
  const db = await getDb();
  const ds = await db.dataSource.findUnique({
    where: { id: dataSourceId },
    include: {
      columns: { orderBy: { ordinal: "asc" }, include: { tags: { include: { tag: { select: { name: true } } } } } },
      tags: { include: { tag: { select: { name: true } } } },
      owners: { include: { user: { select: { id: true, username: true } } } },
      subscription: true,
    },
  });
  if (!ds) throw new NotFoundError("No such data source.");
  const canManage = ds.owners.some((o) => o.userId === actor.id) || hasAnyRole(actor.roles, ["GOVERNOR"]);
  const seesPeople = canManage || hasAnyRole(actor.roles, ["AUDITOR"]);
  const now = new Date();

  const mine = await db.subscription.findUnique({
    where: { dataSourceId_userId: { dataSourceId, userId: actor.id } },
    select: { id: true, state: true, expiresAt: true, reason: true, decisionReason: true },
  });
  const user = ds.subscription?.type === "AUTO" ? await loadUserContext(db, actor.username) : null;
  const access = accessState({ subscription: mine, autoMatch: autoMatches(ds.subscription, user, now), now });

  const columns = ds.columns.map((c) => ({ id: c.id, name: c.name, type: c.type, description: c.description, tags: c.tags.map((t) => t.tag.name).sort() }));
  const tags = ds.tags.map((t) => t.tag.name).sort();
  const policyRows = await db.dataPolicy.findMany({
    where: { OR: [{ dataSourceId }, { scope: "GLOBAL" }] },
    include: { tag: { select: { name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const inForce = policiesInForce(
    { tags, columns },
    policyRows.map((p) => ({ id: p.id, name: p.name, scope: p.scope, kind: p.kind, tag: p.tag?.name ?? null, action: p.action, enabled: p.enabled, createdAt: p.createdAt })),
  );
  const byId = new Map(policyRows.map((p) => [p.id, p]));
  const policies = inForce.policies.map((p) => ({
    id: p.id,
    name: p.name,
    scope: p.scope,
    kind: p.kind,
    tag: p.tag ?? null,
    enabled: p.enabled,
    columns: p.columns,
    summary: summarize(byId.get(p.id)!),
  }));
  const masksByColumn = Object.fromEntries(Object.entries(inForce.masksByColumn).map(([c, ps]) => [c, ps.map((p) => ({ id: p.id, name: p.name }))]));

  const subscriptions = seesPeople
    ? await db.subscription.findMany({
        where: { dataSourceId },
        include: { user: { select: { username: true } }, decidedBy: { select: { username: true } } },
        orderBy: [{ requestedAt: "desc" }],
      })
    : [];
  const subscribers = subscriptions.map((s) => ({
    id: s.id,
    username: s.user.username,
    state: s.state,
    access: accessState({ subscription: s, now }),
    reason: s.reason,
    decisionReason: s.decisionReason,
    decidedBy: s.decidedBy?.username ?? null,
    requestedAt: s.requestedAt,
    expiresAt: s.expiresAt,
  }));

  const audit = seesPeople
    ? await db.auditEvent.findMany({
        where: {
          OR: [
            { targetType: "dataSource", targetId: dataSourceId },
            { targetType: "subscription", targetId: { in: subscriptions.map((s) => s.id) } },
            { targetType: "policy", targetId: { in: policyRows.filter((p) => p.dataSourceId === dataSourceId).map((p) => p.id) } },
            { details: { path: ["dataSourceId"], equals: dataSourceId } },
          ],
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 50,
        select: { id: true, createdAt: true, actorName: true, action: true, details: true },
      })
    : [];

  const { governedCatalog } = await getIntegrationSettings();
  return {
    id: ds.id,
    // as a user writes it in Trino: reserved words such as "auto" quoted
    trinoName: queryableName(governedCatalog, ds.governedSchema, ds.name),
    view: `${ds.governedSchema}.${ds.name}`,
    governedSchema: ds.governedSchema,
    name: ds.name,
    backing: `${ds.backingCatalog}.${ds.backingSchema}.${ds.backingTable}`,
    description: ds.description,
    status: ds.status,
    /** for edits that must not overwrite a change made since the page was loaded */
    version: ds.version,
    createdAt: ds.createdAt,
    updatedAt: ds.updatedAt,
    owners: ds.owners.map((o) => o.user.username).sort(),
    tags,
    columns,
    subscriptionType: ds.subscription?.type ?? "APPROVAL",
    maxDays: ds.subscription?.maxDays ?? null,
    /** AUTO: the condition as stored (null when absent or unreadable) */
    subscriptionCondition: ds.subscription?.type === "AUTO" ? (conditionSchema.safeParse(ds.subscription.condition).data ?? null) : null,
    my: { owner: ds.owners.some((o) => o.userId === actor.id), access, subscriptionId: mine?.id ?? null, expiresAt: mine?.state === "ACTIVE" ? mine.expiresAt : null, decisionReason: mine?.decisionReason ?? null },
    canManage,
    /** for the tag editor's suggestions (managers only) */
    knownTags: canManage ? (await db.tag.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 1000 })).map((t) => t.name) : [],
    seesPeople,
    policies,
    masksByColumn,
    rowFilters: inForce.rowFilters.map((p) => ({ id: p.id, name: p.name })),
    subscribers,
    audit: audit.map((e) => ({ ...e, details: e.details as Record<string, unknown> | null })),
  };
}

export type DataSourceDetail = Awaited<ReturnType<typeof getDataSourceDetail>>;
