import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { registerDataSourceSchema, type RegisterDataSourceInput } from "@/lib/validations/data-source";
import { conditionSchema } from "@/lib/validations/policy";
import { hasAnyRole } from "@/lib/roles";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ConflictError, ForbiddenError, NotFoundError } from "./errors";
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

export async function deleteDataSource(actor: Actor, dataSourceId: string) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.dataSource.delete({ where: { id: dataSourceId } }),
    () => ({ action: "datasource.delete", targetType: "dataSource", targetId: dataSourceId, details: { view: `${ds.governedSchema}.${ds.name}` } }),
  );
}

/** The catalogue: every user may browse every data source's description, never its data. */
export async function listCatalogue(actor: Actor, opts: { q?: string } = {}) {
  const db = await getDb();
  const q = opts.q?.trim();
  const rows = await db.dataSource.findMany({
    where: q
      ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { governedSchema: { contains: q, mode: "insensitive" } }, { description: { contains: q, mode: "insensitive" } }] }
      : {},
    include: {
      owners: { include: { user: { select: { username: true } } } },
      tags: { include: { tag: true } },
      subscription: true,
      subscriptions: { where: { userId: actor.id }, select: { state: true, expiresAt: true } },
      _count: { select: { columns: true } },
    },
    orderBy: [{ governedSchema: "asc" }, { name: "asc" }],
  });
  return rows.map((ds) => ({
    id: ds.id,
    view: `${ds.governedSchema}.${ds.name}`,
    backing: `${ds.backingCatalog}.${ds.backingSchema}.${ds.backingTable}`,
    description: ds.description,
    status: ds.status,
    owners: ds.owners.map((o) => o.user.username),
    tags: ds.tags.map((t) => t.tag.name),
    subscriptionType: ds.subscription?.type ?? "APPROVAL",
    mySubscription: ds.subscriptions[0]?.state ?? null,
    columnCount: ds._count.columns,
  }));
}
