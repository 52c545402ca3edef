// Query audit records in words for auditors (docs/architecture.md, "Query audit"): who read which governed view
// with which masks and row filters, and what was refused, with links to the user's other queries, the data
// source and the policies. Pure: the server resolves what the record names to what exists now (`QueryRefs`);
// the record's own names win (a policy is named as it was called when the query ran).
import type { Segment } from "./describe";

type MaskInput = { method: string; policyId: string; policyName: string; fallback?: string };

export interface AppliedInput {
  project?: string | null;
  /** by column name as the view API answers it, or as stored: an array in column order */
  columns: Record<string, MaskInput> | (MaskInput & { column: string })[];
  rowFilters: { kind: string; policyId: string; policyName: string; fallback?: string }[];
}

export interface ViewDecisionInput {
  catalog: string;
  schema: string;
  name: string;
  read: boolean;
  applied: AppliedInput | null;
}

export type DenialInput =
  | { kind: "UNKNOWN_USER"; catalog: string }
  | { kind: "NOT_VISIBLE"; catalog: string; schema: string; name: string }
  | { kind: "BACKING_CATALOG"; catalog: string; table?: string; message?: string };

export interface QueryAuditInput {
  username: string;
  state: "SUCCEEDED" | "FAILED";
  errorMessage: string | null;
  views: ViewDecisionInput[];
  denials: DenialInput[];
}

export interface QueryRefs {
  /** governed `schema.name` -> data source id (those that exist now) */
  dataSources: Map<string, string>;
  /** ids of the policies that exist now */
  policies: Set<string>;
  /** catalogs that back a data source now (absent: not resolved, every refused catalog is taken as one) */
  backingCatalogs?: Set<string>;
}

/** What an auditor opens for a user: every query of theirs. */
export const queryUserHref = (username: string) => `/audit/queries?user=${encodeURIComponent(username)}`;

const t = (text: string): Segment => ({ text });

function user(username: string): Segment {
  return { text: username, href: queryUserHref(username) };
}

function view(refs: QueryRefs, schema: string, name: string): Segment {
  const key = `${schema}.${name}`;
  const id = refs.dataSources.get(key);
  return id ? { text: key, href: `/data-sources/${id}` } : { text: key };
}

function policy(refs: QueryRefs, id: string, name: string): Segment {
  const text = `“${name || id}”`;
  return refs.policies.has(id) ? { text, href: `/policies/${id}` } : { text };
}

/** `a`, `a and b`, `a, b and c`, each item a run of segments. */
function joined(items: Segment[][]): Segment[] {
  const out: Segment[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(t(i === items.length - 1 ? " and " : ", "));
    out.push(...item);
  });
  return out;
}

/** What the view showed: "ssn NULL by “…”, email REDACT by “…”; rows filtered by “…”", or "no masks, all rows". */
export function appliedWords(refs: QueryRefs, applied: AppliedInput): Segment[] {
  const columns = Array.isArray(applied.columns) ? applied.columns.map((m) => [m.column, m] as const) : Object.entries(applied.columns);
  const masks = columns.map(([column, m]): Segment[] => [
    t(`${column} ${m.method} by `),
    policy(refs, m.policyId, m.policyName),
    ...(m.fallback ? [t(` (${m.fallback})`)] : []),
  ]);
  const filters = applied.rowFilters.map((f): Segment[] => [policy(refs, f.policyId, f.policyName), ...(f.fallback ? [t(` (failed closed: ${f.fallback})`)] : [])]);
  const out: Segment[] = [];
  out.push(...(masks.length ? masks.flatMap((m, i) => (i === 0 ? m : [t(", "), ...m])) : [t("no masks")]));
  out.push(t("; "));
  out.push(...(filters.length ? [t("rows filtered by "), ...joined(filters)] : [t("all rows")]));
  return out;
}

/** One sentence per governed view and per denial; a failed query with neither says why it failed. */
export function describeQueryAudit(q: QueryAuditInput, refs: QueryRefs): Segment[][] {
  const who = user(q.username);
  const lines: Segment[][] = [];
  for (const v of q.views) {
    const verb = v.read ? " read " : " looked up ";
    const what = v.applied ? [t(": "), ...appliedWords(refs, v.applied)] : [t(" (the console did not say which policies applied)")];
    lines.push([who, t(verb), view(refs, v.schema, v.name), ...what, ...(v.read ? [] : [t(" (definition only, no rows read)")])]);
  }
  for (const d of q.denials) {
    if (d.kind === "NOT_VISIBLE") lines.push([who, t(": "), view(refs, d.schema, d.name), t(" is not visible to them (not subscribed, not in their project, or no such data source)")]);
    else if (d.kind === "UNKNOWN_USER") lines.push([who, t(` is not known to Steward: nothing in catalog ${d.catalog} is visible to them`)]);
    else {
      const what = d.table ? `table ${d.catalog}.${d.table}` : `catalog ${d.catalog}`;
      const backing = !refs.backingCatalogs || refs.backingCatalogs.has(d.catalog);
      lines.push([who, t(backing ? `: backing ${what} refused (only the service user reads backing tables)` : `: ${what} refused by Trino's access rules`)]);
    }
  }
  // a failure the lines above do not explain (a lookup, then an error): say why
  if (q.state === "FAILED" && !q.denials.length) lines.push([who, t(`'s query failed${q.errorMessage ? `: ${q.errorMessage}` : ""}`)]);
  if (!lines.length) lines.push([who, t(" ran a query that read no governed view")]);
  return lines;
}
