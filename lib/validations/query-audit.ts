// Query audit (docs/architecture.md, "Query audit"): what the connector plugin's event listener posts per Trino
// query, and the filters of the auditors' Queries page and its export.
import { z } from "zod";
import { datedFilterSchema, filterQuery, filterText } from "./audit";
import { text } from "./text";

/** The user's SQL is kept up to this many characters (longer text is cut, and the record says so). */
export const MAX_QUERY_TEXT = 20_000;
/** Trino's error messages are kept up to this many characters. */
export const MAX_ERROR_MESSAGE = 4_000;

const name = text().trim().min(1).max(256);
const policyRef = { policyId: text().min(1).max(128), policyName: text().max(500) };
const fallback = text().max(2_000).optional();
const cut = (max: number) => (s: string) => (s.length > max ? s.slice(0, max) : s);

const appliedSchema = z.object({
  project: text().max(256).nullable().optional(),
  columns: z
    .record(text().min(1).max(256), z.object({ method: text().min(1).max(64), ...policyRef, fallback }))
    .refine((c) => Object.keys(c).length <= 5_000, "At most 5,000 masked columns per view."),
  rowFilters: z.array(z.object({ kind: text().min(1).max(64), ...policyRef, fallback })).max(1_000),
});

const viewSchema = z.object({
  catalog: name,
  schema: name,
  name: name,
  /** whether Trino read the view (it is among the query's tables), or only looked it up (DESCRIBE, SHOW ...) */
  read: z.boolean(),
  /** null: the console's answer said nothing about what applied (an older console) */
  applied: appliedSchema.nullable(),
});

const denialSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("UNKNOWN_USER"), catalog: name }),
  z.object({ kind: z.literal("NOT_VISIBLE"), catalog: name, schema: name, name: name }),
  /** Trino's access control refused a catalog, or a table (`schema.table`) in it */
  z.object({ kind: z.literal("BACKING_CATALOG"), catalog: name, table: text().max(600).optional(), message: text().max(MAX_ERROR_MESSAGE).transform(cut(MAX_ERROR_MESSAGE)).optional() }),
]);

const instant = text().datetime({ offset: true }).transform((s) => new Date(s));

/** One completed query, as the event listener posts it (unknown fields are ignored: a newer plugin may send more). */
export const queryEventSchema = z.object({
  queryId: text().regex(/^[A-Za-z0-9_.-]{1,128}$/, "A Trino query id: letters, digits, '_', '.', '-' (at most 128)."),
  user: name,
  principal: text().max(256).nullable().optional(),
  source: text().max(256).nullable().optional(),
  /** the session property `<catalog>.project` (empty: the user's current project) */
  project: text().max(256).nullable().optional(),
  epoch: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  state: z.enum(["SUCCEEDED", "FAILED"]),
  errorCode: text().max(128).nullable().optional(),
  errorMessage: text().max(1_000_000).transform(cut(MAX_ERROR_MESSAGE)).nullable().optional(),
  query: text().max(1_000_000),
  /** the listener cut the SQL before sending it */
  queryTruncated: z.boolean().optional(),
  createdAt: instant,
  endedAt: instant,
  views: z.array(viewSchema).max(1_000).default([]),
  denials: z.array(denialSchema).max(1_000).default([]),
});
export type QueryEventInput = z.input<typeof queryEventSchema>;
export type QueryEvent = z.output<typeof queryEventSchema>;
export type ViewDecision = z.output<typeof viewSchema>;
export type Denial = z.output<typeof denialSchema>;

export const queryAuditFilterSchema = datedFilterSchema({
  user: filterText,
  /** a data source id, or a governed `schema.name` */
  dataSource: filterText,
  /** a policy id, or a policy name (any case) */
  policy: filterText,
});
export type QueryAuditFilter = z.output<typeof queryAuditFilterSchema>;

/** The query string for a filter (page 1 omitted): pagination and export links keep the filters. */
export const queryAuditQuery = (f: Partial<QueryAuditFilter>, extra: Record<string, string | number | undefined> = {}): string =>
  filterQuery(["user", "dataSource", "policy", "from", "to"], f, extra);
