import "server-only";
import { describePolicy } from "@/lib/policy/describe";
import { queryPolicies, type PolicyListParams, type PolicyListRow } from "@/lib/policies/list";
import { hasAnyRole } from "@/lib/roles";
import { policyCreateSchema, type PolicyCreateInput } from "@/lib/validations/policy";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ForbiddenError, NotFoundError } from "./errors";

// Reading policies for the console: the list (search, filters, sort, pages) and one policy for the builder.
// Governors read every policy; data owners the global ones (read-only) and the local ones of their sources.

function summarize(p: { who: unknown; action: unknown }): string {
  try {
    return describePolicy(p as Parameters<typeof describePolicy>[0]);
  } catch {
    return "(cannot be summarized)";
  }
}

function targetTagOf(action: unknown): string | null {
  const tag = (action as { target?: { tag?: unknown } } | null)?.target?.tag;
  return typeof tag === "string" ? tag : null;
}

export async function searchPolicies(actor: Actor, params: PolicyListParams) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER", "AUDITOR"]);
  // auditors read every policy (and write none: canEdit stays false for them)
  const governor = hasAnyRole(actor.roles, ["GOVERNOR"]);
  const readsAll = governor || hasAnyRole(actor.roles, ["AUDITOR"]);
  const db = await getDb();
  const [rows, sources] = await Promise.all([
    db.dataPolicy.findMany({
      where: readsAll ? {} : { OR: [{ scope: "GLOBAL" }, { dataSource: { owners: { some: { userId: actor.id } } } }] },
      include: { tag: { select: { name: true } }, dataSource: { select: { governedSchema: true, name: true, owners: { where: { userId: actor.id }, select: { userId: true } } } } },
    }),
    db.dataSource.findMany({
      where: readsAll ? {} : { owners: { some: { userId: actor.id } } },
      select: {
        id: true,
        governedSchema: true,
        name: true,
        tags: { select: { tag: { select: { name: true } } } },
        columns: { select: { tags: { select: { tag: { select: { name: true } } } } } },
      },
      orderBy: [{ governedSchema: "asc" }, { name: "asc" }],
    }),
  ]);
  const list: (PolicyListRow & { canEdit: boolean; enabled: boolean; version: number })[] = rows.map((p) => ({
    id: p.id,
    enabled: p.enabled,
    version: p.version,
    name: p.name,
    description: p.description,
    scope: p.scope,
    kind: p.kind,
    dataSourceId: p.dataSourceId,
    tag: p.tag?.name ?? null,
    targetTag: targetTagOf(p.action),
    target: p.scope === "GLOBAL" ? `tag ${p.tag?.name ?? "?"}` : `${p.dataSource?.governedSchema}.${p.dataSource?.name}`,
    summary: summarize(p),
    createdAt: p.createdAt,
    // governors edit every policy, owners the local ones of their data sources; reading is not editing
    canEdit: governor || (p.scope === "LOCAL" && hasAnyRole(actor.roles, ["DATA_OWNER"]) && (p.dataSource?.owners.length ?? 0) > 0),
  }));
  const dsTags = new Map(sources.map((s) => [s.id, [...s.tags.map((t) => t.tag.name), ...s.columns.flatMap((c) => c.tags.map((t) => t.tag.name))]]));
  const allTags = [...new Set(rows.flatMap((p) => [p.tag?.name, targetTagOf(p.action)]).filter((t): t is string => !!t))].sort();
  return {
    ...queryPolicies(list, params, dsTags),
    all: list.length,
    dataSources: sources.map((s) => ({ id: s.id, view: `${s.governedSchema}.${s.name}` })),
    tags: allTags,
  };
}

export interface PolicyForEdit {
  id: string;
  policy: PolicyCreateInput | null;
  /** set when the stored JSON no longer validates (the builder cannot load it) */
  invalid?: string;
  name: string;
  scope: "LOCAL" | "GLOBAL";
  view: string | null;
  canEdit: boolean;
  /** what an edit must send back: the server refuses it (409) if the policy changed since */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string | null;
}

/** One policy for the builder; a data owner may open global ones (read-only) and local ones of their sources. */
export async function getPolicy(actor: Actor, id: string): Promise<PolicyForEdit> {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER", "AUDITOR"]);
  const governor = hasAnyRole(actor.roles, ["GOVERNOR"]);
  const auditor = hasAnyRole(actor.roles, ["AUDITOR"]);
  const db = await getDb();
  const p = await db.dataPolicy.findUnique({
    where: { id },
    include: {
      tag: { select: { name: true } },
      dataSource: { select: { governedSchema: true, name: true, owners: { select: { userId: true } } } },
    },
  });
  if (!p) throw new NotFoundError("No such policy.");
  const owner = p.dataSource?.owners.some((o) => o.userId === actor.id) ?? false;
  if (p.scope === "LOCAL" && !governor && !owner && !auditor) throw new ForbiddenError("Only an owner of this data source or a governor may see this policy.");
  const stored = {
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    scope: p.scope,
    ...(p.dataSourceId ? { dataSourceId: p.dataSourceId } : {}),
    ...(p.tag ? { tag: p.tag.name } : {}),
    who: p.who,
    action: p.action,
  };
  const parsed = policyCreateSchema.safeParse(stored);
  const creator = p.createdById ? await db.user.findUnique({ where: { id: p.createdById }, select: { username: true } }) : null;
  return {
    id: p.id,
    policy: parsed.success ? parsed.data : null,
    ...(parsed.success ? {} : { invalid: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }),
    name: p.name,
    scope: p.scope,
    view: p.dataSource ? `${p.dataSource.governedSchema}.${p.dataSource.name}` : null,
    canEdit: governor || (p.scope === "LOCAL" && owner),
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    createdBy: creator?.username ?? null,
  };
}
