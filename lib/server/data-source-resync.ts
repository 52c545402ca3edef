import "server-only";
import { diffColumns, diffFingerprint, isEmptyDiff, policiesNamingRemoved, type ColumnDiff } from "@/lib/data-sources/column-diff";
import type { Actor } from "./actor";
import { assertCanManageDataSource, bumpDataSourceVersion } from "./data-sources";
import { getDb } from "./db";
import { ConflictError } from "./errors";
import { governanceWrite } from "./governance";
import { validateGlobalPoliciesFor } from "./policy-validation";
import { readTableColumns } from "./trino";
import { dataSourceInclude, toDataSourceInput } from "./view-api";

async function compare(actor: Actor, dataSourceId: string) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  const current = await db.dataSourceColumn.findMany({ where: { dataSourceId }, orderBy: { ordinal: "asc" }, select: { id: true, name: true, type: true } });
  const live = await readTableColumns({ catalog: ds.backingCatalog, schema: ds.backingSchema, table: ds.backingTable });
  return { ds, current, diff: diffColumns(current, live) };
}

export interface ResyncPreview {
  view: string;
  backing: string;
  diff: ColumnDiff;
  empty: boolean;
  fingerprint: string;
  /** Local policies naming a column that would be removed. */
  warnings: { id: string; name: string; columns: string[] }[];
}

/** Reads Trino's columns now and shows what applying would change; writes nothing. */
export async function previewResync(actor: Actor, dataSourceId: string): Promise<ResyncPreview> {
  const { ds, diff } = await compare(actor, dataSourceId);
  const db = await getDb();
  const policies = await db.dataPolicy.findMany({ where: { dataSourceId }, select: { id: true, name: true, action: true } });
  return {
    view: `${ds.governedSchema}.${ds.name}`,
    backing: `${ds.backingCatalog}.${ds.backingSchema}.${ds.backingTable}`,
    diff,
    empty: isEmptyDiff(diff),
    fingerprint: diffFingerprint(diff),
    warnings: policiesNamingRemoved(diff, policies),
  };
}

/**
 * Applies the difference the owner saw (the fingerprint proves it is still the same), keeping column tags
 * of the columns that stay; one governance write with an epoch bump, since every view's columns change.
 * The GLOBAL policies its tags bring must fit the new columns (422 naming the policy otherwise), and the write
 * claims the data source's version it started from, so a concurrent re-sync or edit makes this one a 409.
 */
export async function applyResync(actor: Actor, dataSourceId: string, fingerprint: string) {
  const { ds, current, diff } = await compare(actor, dataSourceId);
  if (diffFingerprint(diff) !== fingerprint) {
    throw new ConflictError("Trino's columns changed since you looked: review the difference again.");
  }
  if (isEmptyDiff(diff)) return { changed: false as const };
  const byName = new Map(current.map((c) => [c.name.toLowerCase(), c]));
  const removed = new Set(diff.removed.map((c) => c.name.toLowerCase()));
  const db = await getDb();
  const loaded = toDataSourceInput(await db.dataSource.findUniqueOrThrow({ where: { id: dataSourceId }, include: dataSourceInclude }));
  const tagsOf = new Map(loaded.columns.map((c) => [c.name.toLowerCase(), c.tags]));
  await validateGlobalPoliciesFor(db, { ...loaded, columns: diff.next.map((c) => ({ name: c.name, type: c.type, tags: tagsOf.get(c.name.toLowerCase()) ?? [] })) });
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await bumpDataSourceVersion(tx, dataSourceId, ds.version);
      const gone = current.filter((c) => removed.has(c.name.toLowerCase())).map((c) => c.id);
      if (gone.length) await tx.dataSourceColumn.deleteMany({ where: { id: { in: gone } } });
      for (const [ordinal, c] of diff.next.entries()) {
        const existing = byName.get(c.name.toLowerCase());
        if (existing) await tx.dataSourceColumn.update({ where: { id: existing.id }, data: { name: c.name, type: c.type, ordinal } });
        else await tx.dataSourceColumn.create({ data: { dataSourceId, name: c.name, type: c.type, ordinal } });
      }
    },
    () => ({
      action: "datasource.resync",
      targetType: "dataSource",
      targetId: dataSourceId,
      details: {
        added: diff.added.map((c) => `${c.name} ${c.type}`),
        removed: diff.removed.map((c) => c.name),
        changed: diff.changed.map((c) => `${c.name}: ${c.from} -> ${c.to}`),
        reordered: diff.reordered,
      },
    }),
  );
  return { changed: true as const, added: diff.added.length, removed: diff.removed.length, changedTypes: diff.changed.length };
}
