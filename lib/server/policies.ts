import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { describePolicy } from "@/lib/policy/describe";
import { hasAnyRole } from "@/lib/roles";
import { policyCreateSchema, policyPatchSchema, versionSchema, type PolicyCreateInput } from "@/lib/validations/policy";
import { requireRole, type Actor } from "./actor";
import { assertCanManageDataSource } from "./data-sources";
import { getDb } from "./db";
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError } from "./errors";
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

function summaryOf(p: { who: unknown; action: unknown }): string {
  try {
    return describePolicy(p as Parameters<typeof describePolicy>[0]);
  } catch {
    return "(cannot be summarized)";
  }
}

/** What the audit keeps of a policy: its name, where it applies, and what it does in words. */
function auditView(p: PolicyCreateInput) {
  return {
    name: p.name,
    ...(p.scope === "LOCAL" ? { dataSourceId: p.dataSourceId } : { tag: p.tag }),
    summary: summaryOf(p),
  };
}

/** The fields an update changed, before and after (the definition in words when who/action changed). */
function auditDiff(before: PolicyCreateInput | undefined, after: PolicyCreateInput) {
  const out: { before: Record<string, unknown>; after: Record<string, unknown> } = { before: {}, after: {} };
  const fields = ["name", "description", "dataSourceId", "tag", "who", "action"] as const;
  for (const f of fields) {
    const b = before?.[f];
    const a = after[f];
    if (JSON.stringify(b ?? null) === JSON.stringify(a ?? null)) continue;
    out.before[f] = b ?? null;
    out.after[f] = a ?? null;
  }
  if ("who" in out.after || "action" in out.after) {
    out.before.summary = before ? summaryOf(before) : null;
    out.after.summary = summaryOf(after);
  }
  return { changed: Object.keys(out.after).filter((k) => k !== "summary"), ...out };
}

/** Policy names tell policies apart in lists, audits and conflicts: one name (ignoring case) per policy. */
async function assertNameFree(tx: Tx, name: string, exceptId?: string) {
  const taken = await tx.dataPolicy.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { name: true },
  });
  if (taken) throw duplicateName(taken.name);
}

const duplicateName = (name: string) =>
  new ConflictError(`A policy named “${name}” already exists: choose another name.`, { name: ["This name is taken."] });

/** The unique index catches what the check cannot: two writers saving one name at the same moment. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

export async function createPolicy(actor: Actor, raw: unknown) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const input = parseInput(policyCreateSchema, raw);
  const db = await getDb();
  await assertCanWrite(db, actor, input);
  await assertNameFree(db, input.name);
  // governor-written SQL is checked against real Trino before anything is written (422 / 502 otherwise)
  const checked = await validatePolicyInTrino(input, await loadAffectedDataSources(db, input));
  return uniqueName(input.name, () =>
    governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        await assertNameFree(tx, input.name);
        const tagId = input.scope === "GLOBAL" ? (await ensureTags(tx, [input.tag!])).get(input.tag!)! : null;
        return tx.dataPolicy.create({ data: { ...rowData(input), customType: checked.customType ?? null, tagId, createdById: actor.id } });
      },
      (p) => ({ action: "policy.create", targetType: "policy", targetId: p.id, details: { ...auditView(input), scope: p.scope } }),
    ),
  );
}

async function loadForWrite(actor: Actor, id: string) {
  const db = await getDb();
  const existing = await db.dataPolicy.findUnique({ where: { id }, include: { tag: true } });
  if (!existing) throw new NotFoundError("No such policy.");
  await assertCanWrite(db, actor, existing);
  return existing;
}

async function policyChanged(tx: Tx, id: string): Promise<ConflictError | NotFoundError> {
  const now = await tx.dataPolicy.findUnique({ where: { id }, select: { version: true } });
  if (!now) return new NotFoundError("No such policy: it was deleted.");
  return new ConflictError(`This policy was changed by someone else since you opened it (now version ${now.version}). Reload to see their change.`);
}

/**
 * Writes a policy only if it is still at the version the actor based the change on, and moves it to the next
 * one, inside the governance transaction: of two writers from one version, the second finds 0 rows (409).
 */
async function writeAtVersion(tx: Tx, id: string, version: number, data: Prisma.DataPolicyUncheckedUpdateManyInput) {
  const { count } = await tx.dataPolicy.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) throw await policyChanged(tx, id);
  return tx.dataPolicy.findUniqueOrThrow({ where: { id } });
}

/** `raw`: the changed fields and `version`, the version of the policy they were based on (409 when it moved on). */
export async function updatePolicy(actor: Actor, id: string, raw: unknown) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const { version, ...patch } = parseInput(policyPatchSchema, raw);
  const existing = await loadForWrite(actor, id);
  // refused before Trino is asked anything; checked again in the transaction
  if (existing.version !== version) throw await policyChanged(await getDb(), id);
  const stored = {
    name: existing.name,
    ...(existing.description ? { description: existing.description } : {}),
    scope: existing.scope,
    ...(existing.dataSourceId ? { dataSourceId: existing.dataSourceId } : {}),
    ...(existing.tag ? { tag: existing.tag.name } : {}),
    who: existing.who,
    action: existing.action,
  };
  const existingInput = policyCreateSchema.safeParse(stored).data;
  const merged = parseInput(policyCreateSchema, { ...stored, ...patch });
  const db = await getDb();
  await assertCanWrite(db, actor, merged);
  await assertNameFree(db, merged.name, id);
  const checked = await validatePolicyInTrino(merged, await loadAffectedDataSources(db, merged));
  return uniqueName(merged.name, () =>
    governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        await assertNameFree(tx, merged.name, id);
        const tagId = merged.scope === "GLOBAL" ? (await ensureTags(tx, [merged.tag!])).get(merged.tag!)! : null;
        return writeAtVersion(tx, id, version, { ...rowData(merged), customType: checked.customType ?? null, tagId });
      },
      // before and after of what changed, in words as well, so an auditor reads the change without the old row
      () => ({ action: "policy.update", targetType: "policy", targetId: id, details: { name: merged.name, version: version + 1, ...auditDiff(existingInput, merged) } as Prisma.InputJsonValue }),
    ),
  );
}

export async function deletePolicy(actor: Actor, id: string) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  const existing = await loadForWrite(actor, id);
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    // deleteMany: a concurrent delete leaves 0 rows, a 404 rather than Prisma's "record not found" 500
    async (tx) => {
      const { count } = await tx.dataPolicy.deleteMany({ where: { id } });
      if (count === 0) throw new NotFoundError("No such policy (someone deleted it just now).");
    },
    () => ({ action: "policy.delete", targetType: "policy", targetId: id, details: { name: existing.name, summary: summaryOf(existing) } }),
  );
  return { id };
}

/**
 * A disabled policy stays saved but applies to nobody; re-enabling it restores it at the next query.
 * `version`: the version of the policy the actor saw (409 when it changed since).
 */
export async function setPolicyEnabled(actor: Actor, id: string, enabled: boolean, version: number) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  parseInput(versionSchema, version);
  const existing = await loadForWrite(actor, id);
  if (existing.version !== version) throw await policyChanged(await getDb(), id);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => writeAtVersion(tx, id, version, { enabled }),
    (p) => ({ action: enabled ? "policy.enable" : "policy.disable", targetType: "policy", targetId: id, details: { name: p.name } }),
  );
}

/** Governors see every policy; owners see global ones and the local ones of their data sources. */
export async function listPolicies(actor: Actor) {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER", "AUDITOR"]);
  const db = await getDb();
  const where = hasAnyRole(actor.roles, ["GOVERNOR", "AUDITOR"])
    ? {}
    : { OR: [{ scope: "GLOBAL" as const }, { dataSource: { owners: { some: { userId: actor.id } } } }] };
  const rows = await db.dataPolicy.findMany({
    where,
    include: { tag: true, dataSource: { select: { governedSchema: true, name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((p) => ({
    id: p.id,
    version: p.version,
    name: p.name,
    scope: p.scope,
    kind: p.kind,
    enabled: p.enabled,
    target: p.scope === "GLOBAL" ? `tag ${p.tag?.name}` : `${p.dataSource?.governedSchema}.${p.dataSource?.name}`,
    summary: describePolicy({ who: p.who, action: p.action } as never),
  }));
}
