import "server-only";
import {
  checkFragment,
  compile,
  normalizeType,
  PolicyCompileError,
  quoteIdent,
  quoteLiteral,
  substituteFragment,
  tagCovers,
  tokenize,
  TypeParseError,
  type CompileResult,
  type DataSourceInput,
  type MacroValues,
  type PolicyInput,
  type UserContext,
} from "@/lib/policy";
import { policyCreateSchema, type PolicyCreateInput } from "@/lib/validations/policy";
import { UpstreamError, ValidationError } from "./errors";
import type { Tx } from "./governance";
import { getIntegrationSettings } from "./integration";
import { callTrino, TrinoRefusedError, TrinoUnreachableError, type TrinoRows } from "./trino-client";
import { dataSourceInclude, toDataSourceInput } from "./view-api";

// Validation at save (issue 4 item 7): the SQL a policy puts into views is checked against real Trino, as
// the service user, before anything is written. What is checked:
//
// - every policy: compiled alone (its `who` widened to everyone) for each affected data source; any compiler
//   fallback it causes is an error (a rejected fragment, a missing column, a method that cannot apply to a
//   column the policy names). Tag-targeted masks may meet columns a method cannot apply to: that is the
//   model's documented fallback to NULL, not an error.
// - CUSTOM expressions, cell predicates (`onlyWhere`) and WHERE filters: run through Trino on a sample of at
//   most 100 rows of each affected table, each on its own lines so Trino's `line:column` maps back to the
//   governor's text (macros and {col} substituted for a sample user). Predicates must be boolean. The type
//   Trino reports for a CUSTOM expression is returned as `customType` (one type across all masked columns).
// - REGEX patterns and replacements: `regexp_replace` run on '' and on the sample (through the compiled view).
// - CONSTANT values: the cast the compiler chose (`CAST('v' AS <column type>)`) evaluated by Trino.
// - finally the compiled view itself: masks run on the sample (`LIMIT 100`), row filters `EXPLAIN (TYPE VALIDATE)`.
//
// Trino unreachable (refused, timeout, HTTP error): nothing is saved, UpstreamError (HTTP 502, the console's
// "a dependency failed" status): the input is not known to be wrong (so not 422), and saving unvalidated SQL
// could put a view into a failing state for every user. Policies without governor-written SQL (NULL, REDACT,
// HASH, SHOW_*, ROUND, MATCH_*, TIME_WINDOW, MINIMIZE, PURPOSE_RESTRICT) need no Trino and always save.
//
// A GLOBAL policy whose tag no active data source carries yet (or more than MAX_SOURCES do) cannot show that a
// table its SQL reads is the data source's own: any query in its SQL (SELECT, TABLE: reserved words) is
// refused, statically; the rest gets a syntax check. When a tag reaches a data source later (registration,
// re-sync, re-enabling), validateGlobalPoliciesFor runs every GLOBAL policy on it through the same checks.
//
// Limits: at most MAX_SOURCES affected data sources are checked (in schema.name order); runtime errors on rows
// outside the sample are not found (those views fail closed at query time).

export const MAX_SOURCES = 20;
const SAMPLE_ROWS = 100;
const VALIDATION_USER = "steward_validation";
const VALIDATION_KEY = "steward-validation-key";

export interface PolicyValidation {
  /** CUSTOM masks: the type Trino reports for the expression (undefined when no column was there to ask) */
  customType?: string;
  /** the data sources checked, `schema.name` */
  checked: string[];
}

interface Issue {
  field: string;
  message: string;
}

class Issues {
  readonly list: Issue[] = [];
  add(field: string, message: string) {
    if (!this.list.some((i) => i.field === field && i.message === message)) this.list.push({ field, message });
  }
  throwIfAny(summary = "Trino rejected the policy's SQL.") {
    if (this.list.length === 0) return;
    const fieldErrors: Record<string, string[]> = {};
    for (const i of this.list) (fieldErrors[i.field] ??= []).push(i.message);
    const first = this.list[0]!;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : "";
    throw new ValidationError(`${summary} ${first.field}: ${first.message}${more}`, fieldErrors);
  }
}

/**
 * Whether a governor-written expression contains a query, which could read any table: SELECT and TABLE are
 * reserved words in Trino, so unquoted they can only start one (`(SELECT ...)`, `EXISTS (...)`, `IN (TABLE t)`).
 */
export function containsQuery(sql: string): boolean {
  return tokenize(sql).some((t) => t.kind === "ident" && /^(select|table)$/i.test(t.text));
}

/** The governor-written SQL of a policy: [field, text, whether {col} is allowed]. */
function fragmentsOf(policy: PolicyCreateInput): [string, string, boolean][] {
  const a = policy.action;
  const frags: [string, string, boolean][] = [];
  if (a.type === "MASK") {
    if (a.mask.method === "CUSTOM") frags.push(["action.mask.sql", a.mask.sql, true]);
    if (a.onlyWhere !== undefined) frags.push(["action.onlyWhere", a.onlyWhere, true]);
  } else if (a.filter.kind === "WHERE") {
    frags.push(["action.filter.sql", a.filter.sql, false]);
  }
  return frags;
}

/** The data sources a policy applies to: its own (LOCAL), or every active one carrying its tag (GLOBAL). */
export async function loadAffectedDataSources(db: Tx, p: Pick<PolicyCreateInput, "scope" | "dataSourceId" | "tag">): Promise<DataSourceInput[]> {
  if (p.scope === "LOCAL") {
    const ds = await db.dataSource.findUnique({ where: { id: p.dataSourceId! }, include: dataSourceInclude });
    return ds ? [toDataSourceInput(ds)] : [];
  }
  const rows = await db.dataSource.findMany({
    where: { status: "ACTIVE" },
    include: dataSourceInclude,
    orderBy: [{ governedSchema: "asc" }, { name: "asc" }],
  });
  return rows
    .map(toDataSourceInput)
    .filter((ds) => [...ds.tags, ...ds.columns.flatMap((c) => c.tags)].some((t) => tagCovers(p.tag!, t)));
}

/** A user for whom the policy's macros have plausible values (the SQL's shape does not depend on them). */
function sampleUser(policy: PolicyCreateInput): UserContext {
  const user: UserContext = { username: VALIDATION_USER, groups: [], attributes: {}, purposes: [] };
  if (policy.who.type !== "ONLY") return user;
  for (const t of policy.who.condition.terms) {
    if (t.kind === "user") user.username = t.username;
    else if (t.kind === "group") user.groups.push(t.group);
    else if (t.kind === "purpose") user.purposes.push(t.purpose);
    else (user.attributes[t.key] ??= []).push(t.value);
  }
  return user;
}

function asInput(policy: PolicyCreateInput, customType?: string): PolicyInput {
  return {
    id: "validation",
    name: policy.name,
    scope: policy.scope,
    ...(policy.dataSourceId ? { dataSourceId: policy.dataSourceId } : {}),
    ...(policy.tag ? { tag: policy.tag } : {}),
    who: { type: "EVERYONE" },
    action: policy.action,
    ...(customType ? { customType } : {}),
    createdAt: "2000-01-01T00:00:00.000Z",
  };
}

const viewName = (ds: DataSourceInput) => `${ds.governedSchema}.${ds.name}`;
const backingOf = (ds: DataSourceInput) => [ds.backing.catalog, ds.backing.schema, ds.backing.table].map(quoteIdent).join(".");

function needsTrino(policy: PolicyCreateInput): boolean {
  const a = policy.action;
  if (a.type === "MASK") return a.onlyWhere !== undefined || ["CUSTOM", "REGEX", "CONSTANT"].includes(a.mask.method);
  return a.filter.kind === "WHERE";
}

/** Which field of the policy a compiler fallback note is about. */
function fallbackField(policy: PolicyCreateInput, note: string): string {
  const a = policy.action;
  if (a.type === "MASK") {
    if (/cell predicate/.test(note)) return "action.onlyWhere";
    if (/CUSTOM/.test(note)) return "action.mask.sql";
    if (/n must be|without n/.test(note)) return "action.mask.n";
    if (/unit|has no hour/.test(note)) return "action.mask.unit";
    if (/cannot apply/.test(note)) return "action.target";
    return "action.mask";
  }
  if (/WHERE expression/.test(note)) return "action.filter.sql";
  if (/key column/.test(note)) return "action.filter.keyColumns";
  if (/percent/.test(note)) return "action.filter.percent";
  if (/time window/.test(note)) return "action.filter.amount";
  return "action.filter.column";
}

// ---------------------------------------------------------------------------------------------------------
// Fragments placed on their own lines, with a map back to the governor's text
// ---------------------------------------------------------------------------------------------------------

interface Segment {
  outStart: number;
  outLen: number;
  origStart: number;
  /** the text was copied (positions inside map 1:1), not a substituted macro or {col} */
  copied: boolean;
}

interface Placed {
  field: string;
  /** what the expression is evaluated for, for messages: "hr.employees, column email" */
  where: string;
  /** the governor's text */
  original: string;
  /** as sent to Trino */
  text: string;
  segments: Segment[];
  /** 1-based line of the probe where `text` starts (at column 1) */
  line: number;
  kind: "custom" | "predicate";
  column?: string;
}

function substituteMapped(sql: string, allowPlaceholder: boolean, macros: MacroValues, column?: string): { text: string; segments: Segment[] } | null {
  const check = checkFragment(sql, { allowPlaceholder });
  if (!check.ok) return null;
  const tokens = check.tokens;
  let text = "";
  const segments: Segment[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    let j = k;
    if (t.kind === "macro" && t.text.toLowerCase() === "@attribute") {
      while (j < tokens.length && !(tokens[j]!.kind === "op" && tokens[j]!.text === ")")) j++;
    }
    const substituted = t.kind === "macro" || t.kind === "placeholder";
    const piece = substituted ? substituteFragment(tokens.slice(k, j + 1), macros, column) : t.text;
    segments.push({ outStart: text.length, outLen: piece.length, origStart: t.start, copied: !substituted });
    text += piece;
    k = j;
  }
  return { text, segments };
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let off = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i]!.length + 1;
  return Math.min(off + column - 1, text.length);
}

/** Trino's (line, column) in the probe -> the fragment it falls in and the position in the governor's text. */
function locate(placed: Placed[], loc: { line: number; column: number }): { p: Placed; line: number; column: number } | undefined {
  for (const p of placed) {
    const lines = p.text.split("\n").length;
    // the line of the closing parenthesis: Trino expected more (`{col} +`): the end of the expression
    if (loc.line === p.line + lines) return { p, ...lineCol(p.original, p.original.length) };
    if (loc.line < p.line || loc.line > p.line + lines) continue;
    const outOff = offsetOf(p.text, loc.line - p.line + 1, loc.column);
    const seg = p.segments.find((s) => outOff >= s.outStart && outOff < s.outStart + s.outLen) ?? p.segments[p.segments.length - 1];
    const origOff = seg ? (seg.copied ? seg.origStart + (outOff - seg.outStart) : seg.origStart) : 0;
    return { p, ...lineCol(p.original, Math.min(origOff, p.original.length)) };
  }
  return undefined;
}

const stripLocation = (message: string) => message.replace(/^line \d+:\d+: /, "");

function describeProbeError(e: TrinoRefusedError, placed: Placed[]): Issue | undefined {
  const at = (e.location ? locate(placed, e.location) : undefined) ?? (placed.length === 1 ? { p: placed[0]!, line: 0, column: 0 } : undefined);
  if (!at) return undefined;
  const pos = at.line > 0 ? `line ${at.line}, column ${at.column}: ` : "";
  return { field: at.p.field, message: `Trino: ${pos}${stripLocation(e.trinoMessage)} [${e.errorName}] (on ${at.p.where})` };
}

function buildProbe(placed: Placed[], from: string): string {
  let sql = "SELECT";
  let line = 2;
  placed.forEach((p, i) => {
    sql += `${i === 0 ? "" : ","}\n(\n`;
    line += 1; // the "(" line
    p.line = line;
    sql += `${p.text}\n) AS "e${i}"`;
    line += p.text.split("\n").length + 1;
  });
  return `${sql}\nFROM ${from}`;
}

// ---------------------------------------------------------------------------------------------------------
// The entry point
// ---------------------------------------------------------------------------------------------------------

/**
 * One statement as the service user, with exact datetime types (the type recorded for a CUSTOM mask must be the
 * one a view declares: without PARAMETRIC_DATETIME Trino says "timestamp" for timestamp(3)).
 */
async function probe(sql: string): Promise<TrinoRows> {
  const { trinoUrl, serviceUser } = await getIntegrationSettings();
  try {
    return await callTrino({ server: trinoUrl, user: serviceUser, sql, source: "steward-policy-validation", timeoutMs: 20_000, parametricDatetime: true });
  } catch (e) {
    if (e instanceof TrinoUnreachableError) {
      throw new UpstreamError(`${e.message}, so the policy's SQL cannot be checked. Nothing was saved: try again when Trino is up.`);
    }
    throw e;
  }
}

/**
 * Checks a policy about to be saved against real Trino (see the header). Throws ValidationError (422) naming
 * the field and Trino's message, or UpstreamError (502) when Trino cannot be asked. Writes nothing.
 */
export async function validatePolicyInTrino(
  policy: PolicyCreateInput,
  affected: DataSourceInput[],
  /** re-validating a saved CUSTOM mask: the type it recorded, which its views cast to */
  opts: { customType?: string } = {},
): Promise<PolicyValidation> {
  const issues = new Issues();
  const user = sampleUser(policy);
  const macros: MacroValues = { username: user.username, groups: user.groups, attributes: user.attributes, purposes: user.purposes };
  const sources = affected.slice(0, MAX_SOURCES);
  const action = policy.action;

  // 1. the compiler's own verdict, per data source: which columns it masks, and any fallback it had to take
  const compiled = new Map<DataSourceInput, CompileResult>();
  for (const ds of sources) {
    let r: CompileResult;
    try {
      r = compile(ds, [asInput(policy)], user, { hashKey: VALIDATION_KEY });
    } catch (e) {
      if (!(e instanceof PolicyCompileError)) throw e;
      issues.add("action", `${e.message} (on ${viewName(ds)})`);
      continue;
    }
    compiled.set(ds, r);
    if (action.type === "MASK") {
      const tagTarget = "tag" in action.target;
      if (!tagTarget && policy.scope === "LOCAL") {
        const names = new Set(ds.columns.map((c) => c.name.toLowerCase()));
        for (const c of (action.target as { columns: string[] }).columns) {
          if (!names.has(c.toLowerCase())) issues.add("action.target.columns", `${viewName(ds)} has no column '${c}'`);
        }
      }
      for (const [col, a] of Object.entries(r.applied.columns)) {
        if (a.fallback === undefined) continue;
        if (tagTarget && /cannot apply to/.test(a.fallback) && !/cell predicate/.test(a.fallback)) continue;
        issues.add(fallbackField(policy, a.fallback), `${a.fallback} (on ${viewName(ds)}, column ${col})`);
      }
    } else {
      for (const f of r.applied.rowFilters) {
        if (f.fallback !== undefined) issues.add(fallbackField(policy, f.fallback), `${f.fallback} (on ${viewName(ds)})`);
      }
    }
  }
  issues.throwIfAny("The policy does not fit its data source.");
  if (!needsTrino(policy)) return { checked: sources.map(viewName) };

  // 2. table-free checks: regex syntax, and a syntax-only check when no table is there to run against
  if (action.type === "MASK" && action.mask.method === "REGEX") {
    try {
      await probe(`SELECT regexp_replace('', ${quoteLiteral(action.mask.pattern)}, ${quoteLiteral(action.mask.replacement)})`);
    } catch (e) {
      if (!(e instanceof TrinoRefusedError)) throw e;
      issues.add(/replacement/i.test(e.trinoMessage) ? "action.mask.replacement" : "action.mask.pattern", `Trino: ${e.trinoMessage} [${e.errorName}]`);
    }
  }
  if (policy.scope === "GLOBAL" && (sources.length === 0 || affected.length > MAX_SOURCES)) {
    const why =
      sources.length === 0
        ? `no active data source carries tag ${policy.tag} yet, so no table it reads can be its own`
        : `more than ${MAX_SOURCES} data sources carry tag ${policy.tag}, so no table it reads can be shown to be their own`;
    for (const [field, sql] of fragmentsOf(policy)) {
      if (containsQuery(sql)) issues.add(field, `reads a table (it contains a query): ${why}; an expression may use only the columns of its data source, no other table`);
    }
    issues.throwIfAny();
  }
  if (sources.length === 0) {
    await syntaxOnly(policy, macros, issues);
    issues.throwIfAny();
    return { checked: [] };
  }

  // 3. governor-written fragments, on a sample of each affected table
  const customTypes = new Map<string, string[]>();
  for (const ds of sources) {
    const r = compiled.get(ds)!;
    const placed: Placed[] = [];
    const place = (field: string, original: string, allowPlaceholder: boolean, kind: Placed["kind"], column?: string) => {
      const m = substituteMapped(original, allowPlaceholder, macros, column);
      if (!m) return; // the zod schema rejects these before we get here
      placed.push({ field, where: `${viewName(ds)}${column ? `, column ${column}` : ""}`, original, ...m, line: 0, kind, column });
    };
    if (action.type === "MASK") {
      for (const col of Object.keys(r.applied.columns)) {
        if (action.mask.method === "CUSTOM") place("action.mask.sql", action.mask.sql, true, "custom", col);
        if (action.onlyWhere !== undefined) place("action.onlyWhere", action.onlyWhere, true, "predicate", col);
      }
    } else if (action.filter.kind === "WHERE") {
      place("action.filter.sql", action.filter.sql, false, "predicate");
    }
    if (placed.length === 0) continue;
    const sample = `(SELECT * FROM ${backingOf(ds)} LIMIT ${SAMPLE_ROWS}) AS "steward_sample"`;
    // the view runs as the service user, who reads every backing table: an expression may read no table but
    // its own (a subquery on another table would hand its data to whoever sees this view)
    const foreign = await foreignTables(buildProbe(placed, sample), ds);
    if (foreign.length > 0) {
      for (const p of placed) {
        const own = await foreignTables(buildProbe([p], sample), ds);
        if (own.length > 0) issues.add(p.field, `reads ${own.join(", ")}: an expression may use only the columns of ${viewName(ds)}, no other table`);
      }
      continue;
    }
    let res;
    try {
      res = await probe(buildProbe(placed, sample));
    } catch (e) {
      if (!(e instanceof TrinoRefusedError)) throw e;
      const issue = describeProbeError(e, placed) ?? (await culprit(placed, sample));
      if (issue) issues.add(issue.field, issue.message);
      else issues.add("action", `Trino: ${stripLocation(e.trinoMessage)} [${e.errorName}] (on ${viewName(ds)})`);
      continue;
    }
    placed.forEach((p, i) => {
      const reported = res.columns[i]?.type ?? "unknown";
      let type = reported;
      try {
        type = normalizeType(reported);
      } catch {
        // kept as reported; rejected below as no usable type
      }
      if (p.kind === "predicate" && type !== "boolean" && type !== "unknown") {
        issues.add(p.field, `must be a condition (boolean), but Trino reports the type ${type} (on ${p.where})`);
      }
      if (p.kind === "custom") (customTypes.get(type) ?? customTypes.set(type, []).get(type)!).push(p.where);
    });
  }
  issues.throwIfAny();

  let customType: string | undefined = opts.customType;
  if (customType === undefined && action.type === "MASK" && action.mask.method === "CUSTOM" && customTypes.size > 0) {
    if (customTypes.size > 1) {
      const list = [...customTypes].map(([t, w]) => `${t} on ${w.join("; ")}`).join(" vs ");
      issues.add("action.mask.sql", `the expression's type differs by column (${list}): wrap it in CAST(... AS <type>)`);
    } else {
      const [type] = [...customTypes.keys()];
      try {
        if (type === "unknown") throw new TypeParseError("unknown");
        customType = normalizeType(type!);
      } catch {
        issues.add("action.mask.sql", `Trino reports no usable type (${type}) for the expression: write CAST(... AS <type>)`);
      }
    }
  }
  issues.throwIfAny();

  // 4. constants: the casts the compiler chose, evaluated by Trino
  if (action.type === "MASK" && action.mask.method === "CONSTANT") {
    const value = action.mask.value;
    const types = new Set<string>();
    for (const r of compiled.values()) {
      for (const col of Object.keys(r.applied.columns)) {
        const t = r.columns.find((c) => c.name === col)?.type;
        if (t && t !== "varchar" && t !== "boolean") types.add(t);
      }
    }
    if (types.size > 0) {
      try {
        await probe(`SELECT ${[...types].map((t) => `CAST(${quoteLiteral(value)} AS ${t})`).join(", ")}`);
      } catch (e) {
        if (!(e instanceof TrinoRefusedError)) throw e;
        issues.add("action.mask.value", `Trino: ${stripLocation(e.trinoMessage)} [${e.errorName}]`);
      }
    }
  }

  // 5. the compiled views themselves, with the recorded CUSTOM type
  const field =
    action.type === "ROW_FILTER"
      ? "action.filter.sql"
      : action.mask.method === "CUSTOM"
        ? "action.mask.sql"
        : action.mask.method === "REGEX"
          ? "action.mask.pattern"
          : action.mask.method === "CONSTANT"
            ? "action.mask.value"
            : "action.onlyWhere";
  for (const ds of sources) {
    const r = customType ? compile(ds, [asInput(policy, customType)], user, { hashKey: VALIDATION_KEY }) : compiled.get(ds)!;
    const sql = action.type === "ROW_FILTER" ? `EXPLAIN (TYPE VALIDATE) ${r.sql}` : `SELECT * FROM (${r.sql}) AS "v" LIMIT ${SAMPLE_ROWS}`;
    try {
      await probe(sql);
    } catch (e) {
      if (!(e instanceof TrinoRefusedError)) throw e;
      const f = field === "action.mask.pattern" && /replacement/i.test(e.trinoMessage) ? "action.mask.replacement" : field;
      issues.add(f, `Trino: ${stripLocation(e.trinoMessage)} [${e.errorName}] (the compiled view of ${viewName(ds)}, on a sample of its rows)`);
    }
  }
  issues.throwIfAny();
  return { ...(customType ? { customType } : {}), checked: sources.map(viewName) };
}

/** The tables a statement reads, per Trino's EXPLAIN (TYPE IO); null when Trino cannot analyse it. */
async function tablesRead(sql: string): Promise<string[] | null> {
  let res;
  try {
    res = await probe(`EXPLAIN (TYPE IO, FORMAT JSON) ${sql}`);
  } catch (e) {
    // a statement Trino cannot analyse is reported by the probe itself
    if (e instanceof TrinoRefusedError) return null;
    throw e;
  }
  const io = JSON.parse(String(res.rows[0]?.[0] ?? "{}")) as {
    inputTableColumnInfos?: { table: { catalog: string; schemaTable: { schema: string; table: string } } }[];
  };
  return (io.inputTableColumnInfos ?? []).map((i) => `${i.table.catalog}.${i.table.schemaTable.schema}.${i.table.schemaTable.table}`.toLowerCase());
}

/**
 * Tables a probe reads beyond what reading the data source itself reads (its backing table, or the tables
 * under it when it is a view).
 */
async function foreignTables(sql: string, ds: DataSourceInput): Promise<string[]> {
  const read = await tablesRead(sql);
  if (read === null || read.length === 0) return [];
  const own = new Set([[ds.backing.catalog, ds.backing.schema, ds.backing.table].join(".").toLowerCase()]);
  if (read.some((t) => !own.has(t))) for (const t of (await tablesRead(`SELECT * FROM ${backingOf(ds)}`)) ?? []) own.add(t);
  return [...new Set(read.filter((t) => !own.has(t)))].sort();
}

/** Several fragments and an error without a position (a failure on the sample's data): find which one. */
async function culprit(placed: Placed[], from: string): Promise<Issue | undefined> {
  if (placed.length < 2) return undefined;
  for (const p of placed) {
    try {
      await probe(buildProbe([p], from));
    } catch (e) {
      if (!(e instanceof TrinoRefusedError)) throw e;
      return describeProbeError(e, [p]);
    }
  }
  return undefined;
}

/** No affected data source yet: only what needs no table (syntax, function names) can be checked. */
async function syntaxOnly(policy: PolicyCreateInput, macros: MacroValues, issues: Issues): Promise<void> {
  for (const [field, original, allowPlaceholder] of fragmentsOf(policy)) {
    const m = substituteMapped(original, allowPlaceholder, macros, "steward_column");
    if (!m) continue;
    const placed: Placed = { field, where: "no data source yet", original, ...m, line: 0, kind: "predicate" };
    try {
      await probe(`EXPLAIN (TYPE VALIDATE) ${buildProbe([placed], "(VALUES 1) AS t(steward_column)")}`);
    } catch (e) {
      if (!(e instanceof TrinoRefusedError)) throw e;
      // without the table, only a syntax error is certain
      if (e.errorName !== "SYNTAX_ERROR") continue;
      const issue = describeProbeError(e, [placed]);
      if (issue) issues.add(issue.field, issue.message);
    }
  }
}

/**
 * A tag is about to reach a data source (registration, re-sync, re-enabling): every GLOBAL policy on a tag it
 * or its columns carry is run through validatePolicyInTrino for it, a CUSTOM mask with the type it recorded.
 * Throws ValidationError (422) naming the first policy that does not fit (field `tags` when a table tag brought
 * it, `columnTags` when a column tag did), or UpstreamError (502) when Trino is needed and cannot be asked.
 */
export async function validateGlobalPoliciesFor(db: Tx, ds: DataSourceInput): Promise<void> {
  const columnTags = ds.columns.flatMap((c) => c.tags);
  if (ds.tags.length === 0 && columnTags.length === 0) return;
  const rows = await db.dataPolicy.findMany({
    where: { scope: "GLOBAL" },
    include: { tag: { select: { name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const problems: { policy: string; tag: string; field: "tags" | "columnTags"; message: string }[] = [];
  for (const row of rows) {
    const tag = row.tag?.name;
    if (!tag) continue;
    const onTable = ds.tags.find((t) => tagCovers(tag, t));
    const onColumn = columnTags.find((t) => tagCovers(tag, t));
    const carried = onTable ?? onColumn;
    if (carried === undefined) continue;
    const field = onTable !== undefined ? "tags" : "columnTags";
    const parsed = policyCreateSchema.safeParse({
      name: row.name,
      ...(row.description ? { description: row.description } : {}),
      scope: "GLOBAL",
      tag,
      who: row.who,
      action: row.action,
    });
    if (!parsed.success) {
      problems.push({ policy: row.name, tag: carried, field, message: "its stored definition no longer validates: fix or delete it first" });
      continue;
    }
    try {
      await validatePolicyInTrino(parsed.data, [ds], row.customType ? { customType: row.customType } : {});
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push({ policy: row.name, tag: carried, field, message: e.message });
    }
  }
  if (problems.length === 0) return;
  const say = (p: (typeof problems)[number]) => `Tag ${p.tag} carries the global policy "${p.policy}", which does not fit ${viewName(ds)}: ${p.message}`;
  const fieldErrors: Record<string, string[]> = {};
  for (const p of problems) (fieldErrors[p.field] ??= []).push(say(p));
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more polic${problems.length > 2 ? "ies" : "y"})` : "";
  throw new ValidationError(`${say(problems[0]!).replace(/\.$/, "")}${more}. Change the tags, or have a governor fix the policy.`, fieldErrors);
}
