import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { registerDataSourceSchema, type RegisterDataSourceInput } from "@/lib/validations/data-source";
import { conditionSchema, subscriptionPolicySchema } from "@/lib/validations/policy";
import { hasAnyRole } from "@/lib/roles";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
import { parseInput } from "./handlers";
import { ensureTags } from "./tags";

export async function registerDataSource(actor: Actor, raw: RegisterDataSourceInput) {
  requireRole(actor, ["DATA_OWNER"]);
  const input = parseInput(registerDataSourceSchema, raw);
  const condition = input.subscription.type === "AUTO" ? parseInput(conditionSchema, input.subscription.condition) : undefined;
  const db = await getDb();
  const clash = await db.dataSource.findUnique({
    where: { governedSchema_name: { governedSchema: input.governedSchema, name: input.name } },
  });
  if (clash) throw new ConflictError(`${input.governedSchema}.${input.name} is already registered.`);
  const ownerNames = [...new Set([actor.username, ...input.owners])];
  const owners = await db.user.findMany({ where: { username: { in: ownerNames } }, select: { id: true, username: true } });
  const missing = ownerNames.filter((n) => !owners.some((o) => o.username === n));
  if (missing.length) throw new NotFoundError(`Unknown owner(s): ${missing.join(", ")}.`);

  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const tagIds = await ensureTags(tx, [...input.tags, ...input.columns.flatMap((c) => c.tags)]);
      const ds = await tx.dataSource.create({
        data: {
          backingCatalog: input.backing.catalog,
          backingSchema: input.backing.schema,
          backingTable: input.backing.table,
          governedSchema: input.governedSchema,
          name: input.name,
          description: input.description,
          owners: { create: owners.map((o) => ({ userId: o.id })) },
          tags: { create: input.tags.map((t) => ({ tagId: tagIds.get(t)! })) },
          subscription: {
            create: {
              type: input.subscription.type,
              condition: (condition ?? undefined) as Prisma.InputJsonValue | undefined,
              maxDays: input.subscription.maxDays,
            },
          },
        },
      });
      for (const [ordinal, c] of input.columns.entries()) {
        await tx.dataSourceColumn.create({
          data: {
            dataSourceId: ds.id,
            name: c.name,
            type: c.type,
            ordinal,
            description: c.description,
            tags: { create: c.tags.map((t) => ({ tagId: tagIds.get(t)! })) },
          },
        });
      }
      return ds;
    },
    (ds) => ({
        action: "datasource.register",
        targetType: "dataSource",
        targetId: ds.id,
        details: { backing: input.backing, view: `${input.governedSchema}.${input.name}` },
      }),
  );
}

/** Owners of the data source, governors and admins may manage it. */
export async function assertCanManageDataSource(tx: Tx, actor: Actor, dataSourceId: string) {
  const ds = await tx.dataSource.findUnique({ where: { id: dataSourceId }, include: { owners: true } });
  if (!ds) throw new NotFoundError("No such data source.");
  const isOwner = ds.owners.some((o) => o.userId === actor.id);
  if (!isOwner && !hasAnyRole(actor.roles, ["GOVERNOR"])) {
    throw new ForbiddenError("Only an owner of this data source or a governor may do this.");
  }
  return ds;
}

export async function setDataSourceStatus(actor: Actor, dataSourceId: string, status: "ACTIVE" | "DISABLED") {
  const db = await getDb();
  await assertCanManageDataSource(db, actor, dataSourceId);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.dataSource.update({ where: { id: dataSourceId }, data: { status } }),
    () => ({ action: `datasource.${status === "ACTIVE" ? "enable" : "disable"}`, targetType: "dataSource", targetId: dataSourceId }),
  );
}

/** `confirmName`: when given (the console's delete dialog), it must be the view's `schema.name`. */
export async function deleteDataSource(actor: Actor, dataSourceId: string, opts: { confirmName?: string } = {}) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  if (opts.confirmName !== undefined && opts.confirmName.trim() !== `${ds.governedSchema}.${ds.name}`) {
    throw new ValidationError(`Type ${ds.governedSchema}.${ds.name} to confirm.`, { confirm: ["Does not match the view's name."] });
  }
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.dataSource.delete({ where: { id: dataSourceId } }),
    () => ({ action: "datasource.delete", targetType: "dataSource", targetId: dataSourceId, details: { view: `${ds.governedSchema}.${ds.name}` } }),
  );
}

/**
 * Changes who may subscribe and how: OPEN, APPROVAL, AUTO (with its condition) or MANUAL, with an optional
 * maxDays. Existing subscriptions are kept; AUTO matches are evaluated at query time, so the epoch bump makes
 * a new condition take effect at once. Field errors are keyed as in subscriptionPolicySchema (`condition`, `maxDays`).
 */
export async function setSubscriptionPolicy(actor: Actor, dataSourceId: string, raw: unknown) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  const input = parseInput(subscriptionPolicySchema, raw);
  // Only AUTO keeps a condition: another type would silently carry a stale one otherwise.
  const condition = input.type === "AUTO" ? (input.condition as Prisma.InputJsonValue) : Prisma.DbNull;
  const maxDays = input.maxDays ?? null;
  const previous = await db.subscriptionPolicy.findUnique({ where: { dataSourceId } });
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const policy = await tx.subscriptionPolicy.upsert({
        where: { dataSourceId },
        create: { dataSourceId, type: input.type, condition, maxDays },
        update: { type: input.type, condition, maxDays },
      });
      await tx.dataSource.update({ where: { id: dataSourceId }, data: { updatedAt: new Date() } });
      return policy;
    },
    () => ({
      action: "datasource.subscription_policy",
      targetType: "dataSource",
      targetId: dataSourceId,
      details: {
        view: `${ds.governedSchema}.${ds.name}`,
        type: input.type,
        ...(input.type === "AUTO" ? { condition: input.condition as Prisma.InputJsonValue } : {}),
        maxDays,
        from: previous?.type ?? "APPROVAL",
      },
    }),
  );
}
