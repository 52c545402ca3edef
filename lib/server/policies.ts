import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { describePolicy } from "@/lib/policy/describe";
import { hasAnyRole } from "@/lib/roles";
import { policyCreateSchema, policyUpdateSchema, type PolicyCreateInput } from "@/lib/validations/policy";
import { requireRole, type Actor } from "./actor";
import { assertCanManageDataSource } from "./data-sources";
import { getDb } from "./db";
import { ForbiddenError, NotFoundError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
import { parseInput } from "./handlers";
import { loadAffectedDataSources, validatePolicyInTrino } from "./policy-validation";
import { ensureTags } from "./tags";

/** GLOBAL policies are for governors; LOCAL ones also for the owners of their data source. */
async function assertCanWrite(tx: Tx, actor: Actor, p: { scope: "LOCAL" | "GLOBAL"; dataSourceId?: string | null }) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  if (p.scope === "GLOBAL") {
    if (!hasAnyRole(actor.roles, ["GOVERNOR"])) throw new ForbiddenError("Global policies need the role GOVERNOR.");
    return;
  }
  if (!p.dataSourceId) throw new NotFoundError("No such data source.");
  await assertCanManageDataSource(tx, actor, p.dataSourceId);
}

function rowData(input: PolicyCreateInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    scope: input.scope,
    kind: input.action.type === "MASK" ? ("MASK" as const) : ("ROW_FILTER" as const),
    dataSourceId: input.scope === "LOCAL" ? input.dataSourceId! : null,
    who: input.who as Prisma.InputJsonValue,
    action: input.action as Prisma.InputJsonValue,
  };
}

export async function createPolicy(actor: Actor, raw: unknown) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const input = parseInput(policyCreateSchema, raw);
  const db = await getDb();
  await assertCanWrite(db, actor, input);
  // governor-written SQL is checked against real Trino before anything is written (422 / 502 otherwise)
  const checked = await validatePolicyInTrino(input, await loadAffectedDataSources(db, input));
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const tagId = input.scope === "GLOBAL" ? (await ensureTags(tx, [input.tag!])).get(input.tag!)! : null;
      return tx.dataPolicy.create({ data: { ...rowData(input), customType: checked.customType ?? null, tagId, createdById: actor.id } });
    },
    (p) => ({ action: "policy.create", targetType: "policy", targetId: p.id, details: { name: p.name, scope: p.scope } }),
  );
}

async function loadForWrite(actor: Actor, id: string) {
  const db = await getDb();
  const existing = await db.dataPolicy.findUnique({ where: { id }, include: { tag: true } });
  if (!existing) throw new NotFoundError("No such policy.");
  await assertCanWrite(db, actor, existing);
  return existing;
}

export async function updatePolicy(actor: Actor, id: string, raw: unknown) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const patch = parseInput(policyUpdateSchema, raw);
  const existing = await loadForWrite(actor, id);
  const merged = parseInput(policyCreateSchema, {
    name: existing.name,
    ...(existing.description ? { description: existing.description } : {}),
    scope: existing.scope,
    ...(existing.dataSourceId ? { dataSourceId: existing.dataSourceId } : {}),
    ...(existing.tag ? { tag: existing.tag.name } : {}),
    who: existing.who,
    action: existing.action,
    ...patch,
  });
  const db = await getDb();
  await assertCanWrite(db, actor, merged);
  const checked = await validatePolicyInTrino(merged, await loadAffectedDataSources(db, merged));
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const tagId = merged.scope === "GLOBAL" ? (await ensureTags(tx, [merged.tag!])).get(merged.tag!)! : null;
      return tx.dataPolicy.update({ where: { id }, data: { ...rowData(merged), customType: checked.customType ?? null, tagId } });
    },
    () => ({ action: "policy.update", targetType: "policy", targetId: id, details: { changed: Object.keys(patch) } }),
  );
}

export async function deletePolicy(actor: Actor, id: string) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const existing = await loadForWrite(actor, id);
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.dataPolicy.delete({ where: { id } }),
    () => ({ action: "policy.delete", targetType: "policy", targetId: id, details: { name: existing.name } }),
  );
  return { id };
}

/** A disabled policy stays saved but applies to nobody; re-enabling it restores it at the next query. */
export async function setPolicyEnabled(actor: Actor, id: string, enabled: boolean) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  await loadForWrite(actor, id);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.dataPolicy.update({ where: { id }, data: { enabled } }),
    (p) => ({ action: enabled ? "policy.enable" : "policy.disable", targetType: "policy", targetId: id, details: { name: p.name } }),
  );
}

/** Governors see every policy; owners see global ones and the local ones of their data sources. */
export async function listPolicies(actor: Actor) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const db = await getDb();
  const where = hasAnyRole(actor.roles, ["GOVERNOR"])
    ? {}
    : { OR: [{ scope: "GLOBAL" as const }, { dataSource: { owners: { some: { userId: actor.id } } } }] };
  const rows = await db.dataPolicy.findMany({
    where,
    include: { tag: true, dataSource: { select: { governedSchema: true, name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    scope: p.scope,
    kind: p.kind,
    enabled: p.enabled,
    target: p.scope === "GLOBAL" ? `tag ${p.tag?.name}` : `${p.dataSource?.governedSchema}.${p.dataSource?.name}`,
    summary: describePolicy({ who: p.who, action: p.action } as never),
  }));
}
