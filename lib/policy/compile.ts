// The policy compiler: (data source, policies, user) -> the view SQL one user sees, its declared column types,
// and which policy caused what. Pure and deterministic: no I/O, no clock, no randomness; the same input gives
// byte-identical output.
//
// Which policies apply to a data source:
// - LOCAL: `dataSourceId === ds.id`.
// - GLOBAL: its scope `tag` equals, or is a dot-separated ancestor of, a tag on the table or on any column.
// - Mask targets then pick columns: `{columns}` by name (case-insensitive; absent names are ignored), `{tag}`
//   the columns carrying that tag or a descendant. A TABLE tag never selects columns for a tag-targeted mask:
//   masks are column decisions, so a table tagged `PII` brings in the data source (row filters, column-name
//   masks of GLOBAL policies scoped to `PII`) but masks only the columns that themselves carry `PII[.x]`.
// - and the policy's `who` applies to the user. Conflicts are resolved among the policies that apply to
//   this user only (a LOCAL mask that does not apply to her does not shield a column from a GLOBAL one).
//
// Mask conflicts (one mask per column): LOCAL before GLOBAL; among GLOBAL the deeper tag first (the target
// tag for tag-targeted masks, else the scope tag); then earlier createdAt; then smaller id.
// Row filters: all ANDed, in (createdAt, id) order.
import { appliesTo } from "./conditions";
import { matchValues } from "./literals";
import {
  arrayLiteral,
  castsToVarchar,
  checkFragment,
  decimalPrecisionScale,
  doubleLiteral,
  formatType,
  numberParam,
  parseType,
  quoteIdent,
  quoteLiteral,
  sortedUnique,
  substituteFragment,
  typeClass,
  TypeParseError,
  type FragmentCheck,
  type MacroValues,
  type TrinoType,
} from "./sql";
import type {
  AppliedMask,
  AppliedRowFilter,
  CompileOptions,
  CompileResult,
  DataSourceInput,
  MaskAction,
  PolicyInput,
  PolicyRef,
  RowFilter,
  UserContext,
} from "./types";

export class PolicyCompileError extends Error {
  override name = "PolicyCompileError";
}

interface Col {
  index: number;
  name: string;
  lname: string;
  q: string;
  t: TrinoType;
  tt: string;
  tags: string[];
}

interface MaskCandidate {
  policy: PolicyInput;
  action: MaskAction;
  local: boolean;
  depth: number;
  order: number;
}

interface Expr {
  expr: string;
  type: string;
  fallback?: string;
}

/** `ancestor` is `tag` or one of its dot-separated ancestors. */
export function tagCovers(ancestor: string, tag: string): boolean {
  return tag === ancestor || (tag.length > ancestor.length && tag.startsWith(ancestor) && tag[ancestor.length] === ".");
}

const tagDepth = (tag: string): number => tag.split(".").length;

const typeCache = new Map<string, { t: TrinoType; tt: string } | null>();
function parseTypeCached(text: string): { t: TrinoType; tt: string } | null {
  let r = typeCache.get(text);
  if (r === undefined) {
    try {
      const t = parseType(text);
      r = { t, tt: formatType(t) };
    } catch (e) {
      if (!(e instanceof TypeParseError)) throw e;
      r = null;
    }
    if (typeCache.size > 10_000) typeCache.clear();
    typeCache.set(text, r);
  }
  return r;
}

// memo of fragment checks (pure function of the text): a tag-targeted mask re-checks the same predicate per column
const fragmentCache = new Map<string, FragmentCheck>();
function checkFragmentCached(sql: string, allowPlaceholder: boolean): FragmentCheck {
  const key = `${allowPlaceholder ? 1 : 0}${sql}`;
  let r = fragmentCache.get(key);
  if (r === undefined) {
    r = checkFragment(sql, { allowPlaceholder });
    if (fragmentCache.size > 10_000) fragmentCache.clear();
    fragmentCache.set(key, r);
  }
  return r;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function createdMs(p: PolicyInput): number {
  const ms = Date.parse(p.createdAt);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Creation order: createdAt (as an instant), then the raw createdAt text, then id. */
function sortByCreation(policies: PolicyInput[]): PolicyInput[] {
  const keyed = policies.map((p) => ({ p, ms: createdMs(p) }));
  keyed.sort((a, b) => (a.ms === b.ms ? 0 : a.ms < b.ms ? -1 : 1) || cmpStr(a.p.createdAt, b.p.createdAt) || cmpStr(a.p.id, b.p.id));
  return keyed.map((k) => k.p);
}

export function compile(ds: DataSourceInput, policies: readonly PolicyInput[], user: UserContext, opts: CompileOptions): CompileResult {
  const cols = prepareColumns(ds);
  const byName = new Map(cols.map((c) => [c.lname, c]));
  const macros: MacroValues = { username: user.username, groups: user.groups, attributes: user.attributes, purposes: user.purposes };

  // 1. policies that apply to this data source and this user, in creation order
  const allTags = new Set([...ds.tags, ...cols.flatMap((c) => c.tags)]);
  const applicable = sortByCreation(policies.filter((p) => scopeApplies(p, ds.id, allTags) && whoApplies(p, user)));

  // 2. masks: candidates per column (by ordinal index), winner by precedence
  const candidates: (MaskCandidate[] | undefined)[] = new Array(cols.length);
  applicable.forEach((p, order) => {
    const action = p.action;
    if (action.type !== "MASK") return;
    if (!action.target || typeof action.target !== "object") throw new PolicyCompileError(`policy ${p.id}: mask without a target`);
    const targetTag = "tag" in action.target ? action.target.tag : undefined;
    const targets = new Set<number>();
    if (typeof targetTag === "string") {
      cols.forEach((c, i) => {
        if (c.tags.some((t) => tagCovers(targetTag, t))) targets.add(i);
      });
    } else if ("columns" in action.target && Array.isArray(action.target.columns)) {
      for (const name of action.target.columns) {
        const c = typeof name === "string" ? byName.get(name.toLowerCase()) : undefined;
        if (c) targets.add(c.index);
      }
    } else {
      throw new PolicyCompileError(`policy ${p.id}: malformed mask target`);
    }
    const local = p.scope === "LOCAL";
    const depth = local ? 0 : tagDepth(targetTag ?? p.tag ?? "");
    for (const i of targets) (candidates[i] ??= []).push({ policy: p, action, local, depth, order });
  });

  const selectItems: string[] = [];
  const outColumns: { name: string; type: string }[] = [];
  const appliedColumns: [string, AppliedMask][] = [];
  for (const c of cols) {
    const list = candidates[c.index];
    if (!list) {
      selectItems.push(`${c.q} AS ${c.q}`);
      outColumns.push({ name: c.name, type: c.tt });
      continue;
    }
    if (list.length > 1) list.sort((a, b) => Number(b.local) - Number(a.local) || b.depth - a.depth || a.order - b.order);
    const win = list[0]!;
    const e = maskColumn(c, win.policy, win.action, macros, opts);
    selectItems.push(`${e.expr} AS ${c.q}`);
    outColumns.push({ name: c.name, type: e.type });
    const entry: AppliedMask = {
      policyId: win.policy.id,
      policyName: win.policy.name,
      method: String(win.action.mask?.method),
      overridden: list.slice(1).map((l): PolicyRef => ({ policyId: l.policy.id, policyName: l.policy.name })),
    };
    if (e.fallback !== undefined) entry.fallback = e.fallback;
    appliedColumns.push([c.name, entry]);
  }

  // 3. row filters, ANDed in creation order
  const predicates: string[] = [];
  const appliedFilters: AppliedRowFilter[] = [];
  for (const p of applicable) {
    if (p.action.type !== "ROW_FILTER") continue;
    const f = p.action.filter;
    const r = rowFilter(f, byName, user, macros);
    predicates.push(r.expr);
    const entry: AppliedRowFilter = { policyId: p.id, policyName: p.name, kind: String(f?.kind) };
    if (r.fallback !== undefined) entry.fallback = r.fallback;
    appliedFilters.push(entry);
  }

  const from = [ds.backing.catalog, ds.backing.schema, ds.backing.table].map(quoteIdent).join(".");
  let sql = `SELECT ${selectItems.join(", ")} FROM ${from}`;
  if (predicates.length > 0) sql += ` WHERE ${predicates.map((p) => `(${p})`).join(" AND ")}`;

  return {
    sql,
    columns: outColumns,
    applied: { columns: Object.fromEntries(appliedColumns), rowFilters: appliedFilters },
  };
}

function prepareColumns(ds: DataSourceInput): Col[] {
  for (const part of ["catalog", "schema", "table"] as const) {
    if (typeof ds.backing?.[part] !== "string" || ds.backing[part].length === 0) {
      throw new PolicyCompileError(`data source ${ds.id}: backing ${part} is empty`);
    }
  }
  if (!Array.isArray(ds.columns) || ds.columns.length === 0) throw new PolicyCompileError(`data source ${ds.id} has no columns`);
  const indexed = ds.columns.map((c, i) => ({ c, i }));
  if (indexed.every(({ c }) => typeof c.ordinal === "number")) {
    indexed.sort((a, b) => a.c.ordinal! - b.c.ordinal! || a.i - b.i);
  }
  const seen = new Set<string>();
  return indexed.map(({ c }, index) => {
    if (typeof c.name !== "string" || c.name.length === 0) throw new PolicyCompileError(`data source ${ds.id}: a column has no name`);
    const lname = c.name.toLowerCase();
    if (seen.has(lname)) throw new PolicyCompileError(`data source ${ds.id}: duplicate column '${c.name}'`);
    seen.add(lname);
    const parsed = parseTypeCached(c.type);
    // a type we cannot parse cannot be declared or cast safely: the whole view fails closed
    if (parsed === null) throw new PolicyCompileError(`data source ${ds.id}: column '${c.name}' has an invalid type`);
    return { index, name: c.name, lname, q: quoteIdent(c.name), t: parsed.t, tt: parsed.tt, tags: Array.isArray(c.tags) ? c.tags : [] };
  });
}

function scopeApplies(p: PolicyInput, dataSourceId: string, allTags: ReadonlySet<string>): boolean {
  if (p.scope === "LOCAL") return p.dataSourceId === dataSourceId;
  if (p.scope === "GLOBAL") {
    const tag = p.tag;
    if (typeof tag !== "string" || tag.length === 0) return false;
    for (const t of allTags) if (tagCovers(tag, t)) return true;
    return false;
  }
  throw new PolicyCompileError(`policy ${p.id}: unknown scope`);
}

function whoApplies(p: PolicyInput, user: UserContext): boolean {
  const type = p.action?.type;
  if (type !== "MASK" && type !== "ROW_FILTER") throw new PolicyCompileError(`policy ${p.id}: unknown action type`);
  try {
    return appliesTo(p.who, user);
  } catch (e) {
    throw new PolicyCompileError(`policy ${p.id}: ${e instanceof Error ? e.message : "malformed who"}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Masks
// ---------------------------------------------------------------------------------------------------------

function nullOf(c: Col, fallback?: string): Expr {
  const e: Expr = { expr: `CAST(NULL AS ${c.tt})`, type: c.tt };
  if (fallback !== undefined) e.fallback = fallback;
  return e;
}

function maskColumn(c: Col, policy: PolicyInput, action: MaskAction, macros: MacroValues, opts: CompileOptions): Expr {
  const m = maskMethod(c, action, policy.customType ?? undefined, macros, opts);
  if (action.onlyWhere === undefined) return m;

  const check = checkFragmentCached(action.onlyWhere, true);
  if (!check.ok) {
    // fail closed: mask every row
    const note = `cell predicate rejected (${check.error}); masked in every row`;
    return { ...m, fallback: m.fallback ? `${m.fallback}; ${note}` : note };
  }
  const pred = substituteFragment(check.tokens, macros, c.name);
  if (m.type === c.tt) return { ...m, expr: `CASE WHEN (${pred}) THEN ${m.expr} ELSE ${c.q} END` };
  // both branches must have the declared type: the unmasked value is cast to the mask's type
  if (m.type === "varchar" && !castsToVarchar(c.t)) {
    const n = nullOf(c, `${m.fallback ?? `${String(action.mask.method)} with a cell predicate needs ${c.tt} to cast to varchar`}; NULL used`);
    return { ...n, expr: `CASE WHEN (${pred}) THEN ${n.expr} ELSE ${c.q} END` };
  }
  return { ...m, expr: `CASE WHEN (${pred}) THEN ${m.expr} ELSE CAST(${c.q} AS ${m.type}) END` };
}

function maskMethod(c: Col, action: MaskAction, customType: string | undefined, macros: MacroValues, opts: CompileOptions): Expr {
  const mask = action.mask;
  const cls = typeClass(c.t);
  const asVarchar = `CAST(${c.q} AS varchar)`;
  const cannot = (why?: string) => nullOf(c, `${String(mask?.method)} cannot apply to ${c.tt}${why ? ` (${why})` : ""}; NULL used`);
  switch (mask?.method) {
    case "NULL":
      return nullOf(c);
    case "CONSTANT":
      return constant(String(mask.value), c);
    case "REDACT":
      if (!castsToVarchar(c.t)) return cannot();
      return {
        expr: `CAST(regexp_replace(regexp_replace(regexp_replace(${asVarchar}, '[A-Z]', 'X'), '[a-z]', 'x'), '[0-9]', '0') AS varchar)`,
        type: "varchar",
      };
    case "SHOW_FIRST":
    case "SHOW_LAST": {
      if (!castsToVarchar(c.t)) return cannot();
      const n = mask.n;
      if (!Number.isSafeInteger(n) || n < 0) return cannot("n must be a non-negative integer");
      const rest = `rpad('', greatest(length(${asVarchar}) - ${n}, 0), 'X')`;
      const expr =
        mask.method === "SHOW_FIRST"
          ? `concat(substr(${asVarchar}, 1, ${n}), ${rest})`
          : `concat(${rest}, substr(${asVarchar}, greatest(length(${asVarchar}) - ${n}, 0) + 1))`;
      return { expr: `CAST(${expr} AS varchar)`, type: "varchar" };
    }
    case "REGEX":
      if (!castsToVarchar(c.t)) return cannot();
      return {
        expr: `CAST(regexp_replace(${asVarchar}, ${quoteLiteral(String(mask.pattern))}, ${quoteLiteral(String(mask.replacement))}) AS varchar)`,
        type: "varchar",
      };
    case "HASH": {
      // With hashKeyFrom, a scalar subquery on the key table (the view runs as the service user, who alone may
      // read it): nothing in the SQL reveals the key. Else the literal key (tests, previews; readable in the SQL).
      let key: string;
      if (opts.hashKeyFrom) {
        const { catalog, schema, table, column } = opts.hashKeyFrom;
        key = `to_utf8((SELECT ${quoteIdent(column)} FROM ${[catalog, schema, table].map(quoteIdent).join(".")}))`;
      } else {
        if (typeof opts.hashKey !== "string" || opts.hashKey.length === 0) return cannot("no hash key configured");
        key = `to_utf8(${quoteLiteral(opts.hashKey)})`;
      }
      if (c.t.base === "varbinary") return { expr: `lower(to_hex(hmac_sha256(${c.q}, ${key})))`, type: "varchar" };
      if (!castsToVarchar(c.t)) return cannot();
      return { expr: `lower(to_hex(hmac_sha256(to_utf8(${asVarchar}), ${key})))`, type: "varchar" };
    }
    case "ROUND": {
      if (cls === "integer" || cls === "float" || cls === "decimal") {
        const n = mask.n;
        if (n === undefined) return cannot("ROUND without n");
        if (!(typeof n === "number" && Number.isFinite(n) && n > 0)) return cannot("n must be a positive number");
        const nLit = doubleLiteral(n);
        const inner = `round(CAST(${c.q} AS double) / ${nLit}) * ${nLit}`;
        if (cls === "float") return { expr: `CAST(${inner} AS ${c.tt})`, type: c.tt };
        const [lo, hi] = clampBounds(c.t);
        return { expr: `CAST(least(greatest(${inner}, ${lo}), ${hi}) AS ${c.tt})`, type: c.tt };
      }
      if (cls === "date" || cls === "timestamp") {
        const unit = mask.unit;
        if (unit === undefined) return cannot("ROUND without unit");
        if (!["year", "month", "day", "hour"].includes(unit)) return cannot(`unknown unit ${String(unit)}`);
        if (cls === "date" && unit === "hour") return cannot("a date has no hour");
        return { expr: `date_trunc('${unit}', ${c.q})`, type: c.tt };
      }
      return cannot();
    }
    case "CUSTOM": {
      const check = checkFragmentCached(String(mask.sql), true);
      if (!check.ok) return nullOf(c, `CUSTOM expression rejected (${check.error}); NULL used`);
      let type = "varchar";
      if (customType !== undefined) {
        const parsed = parseTypeCached(customType);
        if (parsed === null) return nullOf(c, "CUSTOM type is not a Trino type; NULL used");
        type = parsed.tt;
      }
      // the cast pins the declared type whatever the expression infers to
      return { expr: `CAST((${substituteFragment(check.tokens, macros, c.name)}) AS ${type})`, type };
    }
    default:
      return nullOf(c, `mask method ${String((mask as { method?: unknown } | undefined)?.method)} is not supported; NULL used`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// CONSTANT: cast to the column type only when the value certainly casts (decided here, statically)
// ---------------------------------------------------------------------------------------------------------

const INT_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

function isValidDate(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

const TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?$/;
const TSTZ_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)? (UTC|[+-]\d{2}:\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?$/;

function validTimeParts(h?: string, mi?: string, s?: string): boolean {
  return (h === undefined || Number(h) <= 23) && (mi === undefined || Number(mi) <= 59) && (s === undefined || Number(s) <= 59);
}

function validTimestamp(m: RegExpExecArray): boolean {
  return isValidDate(Number(m[1]), Number(m[2]), Number(m[3])) && validTimeParts(m[4], m[5], m[6]);
}

function validOffset(zone: string): boolean {
  if (zone === "UTC") return true;
  const [h, mi] = zone.slice(1).split(":").map(Number);
  return h! <= 14 && mi! <= 59;
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function constant(value: string, c: Col): Expr {
  const typed = (text: string): Expr => ({ expr: `CAST(${quoteLiteral(text)} AS ${c.tt})`, type: c.tt });
  const fallback: Expr = { expr: `CAST(${quoteLiteral(value)} AS varchar)`, type: "varchar" };
  switch (typeClass(c.t)) {
    case "integer": {
      if (!/^[+-]?\d{1,40}$/.test(value)) return fallback;
      const v = BigInt(value);
      const [lo, hi] = INT_RANGES[c.t.base]!;
      return v >= lo && v <= hi ? typed(v.toString()) : fallback;
    }
    case "decimal": {
      const m = /^([+-])?(\d{1,40})(?:\.(\d{1,40}))?$/.exec(value);
      if (!m) return fallback;
      const { precision, scale } = decimalPrecisionScale(c.t);
      const intPart = m[2]!.replace(/^0+/, "");
      const frac = m[3] ?? "";
      if (intPart.length > precision - scale || frac.length > scale) return fallback;
      return typed(`${m[1] === "-" ? "-" : ""}${intPart || "0"}${frac ? `.${frac}` : ""}`);
    }
    case "float": {
      if (!/^[+-]?(?:\d{1,400}(?:\.\d{0,400})?|\.\d{1,400})(?:[eE][+-]?\d{1,4})?$/.test(value)) return fallback;
      const x = Number(value);
      if (!Number.isFinite(x)) return fallback;
      if (c.t.base === "real" && Math.abs(x) > 3.4028234663852886e38) return fallback;
      return typed(String(x));
    }
    case "boolean":
      if (/^(true|false)$/i.test(value)) return { expr: value.toLowerCase(), type: "boolean" };
      return fallback;
    case "date": {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      return m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3])) ? typed(value) : fallback;
    }
    case "timestamp": {
      if (c.t.withTimeZone) {
        // a value without an explicit zone would depend on the session's zone: varchar instead
        const m = TSTZ_RE.exec(value);
        return m && validTimestamp(m) && validOffset(m[8]!) ? typed(value) : fallback;
      }
      const m = TS_RE.exec(value);
      return m && validTimestamp(m) ? typed(value) : fallback;
    }
    case "time": {
      if (c.t.withTimeZone) return fallback;
      const m = TIME_RE.exec(value);
      return m && validTimeParts(m[1], m[2], m[3]) ? typed(value) : fallback;
    }
    case "string": {
      if (c.t.base === "varchar" && c.t.params.length === 0) return fallback;
      const max = numberParam(c.t, 0) ?? 1; // char = char(1)
      return codePointLength(value) <= max ? typed(value) : fallback;
    }
    default:
      if (c.t.base === "uuid" && /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value)) {
        return typed(value.toLowerCase());
      }
      return fallback;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ROUND bounds: the rounded double is clamped into the column type's range before the cast back, so a value
// near the type's limit (127 rounded to 130 for a tinyint) never makes the query fail.
// ---------------------------------------------------------------------------------------------------------

const boundsCache = new Map<string, [string, string]>();

function clampBounds(t: TrinoType): [string, string] {
  const key = formatType(t);
  let r = boundsCache.get(key);
  if (r === undefined) {
    let maxScaled: bigint;
    let minScaled: bigint;
    let scale: number;
    if (t.base === "decimal") {
      const ps = decimalPrecisionScale(t);
      scale = ps.scale;
      maxScaled = 10n ** BigInt(ps.precision) - 1n;
      minScaled = maxScaled;
    } else {
      const [lo, hi] = INT_RANGES[t.base]!;
      scale = 0;
      maxScaled = hi;
      minScaled = -lo;
    }
    r = [doubleLiteral(-largestSafeDouble(minScaled, scale)), doubleLiteral(largestSafeDouble(maxScaled, scale))];
    boundsCache.set(key, r);
  }
  return r;
}

/** Largest double d >= 0 such that rounding d half-up to `scale` decimals stays <= maxScaled / 10^scale. */
function largestSafeDouble(maxScaled: bigint, scale: number): number {
  let d = Number(`${maxScaled}e-${scale}`);
  for (let i = 0; i < 10_000 && !roundsWithin(d, maxScaled, scale); i++) d = nextDown(d);
  return d;
}

/** Checks both the exact binary value and the shortest decimal representation (Trino's casts use either). */
function roundsWithin(d: number, maxScaled: bigint, scale: number): boolean {
  const exact = exactRational(d);
  const viaDecimal = decimalRational(d);
  return [exact, viaDecimal].every(([num, den]) => {
    // round_half_up(num/den * 10^scale) <= maxScaled  <=>  2*num*10^scale < (2*maxScaled + 1) * den
    return 2n * num * 10n ** BigInt(scale) < (2n * maxScaled + 1n) * den;
  });
}

function exactRational(d: number): [bigint, bigint] {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const exp = (expBits === 0 ? 1 : expBits) - 1075;
  return exp >= 0 ? [mant << BigInt(exp), 1n] : [mant, 1n << BigInt(-exp)];
}

function decimalRational(d: number): [bigint, bigint] {
  const [mant, e] = d.toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const shift = Number(e) - (digits.length - 1);
  return shift >= 0 ? [BigInt(digits) * 10n ** BigInt(shift), 1n] : [BigInt(digits), 10n ** BigInt(-shift)];
}

function nextDown(d: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  buf.setBigUint64(0, buf.getBigUint64(0) - 1n);
  return buf.getFloat64(0);
}

// ---------------------------------------------------------------------------------------------------------
// Row filters
// ---------------------------------------------------------------------------------------------------------

/** the current instant in UTC (timestamp(3) with time zone), and its UTC wall-clock time (timestamp(3)) */
const NOW_UTC_TZ = "(current_timestamp AT TIME ZONE 'UTC')";
const NOW_UTC = `CAST(${NOW_UTC_TZ} AS timestamp(3))`;

const INTERVAL_UNITS: Record<string, string> = { year: "YEAR", month: "MONTH", day: "DAY", hour: "HOUR", minute: "MINUTE", second: "SECOND" };

function rowFilter(f: RowFilter, byName: Map<string, Col>, user: UserContext, macros: MacroValues): Expr {
  const fail = (why: string): Expr => ({ expr: "false", type: "boolean", fallback: `${why}; no rows` });
  const column = (name: unknown): Col | undefined => (typeof name === "string" ? byName.get(name.toLowerCase()) : undefined);
  // typed literals of the column's type (lib/policy/literals.ts): values that are not Trino's varchar rendering
  // of a value of the type can never match and are left out; none left: no rows
  const inList = (c: Col, values: readonly string[]): Expr => ({ expr: matchValues(c.q, c.t, sortedUnique(values)), type: "boolean" });
  switch (f?.kind) {
    case "MATCH_ATTRIBUTE": {
      const c = column(f.column);
      if (!c) return fail(`column '${String(f.column)}' not found`);
      if (!castsToVarchar(c.t)) return fail(`column '${c.name}' (${c.tt}) cannot be compared as varchar`);
      const values = Object.hasOwn(user.attributes, f.key) ? user.attributes[f.key] : undefined;
      return inList(c, Array.isArray(values) ? values : []);
    }
    case "MATCH_GROUP": {
      const c = column(f.column);
      if (!c) return fail(`column '${String(f.column)}' not found`);
      if (!castsToVarchar(c.t)) return fail(`column '${c.name}' (${c.tt}) cannot be compared as varchar`);
      return inList(c, user.groups);
    }
    case "WHERE": {
      const check = checkFragmentCached(String(f.sql), false);
      if (!check.ok) return fail(`WHERE expression rejected (${check.error})`);
      return { expr: substituteFragment(check.tokens, macros), type: "boolean" };
    }
    case "TIME_WINDOW": {
      const c = column(f.column);
      if (!c) return fail(`column '${String(f.column)}' not found`);
      const unit = INTERVAL_UNITS[f.unit];
      if (unit === undefined || !Number.isSafeInteger(f.amount) || f.amount < 1) return fail("bad time window");
      const interval = `INTERVAL '${f.amount}' ${unit}`;
      const cls = typeClass(c.t);
      // "now" in UTC, never in the session's time zone: the querying user sets that (X-Trino-Time-Zone), and
      // `current_date` or a timestamp without zone compared with current_timestamp would move the window by
      // up to a day. A timestamp without time zone is read as UTC wall-clock time.
      if (cls === "timestamp") {
        const now = c.t.withTimeZone ? NOW_UTC_TZ : NOW_UTC;
        return { expr: `${c.q} >= ${now} - ${interval}`, type: "boolean" };
      }
      if (cls === "date") {
        // a date is a whole day: for sub-day windows keep the days that overlap the window
        if (unit === "YEAR" || unit === "MONTH" || unit === "DAY") return { expr: `${c.q} >= CAST(${NOW_UTC_TZ} AS date) - ${interval}`, type: "boolean" };
        return { expr: `${c.q} >= CAST(${NOW_UTC} - ${interval} AS date)`, type: "boolean" };
      }
      return fail(`column '${c.name}' (${c.tt}) is not a date or timestamp`);
    }
    case "MINIMIZE": {
      const percent = f.percent;
      if (!(typeof percent === "number" && percent > 0 && percent <= 100)) return fail("bad percent");
      if (!Array.isArray(f.keyColumns) || f.keyColumns.length === 0) return fail("no key columns");
      const keys: Col[] = [];
      for (const k of f.keyColumns) {
        const c = column(k);
        if (!c) return fail(`key column '${String(k)}' not found`);
        if (!castsToVarchar(c.t)) return fail(`key column '${c.name}' (${c.tt}) cannot be hashed`);
        keys.push(c);
      }
      if (percent >= 100) return { expr: "true", type: "boolean" };
      const parts = keys.map((c) => `coalesce(CAST(${c.q} AS varchar), '')`);
      const joined = parts.length === 1 ? parts[0]! : `concat_ws('|', ${parts.join(", ")})`;
      const bucket = `mod(mod(from_big_endian_64(xxhash64(to_utf8(${joined}))), 10000) + 10000, 10000)`;
      return { expr: `${bucket} < ${Math.round(percent * 100)}`, type: "boolean" };
    }
    case "PURPOSE_RESTRICT": {
      const listed = Array.isArray(f.purposes) ? f.purposes : [];
      return { expr: user.purposes.some((p) => listed.includes(p)) ? "true" : "false", type: "boolean" };
    }
    default:
      return fail(`row filter ${String((f as { kind?: unknown } | undefined)?.kind)} is not supported`);
  }
}
