// Which data policies bear on one data source, and which columns each mask targets. Who they apply to
// depends on the querying user (the compiler and "view as user" decide that); this lists candidates.

export interface PolicyRow {
  id: string;
  name: string;
  scope: "LOCAL" | "GLOBAL";
  kind: "MASK" | "ROW_FILTER";
  /** GLOBAL: the scope tag */
  tag?: string | null;
  action: unknown;
  enabled: boolean;
  createdAt: Date;
}

export interface ColumnTags {
  name: string;
  tags: string[];
}

export const tagCovers = (ancestor: string, tag: string) => tag === ancestor || tag.startsWith(`${ancestor}.`);

const depth = (tag: string | null | undefined) => (tag ? tag.split(".").length : 0);

/** Precedence among masks on one column: LOCAL over GLOBAL, deeper tag first, then the earlier-created. */
function precedence(a: PolicyRow, b: PolicyRow): number {
  if (a.scope !== b.scope) return a.scope === "LOCAL" ? -1 : 1;
  return depth(b.tag) - depth(a.tag) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
}

function maskedColumns(action: unknown, columns: readonly ColumnTags[]): string[] {
  const target = (action as { target?: { columns?: unknown; tag?: unknown } } | null)?.target;
  if (Array.isArray(target?.columns)) {
    const wanted = new Set(target.columns.filter((c): c is string => typeof c === "string").map((c) => c.toLowerCase()));
    return columns.filter((c) => wanted.has(c.name.toLowerCase())).map((c) => c.name);
  }
  if (typeof target?.tag === "string") {
    const tag = target.tag;
    return columns.filter((c) => c.tags.some((t) => tagCovers(tag, t))).map((c) => c.name);
  }
  return [];
}

export function policiesInForce(ds: { tags: readonly string[]; columns: readonly ColumnTags[] }, policies: readonly PolicyRow[]) {
  const allTags = [...ds.tags, ...ds.columns.flatMap((c) => c.tags)];
  const applicable = policies.filter((p) => p.scope === "LOCAL" || (!!p.tag && allTags.some((t) => tagCovers(p.tag!, t))));
  const masks = applicable
    .filter((p) => p.kind === "MASK")
    .map((p) => ({ policy: p, columns: maskedColumns(p.action, ds.columns) }));
  const byColumn: Record<string, PolicyRow[]> = {};
  for (const { policy, columns } of masks) {
    if (!policy.enabled) continue;
    for (const c of columns) (byColumn[c] ??= []).push(policy);
  }
  for (const list of Object.values(byColumn)) list.sort(precedence);
  return {
    policies: applicable.map((p) => ({ ...p, columns: p.kind === "MASK" ? maskedColumns(p.action, ds.columns) : [] })),
    masksByColumn: byColumn,
    rowFilters: applicable.filter((p) => p.kind === "ROW_FILTER" && p.enabled),
  };
}
