import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { describeQueryAudit, type DenialInput, type QueryRefs, type ViewDecisionInput } from "@/lib/audit/query-describe";
import { sentenceText, type Segment } from "@/lib/audit/describe";
import { auditDateRange } from "@/lib/validations/audit";
import { MAX_QUERY_TEXT, queryEventSchema, type QueryAuditFilter, type ViewDecision } from "@/lib/validations/query-audit";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { AppError, BadRequestError, ValidationError } from "./errors";
import { readJsonObject } from "./http-guards";
import { parseInput } from "./handlers";

// Query audit (docs/architecture.md, "Query audit"): the connector plugin's event listener posts one record per
// Trino query that read a governed view or was denied; auditors list, filter and export them. Not a governance
// write: no epoch bump, no AuditEvent. Records are idempotent on Trino's query id (the listener may retry).

/**
 * Stores one posted record; a query id already stored is left as it is (`recorded: false`).
 * @throws ValidationError for anything that is not a valid record
 */
export async function recordQueryEvent(body: unknown): Promise<{ recorded: boolean; queryId: string }> {
  const [result] = await recordQueryEvents([body]);
  if ("error" in result) throw result.error;
  return result;
}

/** Records the listener batches at most (`{"events": [...]}`). */
export const MAX_QUERY_EVENT_BATCH = 1000;

export type QueryEventResult = { queryId: string; recorded: boolean } | { queryId: string | null; error: ValidationError };

/**
 * Stores posted records in one statement: each valid one is recorded (or was already, `recorded: false`), each
 * invalid one answered with its error and stored not at all, in the order given.
 */
export async function recordQueryEvents(bodies: unknown[]): Promise<QueryEventResult[]> {
  const parsed = bodies.map((body): QueryEvent | ValidationError => {
    try {
      return parseInput(queryEventSchema, body);
    } catch (error) {
      if (error instanceof ValidationError) return error;
      throw error;
    }
  });
  const events = parsed.filter((e): e is QueryEvent => !(e instanceof ValidationError));
  const db = await getDb();
  const namesOf = (e: QueryEvent) =>
    [...new Set([...e.views.map((v) => `${v.schema}.${v.name}`), ...e.denials.flatMap((d) => (d.kind === "NOT_VISIBLE" ? [`${d.schema}.${d.name}`] : []))].map((n) => n.toLowerCase()))];
  const allNames = [...new Set(events.flatMap(namesOf))];
  const sources = allNames.length ? await db.dataSource.findMany({ where: byViewNames(allNames), select: { id: true, governedSchema: true, name: true } }) : [];
  const idOf = new Map(sources.map((s) => [`${s.governedSchema}.${s.name}`, s.id]));
  const created = events.length
    ? await db.queryAudit.createManyAndReturn({ data: events.map((e) => toRow(e, namesOf(e), idOf)), skipDuplicates: true, select: { queryId: true } })
    : [];
  const recorded = new Set(created.map((r) => r.queryId));
  return parsed.map((e, i) => {
    if (!(e instanceof ValidationError)) return { queryId: e.queryId, recorded: recorded.has(e.queryId) };
    const queryId = (bodies[i] as { queryId?: unknown } | null)?.queryId;
    return { queryId: typeof queryId === "string" ? queryId.slice(0, 128) : null, error: e };
  });
}

type QueryEvent = ReturnType<typeof queryEventSchema.parse>;

function toRow(e: QueryEvent, viewNames: string[], idOf: Map<string, string>): Prisma.QueryAuditCreateManyInput {
  const applied = e.views.flatMap((v) => (v.applied ? [...Object.values(v.applied.columns), ...v.applied.rowFilters] : []));
  const project = e.views.find((v) => v.applied?.project)?.applied?.project ?? (e.project?.trim() || null);
  return {
    queryId: e.queryId,
    username: e.user.toLowerCase(),
    principal: e.principal ?? null,
    source: e.source ?? null,
    project,
    epoch: e.epoch ?? null,
    state: e.state,
    errorCode: e.errorCode ?? null,
    errorMessage: e.errorMessage ?? null,
    query: e.query.length > MAX_QUERY_TEXT ? e.query.slice(0, MAX_QUERY_TEXT) : e.query,
    queryTruncated: e.query.length > MAX_QUERY_TEXT || e.queryTruncated === true,
    views: storedViews(e.views) as unknown as Prisma.InputJsonValue,
    denials: e.denials as unknown as Prisma.InputJsonValue,
    viewNames,
    dataSourceIds: viewNames.flatMap((n) => idOf.get(n) ?? []),
    policyIds: [...new Set(applied.map((a) => a.policyId))],
    policyNames: [...new Set(applied.map((a) => a.policyName.toLowerCase()))],
    createdAt: e.createdAt,
    endedAt: e.endedAt,
  };
}

/**
 * The views as stored: each view's masked columns as an array in the order the console listed them (column order),
 * since PostgreSQL's jsonb does not keep the order of an object's keys.
 */
function storedViews(views: ViewDecision[]) {
  return views.map((v) => ({
    ...v,
    applied: v.applied && {
      project: v.applied.project ?? null,
      columns: Object.entries(v.applied.columns).map(([column, m]) => ({ column, ...m })),
      rowFilters: v.applied.rowFilters,
    },
  }));
}

function whereOf(f: Partial<QueryAuditFilter>): Prisma.QueryAuditWhereInput {
  const range = auditDateRange(f);
  const and: Prisma.QueryAuditWhereInput[] = [];
  if (f.user) and.push({ username: f.user.trim().toLowerCase() });
  if (f.dataSource) and.push({ OR: [{ dataSourceIds: { has: f.dataSource } }, { viewNames: { has: f.dataSource.toLowerCase() } }] });
  if (f.policy) and.push({ OR: [{ policyIds: { has: f.policy } }, { policyNames: { has: f.policy.toLowerCase() } }] });
  if (range.gte || range.lt) and.push({ createdAt: range });
  return and.length ? { AND: and } : {};
}

/** Data sources by governed `schema.name` (lower-case). */
const byViewNames = (names: string[]) => ({ OR: names.map((n) => ({ governedSchema: n.slice(0, n.indexOf(".")), name: n.slice(n.indexOf(".") + 1) })) });

type Row = Awaited<ReturnType<Awaited<ReturnType<typeof getDb>>["queryAudit"]["findMany"]>>[number];

async function resolveRefs(rows: Row[]): Promise<QueryRefs> {
  const db = await getDb();
  const names = [...new Set(rows.flatMap((r) => r.viewNames))];
  const policyIds = [...new Set(rows.flatMap((r) => r.policyIds))];
  const refused = [...new Set(rows.flatMap((r) => (r.denials as unknown as DenialInput[]).flatMap((d) => (d.kind === "BACKING_CATALOG" ? [d.catalog] : []))))];
  const [sources, policies, backing] = await Promise.all([
    names.length
      ? db.dataSource.findMany({
          where: byViewNames(names),
          select: { id: true, governedSchema: true, name: true },
        })
      : [],
    policyIds.length ? db.dataPolicy.findMany({ where: { id: { in: policyIds } }, select: { id: true } }) : [],
    refused.length ? db.dataSource.findMany({ where: { backingCatalog: { in: refused } }, distinct: ["backingCatalog"], select: { backingCatalog: true } }) : [],
  ]);
  return {
    dataSources: new Map(sources.map((s) => [`${s.governedSchema}.${s.name}`, s.id])),
    policies: new Set(policies.map((p) => p.id)),
    backingCatalogs: new Set(backing.map((b) => b.backingCatalog)),
  };
}

function described(row: Row, refs: QueryRefs): Segment[][] {
  return describeQueryAudit(
    {
      username: row.username,
      state: row.state,
      errorMessage: row.errorMessage,
      views: row.views as unknown as ViewDecisionInput[],
      denials: row.denials as unknown as DenialInput[],
    },
    refs,
  );
}

/** Newest first (by the time Trino created the query), filtered by user, data source, policy and a UTC date range. */
export async function listQueryAudits(actor: Actor, opts: Partial<QueryAuditFilter> & { pageSize?: number } = {}) {
  requireRole(actor, ["AUDITOR"]);
  const db = await getDb();
  const pageSize = Math.min(Math.max(opts.pageSize ?? 50, 1), 200);
  const page = Math.max(opts.page ?? 1, 1);
  const where = whereOf(opts);
  const [total, rows] = await Promise.all([
    db.queryAudit.count({ where }),
    db.queryAudit.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  const refs = await resolveRefs(rows);
  return { total, page, pageSize, records: rows.map((r) => ({ ...r, lines: described(r, refs) })) };
}

/** What the filter form offers: the users seen in records, the data sources and policies that exist now. */
export async function queryAuditFacets(actor: Actor) {
  requireRole(actor, ["AUDITOR"]);
  const db = await getDb();
  const [users, dataSources, policies] = await Promise.all([
    db.queryAudit.findMany({ distinct: ["username"], select: { username: true }, orderBy: { username: "asc" }, take: 1_000 }),
    db.dataSource.findMany({ select: { id: true, governedSchema: true, name: true }, orderBy: [{ governedSchema: "asc" }, { name: "asc" }] }),
    db.dataPolicy.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    users: users.map((u) => u.username),
    dataSources: dataSources.map((d) => ({ id: d.id, name: `${d.governedSchema}.${d.name}` })),
    policies,
  };
}

const CSV_COLUMNS = [
  "queryId",
  "createdAt",
  "endedAt",
  "receivedAt",
  "user",
  "principal",
  "source",
  "project",
  "epoch",
  "state",
  "errorCode",
  "errorMessage",
  "summary",
  "views",
  "denials",
  "query",
  "queryTruncated",
] as const;

/** One export record: the stored row, plus the summary in words. */
function exportRecord(row: Row, refs: QueryRefs): Record<(typeof CSV_COLUMNS)[number], unknown> {
  return {
    queryId: row.queryId,
    createdAt: row.createdAt.toISOString(),
    endedAt: row.endedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    user: row.username,
    principal: row.principal,
    source: row.source,
    project: row.project,
    epoch: row.epoch,
    state: row.state,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    summary: described(row, refs).map(sentenceText).join("\n"),
    views: row.views,
    denials: row.denials,
    query: row.query,
    queryTruncated: row.queryTruncated,
  };
}

/** A CSV cell (RFC 4180); text a spreadsheet would run as a formula starts with a quote mark. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const EXPORT_BATCH = 500;

/**
 * Every matching record, newest first, as CSV (a header row, then one row per record) or JSON lines (one object
 * per line), streamed in batches so an export of any size holds one batch in memory.
 */
export async function exportQueryAudits(actor: Actor, filter: Partial<QueryAuditFilter>, format: "csv" | "jsonl"): Promise<ReadableStream<Uint8Array>> {
  requireRole(actor, ["AUDITOR"]);
  const db = await getDb();
  const where = whereOf(filter);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (format === "csv" && !headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_COLUMNS.join(",") + "\r\n"));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const rows = await db.queryAudit.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: EXPORT_BATCH,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      if (rows.length < EXPORT_BATCH) done = true;
      if (!rows.length) {
        controller.close();
        return;
      }
      cursor = rows[rows.length - 1]!.id;
      const refs = await resolveRefs(rows);
      const lines = rows.map((r) => {
        const rec = exportRecord(r, refs);
        return format === "csv" ? CSV_COLUMNS.map((c) => csvCell(rec[c])).join(",") + "\r\n" : JSON.stringify(rec) + "\n";
      });
      controller.enqueue(encoder.encode(lines.join("")));
    },
  });
}

/** Bytes a posted batch may hold (a record's query text is at most 20,000 characters). */
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/**
 * The query-events route: one record (`{"recorded", "queryId"}`, 400 when it is not valid) or a batch
 * `{"events": [...]}` (`{"results": [...]}`, each `{queryId, recorded}` or `{queryId, error}`; 400 only when the
 * body is not such a batch). Anything that is not valid is a 400, never a 500.
 */
export async function postQueryEvents(req: Request): Promise<object> {
  let body: Record<string, unknown>;
  try {
    body = await readJsonObject(req, { limit: MAX_BATCH_BYTES });
  } catch (error) {
    if (error instanceof AppError && error.status === 422) throw new BadRequestError(error.message);
    throw error;
  }
  if (!("events" in body)) {
    const [result] = await recordQueryEvents([body]);
    if ("error" in result) throw new BadRequestError(result.error.message);
    return result;
  }
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_QUERY_EVENT_BATCH || Object.keys(body).length !== 1) {
    throw new BadRequestError(`A batch is {"events": [...]} with 1 to ${MAX_QUERY_EVENT_BATCH} records.`);
  }
  const results = await recordQueryEvents(events);
  return { results: results.map((r) => ("error" in r ? { queryId: r.queryId, error: r.error.message } : r)) };
}
