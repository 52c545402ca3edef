import "server-only";
import { hasAnyRole } from "@/lib/roles";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";

export interface BuilderDataSource {
  id: string;
  view: string;
  status: "ACTIVE" | "DISABLED";
  tags: string[];
  columns: { name: string; type: string; tags: string[] }[];
}

export interface BuilderOptions {
  /** GLOBAL policies are for governors */
  canGlobal: boolean;
  /** the data sources the actor may write local policies for and preview (governors: all; owners: theirs) */
  dataSources: BuilderDataSource[];
  tags: string[];
  groups: string[];
  /** attribute key -> the values users have */
  attributes: Record<string, string[]>;
  purposes: string[];
  users: { username: string; plain: boolean }[];
}

/** Everything the builder and "view as user" offer as choices and suggestions. */
export async function getBuilderOptions(actor: Actor): Promise<BuilderOptions> {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER", "AUDITOR"]);
  // auditors open any policy read-only, so they need every data source's columns too
  const governor = hasAnyRole(actor.roles, ["GOVERNOR", "AUDITOR"]);
  const db = await getDb();
  const [sources, tags, groups, attributes, purposes, users] = await Promise.all([
    db.dataSource.findMany({
      where: governor ? {} : { owners: { some: { userId: actor.id } } },
      include: {
        columns: { orderBy: { ordinal: "asc" }, include: { tags: { include: { tag: { select: { name: true } } } } } },
        tags: { include: { tag: { select: { name: true } } } },
      },
      orderBy: [{ governedSchema: "asc" }, { name: "asc" }],
    }),
    db.tag.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    db.group.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    db.userAttribute.findMany({ select: { key: true, value: true }, distinct: ["key", "value"], orderBy: [{ key: "asc" }, { value: "asc" }] }),
    db.purpose.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    db.user.findMany({ where: { disabled: false }, select: { username: true, roles: true }, orderBy: { username: "asc" } }),
  ]);
  const attrs: Record<string, string[]> = {};
  for (const a of attributes) (attrs[a.key] ??= []).push(a.value);
  return {
    canGlobal: governor,
    dataSources: sources.map((s) => ({
      id: s.id,
      view: `${s.governedSchema}.${s.name}`,
      status: s.status,
      tags: s.tags.map((t) => t.tag.name).sort(),
      columns: s.columns.map((c) => ({ name: c.name, type: c.type, tags: c.tags.map((t) => t.tag.name).sort() })),
    })),
    tags: tags.map((t) => t.name),
    groups: groups.map((g) => g.name),
    attributes: attrs,
    purposes: purposes.map((p) => p.name),
    users: users.map((u) => ({ username: u.username, plain: u.roles.length === 0 })),
  };
}
