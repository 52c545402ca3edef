import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { tableKey } from "@/lib/data-sources/naming";
import { registerDataSourceSchema, type RegisterDataSourceInput } from "@/lib/validations/data-source";
import { conditionSchema, subscriptionPolicySchema } from "@/lib/validations/policy";
import { hasAnyRole } from "@/lib/roles";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, ValidationError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
import { parseInput } from "./handlers";
import { validateGlobalPoliciesFor } from "./policy-validation";
import { ensureTags } from "./tags";
import { dataSourceInclude, toDataSourceInput } from "./view-api";


type Backing = { catalog: string; schema: string; table: string };

/**
 * A backing table is governed by one data source: a second one (say OPEN, without the first one's policies)
 * would hand its rows to anyone. Returns the 409 naming the data source that has it, or null.
 */
export async function backingTableTaken(db: Tx, backing: Backing): Promise<ConflictError | null> {
  const ds = await db.dataSource.findUnique({
    where: { backingCatalog_backingSchema_backingTable: { backingCatalog: backing.catalog, backingSchema: backing.schema, backingTable: backing.table } },
    select: { governedSchema: true, name: true, owners: { select: { user: { select: { username: true } } } } },
  });
  if (!ds) return null;
  const owners = ds.owners.map((o) => o.user.username).sort();
  const by = owners.length ? ` (owned by ${owners.join(", ")})` : "";
  return new ConflictError(`${tableKey(backing)} is already registered as data source ${ds.governedSchema}.${ds.name}${by}.`);
}

async function governedNameTaken(db: Tx, governedSchema: string, name: string): Promise<ConflictError | null> {
  const clash = await db.dataSource.findUnique({ where: { governedSchema_name: { governedSchema, name } }, select: { id: true } });
  return clash ? new ConflictError(`${governedSchema}.${name} is already registered.`) : null;
}

/** 409 for a write based on a version of the data source that is no longer the current one. */
export async function dataSourceChanged(tx: Tx, dataSourceId: string): Promise<ConflictError | NotFoundError> {
  const now = await tx.dataSource.findUnique({ where: { id: dataSourceId }, select: { version: true } });
  if (!now) return new NotFoundError("No such data source.");
  return new ConflictError(`This data source was changed by someone else since you opened it (now version ${now.version}). Reload to see their change.`);
}

/** Claims the next version of a data source inside the write's transaction; someone else got there first: 409. */
export async function bumpDataSourceVersion(tx: Tx, dataSourceId: string, version: number) {
  const { count } = await tx.dataSource.updateMany({ where: { id: dataSourceId, version }, data: { version: { increment: 1 }, updatedAt: new Date() } });
  if (count === 0) throw await dataSourceChanged(tx, dataSourceId);
}

export async function registerDataSource(actor: Actor, raw: RegisterDataSourceInput) {
  requireRole(actor, ["DATA_OWNER"]);
  const input = parseInput(registerDataSourceSchema, raw);
  const condition = input.subscription.type === "AUTO" ? parseInput(conditionSchema, input.subscription.condition) : undefined;
  const db = await getDb();
  const clash = (await governedNameTaken(db, input.governedSchema, input.name)) ?? (await backingTableTaken(db, input.backing));
  if (clash) throw clash;
  const ownerNames = [...new Set([actor.username, ...input.owners])];
  const owners = await db.user.findMany({ where: { username: { in: ownerNames } }, select: { id: true, username: true } });
  const missing = ownerNames.filter((n) => !owners.some((o) => o.username === n));
  if (missing.length) throw new NotFoundError(`Unknown owner(s): ${missing.join(", ")}.`);
  // the tags it brings put it under GLOBAL policies saved before it existed: they must fit it (422 otherwise)
  await validateGlobalPoliciesFor(db, {
    id: "new",
    backing: input.backing,
    governedSchema: input.governedSchema,
    name: input.name,
    columns: input.columns.map((c) => ({ name: c.name, type: c.type, tags: [...c.tags].sort() })),
    tags: [...input.tags].sort(),
  });

  try {
    return await writeRegistration(actor, input, owners, condition);
  } catch (error) {
    // a concurrent registration of the same backing table or name won the unique index
    if (!isUniqueViolation(error)) throw error;
    throw (
      (await backingTableTaken(db, input.backing)) ??
      (await governedNameTaken(db, input.governedSchema, input.name)) ??
      new ConflictError("Another change conflicted with this registration; try again.")
    );
  }
}

function writeRegistration(
  actor: Actor,
  input: ReturnType<typeof registerDataSourceSchema.parse>,
  owners: { id: string }[],
  condition: unknown,
) {
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

/**
 * Refused with 409 when the data source already has that status (a concurrent click got there first) or changed
 * between this call's read and its write; `version`, when given, is the version the caller saw (409 if it moved on).
 * Enabling runs the GLOBAL policies its tags bring through validation first (422 naming one that does not fit).
 */
export async function setDataSourceStatus(actor: Actor, dataSourceId: string, status: "ACTIVE" | "DISABLED", opts: { version?: number } = {}) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  const view = `${ds.governedSchema}.${ds.name}`;
  if (opts.version !== undefined && opts.version !== ds.version) throw await dataSourceChanged(db, dataSourceId);
  if (ds.status === status) throw new ConflictError(`${view} is already ${status === "ACTIVE" ? "enabled" : "disabled"}.`);
  if (status === "ACTIVE") {
    // GLOBAL policies saved while it was disabled were not checked against it
    const loaded = await db.dataSource.findUniqueOrThrow({ where: { id: dataSourceId }, include: dataSourceInclude });
    await validateGlobalPoliciesFor(db, toDataSourceInput(loaded));
  }
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const { count } = await tx.dataSource.updateMany({
        where: { id: dataSourceId, status: ds.status, version: ds.version },
        data: { status, version: { increment: 1 }, updatedAt: new Date() },
      });
      if (count === 0) {
        const now = await tx.dataSource.findUnique({ where: { id: dataSourceId }, select: { status: true } });
        if (now?.status === status) throw new ConflictError(`${view} is already ${status === "ACTIVE" ? "enabled" : "disabled"}.`);
        throw await dataSourceChanged(tx, dataSourceId);
      }
      return tx.dataSource.findUniqueOrThrow({ where: { id: dataSourceId } });
    },
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
 * `version`: when given (the console's form), the version of the data source the actor saw: 409 when it changed.
 */
export async function setSubscriptionPolicy(actor: Actor, dataSourceId: string, raw: unknown, opts: { version?: number } = {}) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  const input = parseInput(subscriptionPolicySchema, raw);
  if (opts.version !== undefined && opts.version !== ds.version) throw await dataSourceChanged(db, dataSourceId);
  // Only AUTO keeps a condition: another type would silently carry a stale one otherwise.
  const condition = input.type === "AUTO" ? (input.condition as Prisma.InputJsonValue) : Prisma.DbNull;
  const maxDays = input.maxDays ?? null;
  const previous = await db.subscriptionPolicy.findUnique({ where: { dataSourceId } });
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      // first, so a concurrent change of the same version waits here and then finds it taken
      await bumpDataSourceVersion(tx, dataSourceId, ds.version);
      return tx.subscriptionPolicy.upsert({
        where: { dataSourceId },
        create: { dataSourceId, type: input.type, condition, maxDays },
        update: { type: input.type, condition, maxDays },
      });
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
