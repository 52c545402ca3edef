// The policy list's search, filters, sorting and pages, read from the URL (every state is linkable and works
// without JavaScript) and applied on the server.

export const POLICY_SORTS = ["name", "scope", "kind", "target", "created"] as const;
export const SCOPES = ["all", "LOCAL", "GLOBAL"] as const;
export const KINDS = ["all", "MASK", "ROW_FILTER"] as const;
export const POLICY_PAGE_SIZE = 20;

export interface PolicyListParams {
  q: string;
  scope: (typeof SCOPES)[number];
  kind: (typeof KINDS)[number];
  /** `ds:<data source id>` (policies bearing on it) or `tag:<tag>` (global policies on the tag or below); "" for any */
  on: string;
  sort: (typeof POLICY_SORTS)[number];
  dir: "asc" | "desc";
  page: number;
}

export const DEFAULT_POLICY_PARAMS: PolicyListParams = { q: "", scope: "all", kind: "all", on: "", sort: "created", dir: "asc", page: 1 };

type SearchParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const pick = <T extends string>(v: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(v) ? (v as T) : fallback);

/** Anything unknown or malformed falls back to the default: a hand-edited URL never errors. */
export function parsePolicyListParams(sp: SearchParams): PolicyListParams {
  const page = Number.parseInt(one(sp.page), 10);
  const on = one(sp.on).trim().slice(0, 250);
  return {
    q: one(sp.q).trim().slice(0, 200),
    scope: pick(one(sp.scope), SCOPES, "all"),
    kind: pick(one(sp.kind), KINDS, "all"),
    on: /^(ds|tag):./.test(on) ? on : "",
    sort: pick(one(sp.sort), POLICY_SORTS, "created"),
    dir: one(sp.dir) === "desc" ? "desc" : "asc",
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 100_000) : 1,
  };
}

/** A URL for the same list with some parameters changed; defaults are left out to keep URLs short. */
export function policyListHref(params: PolicyListParams, patch: Partial<PolicyListParams> = {}): string {
  const next = { ...params, ...patch };
  const qs = new URLSearchParams();
  for (const k of Object.keys(DEFAULT_POLICY_PARAMS) as (keyof PolicyListParams)[]) {
    if (String(next[k]) !== String(DEFAULT_POLICY_PARAMS[k])) qs.set(k, String(next[k]));
  }
  const s = qs.toString();
  return s ? `/policies?${s}` : "/policies";
}

export interface PolicyListRow {
  id: string;
  name: string;
  description: string | null;
  scope: "LOCAL" | "GLOBAL";
  kind: "MASK" | "ROW_FILTER";
  /** LOCAL: its data source */
  dataSourceId: string | null;
  /** GLOBAL: the scope tag */
  tag: string | null;
  /** a tag-targeted mask: its target tag */
  targetTag: string | null;
  /** what the list shows under "Applies to" */
  target: string;
  summary: string;
  createdAt: Date;
}

export const tagCovers = (ancestor: string, tag: string) => {
  const a = ancestor.toLowerCase();
  const t = tag.toLowerCase();
  return t === a || t.startsWith(`${a}.`);
};

/**
 * `dataSourceTags`: the table and column tags of each data source, so `ds:<id>` also lists the global
 * policies whose tag covers one of them (as the compiler decides scope).
 */
export function queryPolicies<T extends PolicyListRow>(
  rows: readonly T[],
  p: PolicyListParams,
  dataSourceTags: ReadonlyMap<string, readonly string[]> = new Map(),
  pageSize = POLICY_PAGE_SIZE,
) {
  const q = p.q.toLowerCase();
  const onDs = p.on.startsWith("ds:") ? p.on.slice(3) : null;
  const onTag = p.on.startsWith("tag:") ? p.on.slice(4) : null;
  const dsTags = onDs ? (dataSourceTags.get(onDs) ?? []) : [];
  const filtered = rows.filter(
    (r) =>
      (!q || [r.name, r.description ?? "", r.target, r.summary, r.tag ?? "", r.targetTag ?? ""].some((s) => s.toLowerCase().includes(q))) &&
      (p.scope === "all" || r.scope === p.scope) &&
      (p.kind === "all" || r.kind === p.kind) &&
      (!onDs || (r.scope === "LOCAL" ? r.dataSourceId === onDs : r.tag !== null && dsTags.some((t) => tagCovers(r.tag!, t)))) &&
      (!onTag || [r.tag, r.targetTag].some((t) => t !== null && tagCovers(onTag, t))),
  );
  const byName = (a: T, b: T) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const cmp: Record<PolicyListParams["sort"], (a: T, b: T) => number> = {
    name: byName,
    scope: (a, b) => a.scope.localeCompare(b.scope) || byName(a, b),
    kind: (a, b) => a.kind.localeCompare(b.kind) || byName(a, b),
    target: (a, b) => a.target.localeCompare(b.target) || byName(a, b),
    created: (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  };
  const sign = p.dir === "desc" ? -1 : 1;
  const sorted = [...filtered].sort((a, b) => sign * cmp[p.sort](a, b));
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const page = Math.min(p.page, pages);
  return { rows: sorted.slice((page - 1) * pageSize, page * pageSize), total: sorted.length, page, pages };
}
