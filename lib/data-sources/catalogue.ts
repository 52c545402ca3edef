// The catalogue's search, filters, sorting and pages, read from the URL (so every state is linkable and
// works without JavaScript) and applied on the server.
import type { AccessState } from "./access";

export const SORTS = ["name", "columns", "created", "access"] as const;
export const STATUSES = ["all", "ACTIVE", "DISABLED"] as const;
export const ACCESS_FILTERS = ["all", "mine", "pending", "none"] as const;
export const PAGE_SIZE = 20;

export interface CatalogueParams {
  q: string;
  status: (typeof STATUSES)[number];
  access: (typeof ACCESS_FILTERS)[number];
  tag: string;
  sort: (typeof SORTS)[number];
  dir: "asc" | "desc";
  page: number;
}

export const DEFAULT_PARAMS: CatalogueParams = { q: "", status: "all", access: "all", tag: "", sort: "name", dir: "asc", page: 1 };

type SearchParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const pick = <T extends string>(v: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(v) ? (v as T) : fallback);

/** Anything unknown or malformed falls back to the default: a hand-edited URL never errors. */
export function parseCatalogueParams(sp: SearchParams): CatalogueParams {
  const page = Number.parseInt(one(sp.page), 10);
  return {
    q: one(sp.q).trim().slice(0, 200),
    status: pick(one(sp.status), STATUSES, "all"),
    access: pick(one(sp.access), ACCESS_FILTERS, "all"),
    tag: one(sp.tag).trim().slice(0, 200),
    sort: pick(one(sp.sort), SORTS, "name"),
    dir: one(sp.dir) === "desc" ? "desc" : "asc",
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 100_000) : 1,
  };
}

/** A URL for the same view with some parameters changed; defaults are left out to keep URLs short. */
export function catalogueHref(params: CatalogueParams, patch: Partial<CatalogueParams> = {}): string {
  const next = { ...params, ...patch };
  const qs = new URLSearchParams();
  for (const k of Object.keys(DEFAULT_PARAMS) as (keyof CatalogueParams)[]) {
    if (String(next[k]) !== String(DEFAULT_PARAMS[k])) qs.set(k, String(next[k]));
  }
  const s = qs.toString();
  return s ? `/data-sources?${s}` : "/data-sources";
}

export interface CatalogueRow {
  view: string;
  backing: string;
  description: string | null;
  owners: string[];
  tags: string[];
  columnCount: number;
  status: "ACTIVE" | "DISABLED";
  access: AccessState;
  createdAt: Date;
}

const ACCESS_ORDER: Record<AccessState, number> = { active: 0, auto: 0, pending: 1, denied: 2, revoked: 3, expired: 3, none: 4 };

const tagMatches = (tags: string[], wanted: string) => {
  const w = wanted.toLowerCase();
  return tags.some((t) => {
    const l = t.toLowerCase();
    return l === w || l.startsWith(`${w}.`);
  });
};

export function queryCatalogue<T extends CatalogueRow>(rows: readonly T[], p: CatalogueParams, pageSize = PAGE_SIZE) {
  const q = p.q.toLowerCase();
  const filtered = rows.filter(
    (r) =>
      (!q || [r.view, r.backing, r.description ?? "", ...r.owners, ...r.tags].some((s) => s.toLowerCase().includes(q))) &&
      (p.status === "all" || r.status === p.status) &&
      (!p.tag || tagMatches(r.tags, p.tag)) &&
      (p.access === "all" ||
        (p.access === "mine" && (r.access === "active" || r.access === "auto")) ||
        (p.access === "pending" && r.access === "pending") ||
        (p.access === "none" && ACCESS_ORDER[r.access] >= 2)),
  );
  const byName = (a: T, b: T) => a.view.localeCompare(b.view);
  const cmp: Record<CatalogueParams["sort"], (a: T, b: T) => number> = {
    name: byName,
    columns: (a, b) => a.columnCount - b.columnCount || byName(a, b),
    created: (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byName(a, b),
    access: (a, b) => ACCESS_ORDER[a.access] - ACCESS_ORDER[b.access] || byName(a, b),
  };
  const sign = p.dir === "desc" ? -1 : 1;
  const sorted = [...filtered].sort((a, b) => sign * cmp[p.sort](a, b));
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const page = Math.min(p.page, pages);
  return { rows: sorted.slice((page - 1) * pageSize, page * pageSize), total: sorted.length, page, pages };
}
