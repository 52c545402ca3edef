import "server-only";
import { dataSourceTagsSchema, type DataSourceTagsInput } from "@/lib/validations/data-source";
import type { Actor } from "./actor";
import { assertCanManageDataSource, bumpDataSourceVersion, dataSourceChanged } from "./data-sources";
import { getDb } from "./db";
import { ValidationError } from "./errors";
import { governanceWrite } from "./governance";
import { parseInput } from "./handlers";
import { validateGlobalPoliciesFor } from "./policy-validation";
import { ensureTags } from "./tags";
import { dataSourceInclude, toDataSourceInput } from "./view-api";

const uniqueSorted = (tags: readonly string[]) => [...new Set(tags)].sort();

/**
 * Re-tags a registered data source (its owners, governors and admins): the table's tags and each column's, given
 * as a whole. The GLOBAL policies the new tags bring are validated for it first (422 naming one that does not fit,
 * nothing written); the change claims the version the editor saw (409 when someone changed the data source since)
 * and bumps the epoch, so the policies the tags select apply from the next query. Audited with before and after.
 */
export async function setDataSourceTags(actor: Actor, raw: DataSourceTagsInput) {
  const input = parseInput(dataSourceTagsSchema, raw);
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, input.dataSourceId);
  if (ds.version !== input.version) throw await dataSourceChanged(db, ds.id);
  const loaded = await db.dataSource.findUniqueOrThrow({ where: { id: ds.id }, include: dataSourceInclude });
  const byName = new Map(loaded.columns.map((c) => [c.name.toLowerCase(), c]));
  const wanted = new Map<string, string[]>();
  for (const c of input.columns) {
    const column = byName.get(c.name.toLowerCase());
    if (!column) throw new ValidationError(`${ds.governedSchema}.${ds.name} has no column ${c.name}.`, { columns: [`No column ${c.name}.`] });
    wanted.set(column.id, uniqueSorted(c.tags));
  }
  const before = toDataSourceInput(loaded);
  const after = {
    ...before,
    tags: uniqueSorted(input.tags),
    columns: loaded.columns.map((c, i) => ({ ...before.columns[i]!, tags: wanted.get(c.id) ?? before.columns[i]!.tags })),
  };
  const changedColumns = after.columns.filter((c, i) => c.tags.join() !== before.columns[i]!.tags.join());
  if (after.tags.join() === before.tags.join() && changedColumns.length === 0) return { id: ds.id, version: ds.version, changed: false };

  // the tags bring GLOBAL policies saved before; they must fit this data source (governor SQL runs in Trino)
  await validateGlobalPoliciesFor(db, after);

  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await bumpDataSourceVersion(tx, ds.id, input.version);
      const ids = await ensureTags(tx, [...after.tags, ...changedColumns.flatMap((c) => c.tags)]);
      await tx.dataSourceTag.deleteMany({ where: { dataSourceId: ds.id } });
      if (after.tags.length) await tx.dataSourceTag.createMany({ data: after.tags.map((t) => ({ dataSourceId: ds.id, tagId: ids.get(t)! })) });
      for (const c of loaded.columns) {
        const tags = wanted.get(c.id);
        if (!tags || tags.join() === c.tags.map((t) => t.tag.name).sort().join()) continue;
        await tx.columnTag.deleteMany({ where: { columnId: c.id } });
        if (tags.length) await tx.columnTag.createMany({ data: tags.map((t) => ({ columnId: c.id, tagId: ids.get(t)! })) });
      }
      return { id: ds.id, version: input.version + 1, changed: true };
    },
    () => ({
      action: "datasource.tags",
      targetType: "dataSource",
      targetId: ds.id,
      details: {
        view: `${ds.governedSchema}.${ds.name}`,
        ...(after.tags.join() !== before.tags.join() ? { tags: { before: before.tags, after: after.tags } } : {}),
        ...(changedColumns.length
          ? {
              columns: Object.fromEntries(
                changedColumns.map((c) => [c.name, { before: before.columns.find((b) => b.name === c.name)!.tags, after: c.tags }]),
              ),
            }
          : {}),
      },
    }),
  );
}
