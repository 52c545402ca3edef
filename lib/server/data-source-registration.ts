import "server-only";
import { tableKey } from "@/lib/data-sources/naming";
import { registerFromTrinoSchema, type RegisterFromTrinoInput } from "@/lib/validations/data-source";
import { requireRole, type Actor } from "./actor";
import { backingTableTaken, registerDataSource } from "./data-sources";
import { getDb } from "./db";
import { AppError, ValidationError } from "./errors";
import { parseInput } from "./handlers";
import { assertBrowsableCatalog, readTableColumns } from "./trino";

/**
 * Registers one Trino table: its columns and types are read from Trino here (never taken from the form),
 * the form's column tags are matched to them by name, then the ordinary registration writes it all with its
 * audit event and an epoch bump.
 */
export async function registerFromTrino(actor: Actor, raw: RegisterFromTrinoInput) {
  requireRole(actor, ["DATA_OWNER"]);
  const input = parseInput(registerFromTrinoSchema, raw);
  const db = await getDb();
  const view = `${input.governedSchema}.${input.name}`;
  const clash = await db.dataSource.findUnique({
    where: { governedSchema_name: { governedSchema: input.governedSchema, name: input.name } },
    select: { id: true },
  });
  if (clash) throw new AppError(409, `${view} is already registered.`, { name: [`${view} is already registered: choose another name.`] });
  // before asking Trino anything: the table is governed already, whatever name this one would get
  const taken = await backingTableTaken(db, input.backing);
  if (taken) throw taken;
  const ownerNames = [...new Set(input.owners)].filter((n) => n !== actor.username);
  if (ownerNames.length) {
    const known = await db.user.findMany({ where: { username: { in: ownerNames } }, select: { username: true } });
    const missing = ownerNames.filter((n) => !known.some((k) => k.username === n));
    if (missing.length) throw new ValidationError(`Unknown owner(s): ${missing.join(", ")}.`, { owners: [`No user named ${missing.join(", ")}.`] });
  }

  await assertBrowsableCatalog(input.backing.catalog);
  const columns = await readTableColumns(input.backing);
  const tagsByColumn = new Map(input.columnTags.map((c) => [c.name, c.tags]));
  const unknown = [...tagsByColumn.keys()].filter((n) => !columns.some((c) => c.name === n));
  if (unknown.length) {
    throw new ValidationError(`Trino's ${tableKey(input.backing)} has no column ${unknown.join(", ")}: reload the columns.`, {
      columnTags: [`Unknown column(s): ${unknown.join(", ")}.`],
    });
  }

  const ds = await registerDataSource(actor, {
    backing: input.backing,
    governedSchema: input.governedSchema,
    name: input.name,
    description: input.description,
    tags: input.tags,
    owners: ownerNames,
    columns: columns.map((c) => ({ name: c.name, type: c.type, tags: tagsByColumn.get(c.name) ?? [] })),
    subscription: input.subscription,
  });
  return { id: ds.id, view, columns: columns.length };
}

export interface RegisteredBacking {
  /** the data source's `schema.name` */
  view: string;
  owners: string[];
}

/** Which backing tables are registered already (each at most once), and as what: the register page marks them. */
export async function listRegisteredBackings(actor: Actor): Promise<Record<string, RegisteredBacking>> {
  requireRole(actor, ["DATA_OWNER"]);
  const db = await getDb();
  const rows = await db.dataSource.findMany({
    select: {
      backingCatalog: true,
      backingSchema: true,
      backingTable: true,
      governedSchema: true,
      name: true,
      owners: { select: { user: { select: { username: true } } } },
    },
    orderBy: [{ governedSchema: "asc" }, { name: "asc" }],
  });
  const out: Record<string, RegisteredBacking> = {};
  for (const r of rows) {
    out[tableKey({ catalog: r.backingCatalog, schema: r.backingSchema, table: r.backingTable })] = {
      view: `${r.governedSchema}.${r.name}`,
      owners: r.owners.map((o) => o.user.username).sort(),
    };
  }
  return out;
}
