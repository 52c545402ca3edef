// The policy builder's form state and its mapping to and from the stored policy JSON (lib/validations/policy.ts).
// Pure: the builder (client), its tests and the edit page (server) share it. Field keys are the zod paths of
// the policy (`action.mask.n`), so a client-side issue and a server 422 `fieldErrors` entry land on the same field.
import type { z } from "zod";
import {
  policyCreateSchema,
  type ConditionTerm,
  type MaskMethod,
  type PolicyAction,
  type PolicyCreateInput,
  type RowFilter,
  type Who,
} from "@/lib/validations/policy";

export const WHO_TYPES = ["EVERYONE", "EVERYONE_EXCEPT", "ONLY"] as const;
export const TERM_KINDS = ["group", "attribute", "purpose", "user"] as const;
/** The mask methods the compiler implements (the four advanced ones of the model are not offered). */
export const MASK_METHODS = ["NULL", "CONSTANT", "REDACT", "SHOW_FIRST", "SHOW_LAST", "REGEX", "HASH", "ROUND", "CUSTOM"] as const;
export const FILTER_KINDS = ["MATCH_ATTRIBUTE", "MATCH_GROUP", "WHERE", "TIME_WINDOW", "MINIMIZE", "PURPOSE_RESTRICT"] as const;
export const ROUND_UNITS = ["year", "month", "day", "hour"] as const;
export const TIME_UNITS = ["year", "month", "day", "hour", "minute", "second"] as const;

export type WhoType = (typeof WHO_TYPES)[number];
export type TermKind = (typeof TERM_KINDS)[number];
export type MaskMethodOption = (typeof MASK_METHODS)[number];
export type FilterKindOption = (typeof FILTER_KINDS)[number];

export const WHO_LABEL: Record<WhoType, string> = {
  EVERYONE: "Everyone",
  EVERYONE_EXCEPT: "Everyone except…",
  ONLY: "Only…",
};

export const TERM_LABEL: Record<TermKind, string> = { group: "Group", attribute: "Attribute", purpose: "Purpose", user: "User" };

export const MASK_LABEL: Record<MaskMethodOption, { label: string; hint: string }> = {
  NULL: { label: "Null", hint: "The column reads NULL (its type is kept)." },
  CONSTANT: { label: "Constant", hint: "A fixed value; typed like the column when it casts, else varchar." },
  REDACT: { label: "Redact", hint: "Letters become X/x and digits 0, length kept (varchar)." },
  SHOW_FIRST: { label: "Show first n", hint: "Keep the first n characters, the rest X (varchar)." },
  SHOW_LAST: { label: "Show last n", hint: "Keep the last n characters, the rest X (varchar)." },
  REGEX: { label: "Regular expression", hint: "regexp_replace(column, pattern, replacement) (varchar)." },
  HASH: { label: "Hash", hint: "Keyed SHA-256: equal values stay equal, so joins and GROUP BY still work." },
  ROUND: { label: "Round", hint: "Numbers to the nearest multiple of n; dates and timestamps down to a unit." },
  CUSTOM: { label: "Custom SQL", hint: "Your expression; {col} is the masked column." },
};

export const FILTER_LABEL: Record<FilterKindOption, { label: string; hint: string }> = {
  MATCH_ATTRIBUTE: { label: "Match an attribute", hint: "Rows whose column is among the user's values of an attribute; none: no rows." },
  MATCH_GROUP: { label: "Match a group", hint: "Rows whose column is among the user's group names." },
  WHERE: { label: "WHERE predicate", hint: "Your SQL predicate; macros @username, @groups, @attribute('key'), @purposes." },
  TIME_WINDOW: { label: "Time window", hint: "Rows whose date/timestamp column is within the last amount × unit." },
  MINIMIZE: { label: "Minimize", hint: "A stable subset: a percentage of rows chosen by a hash of key columns." },
  PURPOSE_RESTRICT: { label: "Purpose restriction", hint: "Rows only while one of the listed purposes is active; else none." },
};

export interface TermForm {
  kind: TermKind;
  /** group, purpose or username; for an attribute, its value */
  value: string;
  /** attribute key */
  key: string;
}

export interface PolicyForm {
  name: string;
  description: string;
  scope: "LOCAL" | "GLOBAL";
  dataSourceId: string;
  /** GLOBAL: the scope tag */
  tag: string;
  whoType: WhoType;
  match: "any" | "all";
  terms: TermForm[];
  kind: "MASK" | "ROW_FILTER";
  // mask
  targetType: "columns" | "tag";
  targetColumns: string[];
  targetTag: string;
  method: MaskMethodOption;
  constant: string;
  n: string;
  pattern: string;
  replacement: string;
  roundN: string;
  roundUnit: "" | (typeof ROUND_UNITS)[number];
  customSql: string;
  onlyWhereOn: boolean;
  onlyWhere: string;
  // row filter
  filterKind: FilterKindOption;
  filterColumn: string;
  attributeKey: string;
  whereSql: string;
  amount: string;
  timeUnit: (typeof TIME_UNITS)[number];
  percent: string;
  keyColumns: string[];
  purposes: string[];
}

export const emptyTerm = (kind: TermKind = "group"): TermForm => ({ kind, value: "", key: "" });

export function emptyPolicyForm(init: Partial<PolicyForm> = {}): PolicyForm {
  return {
    name: "",
    description: "",
    scope: "LOCAL",
    dataSourceId: "",
    tag: "",
    whoType: "EVERYONE",
    match: "any",
    terms: [emptyTerm()],
    kind: "MASK",
    targetType: "columns",
    targetColumns: [],
    targetTag: "",
    method: "NULL",
    constant: "",
    n: "4",
    pattern: "",
    replacement: "",
    roundN: "",
    roundUnit: "",
    customSql: "",
    onlyWhereOn: false,
    onlyWhere: "",
    filterKind: "MATCH_ATTRIBUTE",
    filterColumn: "",
    attributeKey: "",
    whereSql: "",
    amount: "30",
    timeUnit: "day",
    percent: "10",
    keyColumns: [],
    purposes: [],
    ...init,
  };
}

/** A number field: blank is "missing" (undefined), anything else goes to zod as typed (NaN is reported). */
function num(text: string): number | undefined {
  const t = text.trim();
  return t === "" ? undefined : Number(t);
}

/** One condition row of a form as the JSON of a condition term (shared with the subscription-policy form). */
export function term(t: TermForm): Record<string, string> {
  switch (t.kind) {
    case "group":
      return { kind: "group", group: t.value.trim() };
    case "attribute":
      return { kind: "attribute", key: t.key.trim(), value: t.value };
    case "purpose":
      return { kind: "purpose", purpose: t.value.trim() };
    case "user":
      return { kind: "user", username: t.value.trim() };
  }
}

function who(f: PolicyForm): Record<string, unknown> {
  if (f.whoType === "EVERYONE") return { type: "EVERYONE" };
  return { type: f.whoType, condition: { match: f.match, terms: f.terms.map(term) } };
}

function mask(f: PolicyForm): Record<string, unknown> {
  switch (f.method) {
    case "CONSTANT":
      return { method: "CONSTANT", value: f.constant };
    case "SHOW_FIRST":
    case "SHOW_LAST":
      return { method: f.method, n: num(f.n) };
    case "REGEX":
      return { method: "REGEX", pattern: f.pattern, replacement: f.replacement };
    case "ROUND": {
      const m: Record<string, unknown> = { method: "ROUND" };
      const n = num(f.roundN);
      if (n !== undefined) m.n = n;
      if (f.roundUnit) m.unit = f.roundUnit;
      return m;
    }
    case "CUSTOM":
      return { method: "CUSTOM", sql: f.customSql.trim() };
    default:
      return { method: f.method };
  }
}

function filter(f: PolicyForm): Record<string, unknown> {
  const column = f.filterColumn.trim();
  switch (f.filterKind) {
    case "MATCH_ATTRIBUTE":
      return { kind: "MATCH_ATTRIBUTE", column, key: f.attributeKey.trim() };
    case "MATCH_GROUP":
      return { kind: "MATCH_GROUP", column };
    case "WHERE":
      return { kind: "WHERE", sql: f.whereSql.trim() };
    case "TIME_WINDOW":
      return { kind: "TIME_WINDOW", column, amount: num(f.amount), unit: f.timeUnit };
    case "MINIMIZE":
      return { kind: "MINIMIZE", percent: num(f.percent), keyColumns: f.keyColumns };
    case "PURPOSE_RESTRICT":
      return { kind: "PURPOSE_RESTRICT", purposes: f.purposes };
  }
}

function action(f: PolicyForm): Record<string, unknown> {
  if (f.kind === "ROW_FILTER") return { type: "ROW_FILTER", filter: filter(f) };
  const a: Record<string, unknown> = {
    type: "MASK",
    target: f.targetType === "tag" ? { tag: f.targetTag.trim() } : { columns: f.targetColumns },
    mask: mask(f),
  };
  if (f.onlyWhereOn) a.onlyWhere = f.onlyWhere.trim();
  return a;
}

/** The create input the form describes, unvalidated: zod (here and on the server) decides what is wrong. */
export function formToPolicy(f: PolicyForm): Record<string, unknown> {
  const p: Record<string, unknown> = { name: f.name.trim(), description: f.description.trim(), scope: f.scope, who: who(f), action: action(f) };
  if (f.scope === "LOCAL") p.dataSourceId = f.dataSourceId || undefined;
  else p.tag = f.tag.trim() || undefined;
  if (p.dataSourceId === undefined) delete p.dataSourceId;
  if (p.tag === undefined) delete p.tag;
  return p;
}

export function termForm(t: ConditionTerm): TermForm {
  switch (t.kind) {
    case "group":
      return { kind: "group", value: t.group, key: "" };
    case "attribute":
      return { kind: "attribute", value: t.value, key: t.key };
    case "purpose":
      return { kind: "purpose", value: t.purpose, key: "" };
    case "user":
      return { kind: "user", value: t.username, key: "" };
  }
}

function whoForm(w: Who): Partial<PolicyForm> {
  if (w.type === "EVERYONE") return { whoType: "EVERYONE" };
  return { whoType: w.type, match: w.condition.match, terms: w.condition.terms.map(termForm) };
}

function maskForm(m: MaskMethod): Partial<PolicyForm> {
  switch (m.method) {
    case "CONSTANT":
      return { method: "CONSTANT", constant: m.value };
    case "SHOW_FIRST":
    case "SHOW_LAST":
      return { method: m.method, n: String(m.n) };
    case "REGEX":
      return { method: "REGEX", pattern: m.pattern, replacement: m.replacement };
    case "ROUND":
      return { method: "ROUND", roundN: m.n === undefined ? "" : String(m.n), roundUnit: m.unit ?? "" };
    case "CUSTOM":
      return { method: "CUSTOM", customSql: m.sql };
    default:
      return { method: m.method };
  }
}

function filterForm(r: RowFilter): Partial<PolicyForm> {
  switch (r.kind) {
    case "MATCH_ATTRIBUTE":
      return { filterKind: r.kind, filterColumn: r.column, attributeKey: r.key };
    case "MATCH_GROUP":
      return { filterKind: r.kind, filterColumn: r.column };
    case "WHERE":
      return { filterKind: r.kind, whereSql: r.sql };
    case "TIME_WINDOW":
      return { filterKind: r.kind, filterColumn: r.column, amount: String(r.amount), timeUnit: r.unit };
    case "MINIMIZE":
      return { filterKind: r.kind, percent: String(r.percent), keyColumns: [...r.keyColumns] };
    case "PURPOSE_RESTRICT":
      return { filterKind: r.kind, purposes: [...r.purposes] };
  }
}

function actionForm(a: PolicyAction): Partial<PolicyForm> {
  if (a.type === "ROW_FILTER") return { kind: "ROW_FILTER", ...filterForm(a.filter) };
  const target: Partial<PolicyForm> =
    "tag" in a.target ? { targetType: "tag", targetTag: a.target.tag } : { targetType: "columns", targetColumns: [...a.target.columns] };
  return {
    kind: "MASK",
    ...target,
    ...maskForm(a.mask),
    onlyWhereOn: a.onlyWhere !== undefined,
    onlyWhere: a.onlyWhere ?? "",
  };
}

/** The form for a stored policy (edit). */
export function policyToForm(p: PolicyCreateInput): PolicyForm {
  return emptyPolicyForm({
    name: p.name,
    description: p.description ?? "",
    scope: p.scope,
    dataSourceId: p.dataSourceId ?? "",
    tag: p.tag ?? "",
    ...whoForm(p.who),
    ...actionForm(p.action),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Validation with messages a governor can act on, keyed by field
// ---------------------------------------------------------------------------------------------------------

export type FieldErrors = Record<string, string[]>;

type Issue = z.core.$ZodIssue;

/** zod's default wording made plain ("Too small: expected number to be >=0" -> "Must be at least 0."). */
export function friendlyMessage(issue: Issue): string {
  switch (issue.code) {
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string" && min <= 1) return "Required.";
      if (issue.origin === "array" && min <= 1) return "Pick at least one.";
      if (issue.origin === "number") return issue.inclusive ? `Must be at least ${min}.` : `Must be more than ${min}.`;
      return issue.message;
    }
    case "too_big":
      if (issue.origin === "number") return issue.inclusive ? `Must be at most ${Number(issue.maximum)}.` : `Must be less than ${Number(issue.maximum)}.`;
      if (issue.origin === "string") return `At most ${Number(issue.maximum)} characters.`;
      return issue.message;
    case "invalid_type":
      if (issue.expected === "number") return "Enter a number.";
      if (issue.expected === "int") return "Enter a whole number.";
      return "Required.";
    case "invalid_value":
      return "Choose one of the options.";
    default:
      return issue.message;
  }
}

export function issuesToFieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    // the first problem per field is the one to fix (an empty expression also fails the fragment check)
    errors[key] ??= [friendlyMessage(issue)];
  }
  return errors;
}

export type FormValidation = { ok: true; policy: PolicyCreateInput } | { ok: false; errors: FieldErrors };

/** The same schema the server applies (policyCreateSchema), run on the form. */
export function validatePolicyForm(f: PolicyForm): FormValidation {
  const parsed = policyCreateSchema.safeParse(formToPolicy(f));
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
}

/**
 * Which field shows an error key: keys are zod paths; a few land on the control that owns them
 * (`action.mask` -> the method picker, a term's missing value -> that term's input).
 */
export function fieldForErrorKey(key: string): string {
  if (key === "action.mask") return "action.mask.method";
  if (key === "action.target") return "action.target.columns";
  if (key === "who.condition.terms") return "who.condition.terms";
  return key;
}

/** Field errors regrouped by the field that shows them. */
export function errorsByField(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) (out[fieldForErrorKey(k)] ??= []).push(...v);
  return out;
}

const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  dataSourceId: "Data source",
  tag: "Tag",
  "who.condition.terms": "Conditions",
  "action.target.columns": "Columns to mask",
  "action.target.tag": "Mask columns tagged",
  "action.mask.method": "Mask method",
  "action.mask.n": "n",
  "action.mask.value": "Value",
  "action.mask.pattern": "Pattern",
  "action.mask.replacement": "Replacement",
  "action.mask.unit": "Unit",
  "action.mask.sql": "Expression",
  "action.onlyWhere": "Only where",
  "action.filter.column": "Column",
  "action.filter.key": "User attribute",
  "action.filter.sql": "WHERE predicate",
  "action.filter.amount": "Amount",
  "action.filter.unit": "Unit",
  "action.filter.percent": "Percent of rows",
  "action.filter.keyColumns": "Key columns",
  "action.filter.purposes": "Purposes",
};

/** A field's name for messages ("Condition 2" for a term's inputs). */
export function fieldLabel(key: string): string {
  const term = /^who\.condition\.terms\.(\d+)/.exec(key);
  if (term) return `Condition ${Number(term[1]) + 1}`;
  return FIELD_LABELS[key] ?? key;
}

/** What the builder knows of the directory, to warn about names nobody has (a typo applies to nobody). */
export interface KnownValues {
  groups: readonly string[];
  attributes: Readonly<Record<string, readonly string[]>>;
  purposes: readonly string[];
  users: readonly { username: string }[];
}

/**
 * A warning (not an error: a group may be created later) when a condition names a group, attribute, purpose or user
 * that nobody in Steward has yet; null when the value is known or empty.
 */
export function unknownValueWarning(term: TermForm, known: KnownValues): string | null {
  const value = term.value.trim();
  const key = term.key.trim();
  if (term.kind === "attribute") {
    if (!key) return null;
    const values = known.attributes[key];
    if (!values) return `No user has the attribute “${key}” yet: check the spelling.`;
    if (value && !values.includes(value)) return `No user has ${key}=${value} yet.`;
    return null;
  }
  if (!value) return null;
  if (term.kind === "group") return known.groups.includes(value) ? null : `No group “${value}” exists yet: check the spelling.`;
  if (term.kind === "purpose") return known.purposes.includes(value) ? null : `No purpose “${value}” exists yet.`;
  if (term.kind === "user") return known.users.some((u) => u.username === value.toLowerCase()) ? null : `No user “${value}” exists yet.`;
  return null;
}

/** The same for the attribute key a MATCH_ATTRIBUTE row filter reads. */
export function unknownAttributeKeyWarning(key: string, known: KnownValues): string | null {
  const k = key.trim();
  return k && !known.attributes[k] ? `No user has the attribute “${k}” yet: this filter leaves nobody any rows.` : null;
}
