// Re-sync: what changed between the columns Steward registered and the columns Trino reports now.

export interface ColumnShape {
  name: string;
  type: string;
}

export interface ColumnDiff {
  added: ColumnShape[];
  removed: ColumnShape[];
  changed: { name: string; from: string; to: string }[];
  /** Same set of columns and types, only in another order. */
  reordered: boolean;
  /** The columns as they will be after applying, in Trino's order. */
  next: ColumnShape[];
}

// Trino reports column names lower-case for most connectors; types as signatures. Compare both normalized.
const key = (name: string) => name.toLowerCase();
const normType = (t: string) => t.trim().toLowerCase().replace(/\s*,\s*/g, ",").replace(/\s+/g, " ");

export function diffColumns(current: readonly ColumnShape[], live: readonly ColumnShape[]): ColumnDiff {
  const before = new Map(current.map((c) => [key(c.name), c]));
  const after = new Map(live.map((c) => [key(c.name), c]));
  const added = live.filter((c) => !before.has(key(c.name))).map((c) => ({ name: c.name, type: c.type }));
  const removed = current.filter((c) => !after.has(key(c.name))).map((c) => ({ name: c.name, type: c.type }));
  const changed = live.flatMap((c) => {
    const old = before.get(key(c.name));
    return old && normType(old.type) !== normType(c.type) ? [{ name: c.name, from: old.type, to: c.type }] : [];
  });
  const kept = (cols: readonly ColumnShape[], other: Map<string, ColumnShape>) => cols.map((c) => key(c.name)).filter((n) => other.has(n));
  const reordered = kept(current, after).join("\u0000") !== kept(live, before).join("\u0000");
  return { added, removed, changed, reordered, next: live.map((c) => ({ name: c.name, type: c.type })) };
}

export function isEmptyDiff(d: ColumnDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0 && !d.reordered;
}

/**
 * A stable string naming exactly what the preview showed; applying checks Trino still gives the same, so
 * nobody applies a difference they did not see.
 */
export function diffFingerprint(d: ColumnDiff): string {
  return JSON.stringify(d.next.map((c) => [key(c.name), normType(c.type)]));
}

export interface PolicyColumnRefs {
  id: string;
  name: string;
  action: unknown;
}

/** Columns a policy names explicitly (mask targets, row-filter columns); tag-targeted masks name none. */
export function columnsNamedBy(action: unknown): string[] {
  if (!action || typeof action !== "object") return [];
  const a = action as { type?: string; target?: { columns?: unknown }; filter?: { column?: unknown; keyColumns?: unknown } };
  const names: unknown[] = [];
  if (a.type === "MASK" && Array.isArray(a.target?.columns)) names.push(...a.target.columns);
  if (a.type === "ROW_FILTER") {
    if (a.filter?.column !== undefined) names.push(a.filter.column);
    if (Array.isArray(a.filter?.keyColumns)) names.push(...a.filter.keyColumns);
  }
  return names.filter((n): n is string => typeof n === "string");
}

/** Policies that name a column the re-sync would remove: the owner should fix them, so the preview warns. */
export function policiesNamingRemoved(d: ColumnDiff, policies: readonly PolicyColumnRefs[]) {
  const removed = new Set(d.removed.map((c) => key(c.name)));
  return policies.flatMap((p) => {
    const cols = columnsNamedBy(p.action).filter((c) => removed.has(key(c)));
    return cols.length ? [{ id: p.id, name: p.name, columns: cols }] : [];
  });
}
