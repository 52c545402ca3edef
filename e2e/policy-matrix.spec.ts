import { expect, test } from "@playwright/test";
import { compile, type DataSourceInput, type MaskMethod, type PolicyInput, type RowFilter, type UserContext } from "../lib/policy";
import { normalizeType } from "../lib/policy/sql";
import { GOVERNED } from "./support/trino";
import { canon, hmacHex, pool, queryTyped, redact, roundHalfAway, showFirst, showLast, TrinoQueryFailed } from "./support/trino-typed";

// The policy compiler against real Trino 476 (no browser, no console): for every mask method x every column
// type of the demo tables, compile a view with lib/policy, create it for real as a SECURITY DEFINER view in the
// memory catalog, read it back, and check (1) the values are what policy-model.md says (computed here from
// the row's raw value or its varchar form, independently of the compiler), (2) the types Trino infers for the
// SQL equal the compiled `columns` (the governed connector declares those; Trino rejects a view as stale when
// they cannot be coerced). Then every row filter kind on the same table.

test.describe.configure({ mode: "serial" });

const S = "steward";
const T = `"memory"."matrix"."t"`;
const HASH_KEY = "matrix-key-ü'\"";

interface Col {
  name: string;
  type: string;
  cls: "string" | "integer" | "float" | "decimal" | "date" | "timestamp" | "boolean";
}

const COLS: Col[] = [
  { name: "v", type: "varchar", cls: "string" },
  { name: "vb", type: "varchar(12)", cls: "string" },
  { name: "b", type: "bigint", cls: "integer" },
  { name: "i", type: "integer", cls: "integer" },
  { name: "d", type: "double", cls: "float" },
  { name: "m", type: "decimal(12,2)", cls: "decimal" },
  { name: "dt", type: "date", cls: "date" },
  { name: "ts", type: "timestamp(3)", cls: "timestamp" },
  { name: "bo", type: "boolean", cls: "boolean" },
];
const MASKED = COLS.map((c) => c.name);

const ROWS_SQL = [
  `(1, 'Ab1-', 'Zz9 é', 1234, 42, 1.5E0, 1234.56, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:59.123', true)`,
  `(2, 'hello World 2024', 'x', -987654321, -7, -2.675E0, -0.05, DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59.999', false)`,
  `(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  `(4, '', '', 0, 0, 0E0, 0.00, DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00.000', true)`,
  `(5, 'Ünïcödé 😀 日本', 'ÄBC123', 123456789012, 2147483647, 1E20, 9999999999.99, DATE '0001-01-01', TIMESTAMP '2000-06-15 12:34:56.789', false)`,
  `(6, 'O''Brien; --x', 'a''b', NULL, 150, 149.99E0, 149.99, DATE '2023-07-15', TIMESTAMP '2023-07-15 06:30:00.500', NULL)`,
];
const IDS = [1, 2, 3, 4, 5, 6];

const DS: DataSourceInput = {
  id: "ds_matrix",
  backing: { catalog: "memory", schema: "matrix", table: "t" },
  governedSchema: "matrix",
  name: "t",
  tags: [],
  columns: [{ name: "id", type: "bigint", tags: [] }, ...COLS.map((c) => ({ name: c.name, type: c.type, tags: [] }))],
};

const USER: UserContext = {
  username: "matrix_user",
  groups: ["analysts", "x"],
  attributes: { k: ["1234", "Ab1-"] },
  purposes: ["audit"],
};

/** raw[id][col]: the value as Trino returns it; text[id][col]: CAST(col AS varchar) */
let raw: Record<number, Record<string, unknown>> = {};
let text: Record<number, Record<string, string | null>> = {};
const timings: string[] = [];

let policySeq = 0;
function policy(action: PolicyInput["action"], extra: Partial<PolicyInput> = {}): PolicyInput {
  policySeq++;
  return {
    id: `p${String(policySeq).padStart(4, "0")}`,
    name: `matrix policy ${policySeq}`,
    scope: "LOCAL",
    dataSourceId: DS.id,
    who: { type: "EVERYONE" },
    action,
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, policySeq)).toISOString(),
    ...extra,
  };
}

const maskAll = (mask: MaskMethod, onlyWhere?: string, columns = MASKED) =>
  policy({ type: "MASK", target: { columns }, mask, ...(onlyWhere ? { onlyWhere } : {}) });

test.beforeAll(async () => {
  const t0 = Date.now();
  await queryTyped(S, "CREATE SCHEMA IF NOT EXISTS memory.matrix");
  await queryTyped(S, `DROP TABLE IF EXISTS ${T}`);
  await queryTyped(S, `CREATE TABLE ${T} (id bigint, ${COLS.map((c) => `${c.name} ${c.type}`).join(", ")})`);
  await queryTyped(S, `INSERT INTO ${T} VALUES ${ROWS_SQL.join(", ")}`);
  const r = await queryTyped(S, `SELECT * FROM ${T} ORDER BY id`);
  const tx = await queryTyped(S, `SELECT id, ${COLS.map((c) => `CAST(${c.name} AS varchar)`).join(", ")} FROM ${T} ORDER BY id`);
  raw = {};
  text = {};
  for (const row of r.rows) raw[Number(row[0])] = Object.fromEntries(COLS.map((c, i) => [c.name, row[i + 1]]));
  for (const row of tx.rows) text[Number(row[0])] = Object.fromEntries(COLS.map((c, i) => [c.name, row[i + 1] as string | null]));
  expect(Object.keys(raw).map(Number)).toEqual(IDS);
  // the table's own types are the declared ones (the premise of the whole matrix)
  expect(r.columns.map((c) => c.type)).toEqual(["bigint", ...COLS.map((c) => normalizeType(c.type))]);
  timings.push(`setup ${Date.now() - t0} ms`);
});

test.afterAll(async () => {
  console.log(`[policy-matrix] ${timings.join("; ")}`);
});

// ---------------------------------------------------------------------------------------------------------
// Masks
// ---------------------------------------------------------------------------------------------------------

interface ColExpect {
  type: string;
  /** the compiler must report a fallback (method not applicable: NULL) */
  fallback?: boolean;
  value: (raw: unknown, text: string | null, id: number) => unknown;
}

interface MaskCase {
  name: string;
  policies: PolicyInput[];
  expect: (c: Col) => ColExpect;
}

const nullOf = (c: Col): ColExpect => ({ type: c.type, value: () => null });
const fallbackNull = (c: Col): ColExpect => ({ type: c.type, fallback: true, value: () => null });
const onText = (f: (s: string) => unknown): ColExpect => ({ type: "varchar", value: (_r, t) => (t === null ? null : f(t)) });

async function runMaskCases(cases: MaskCase[]) {
  const t0 = Date.now();
  const compiled = cases.map((mc) => ({ mc, r: compile(DS, mc.policies, USER, { hashKey: HASH_KEY }) }));
  // one SECURITY DEFINER view per case, created for real, then read back: values and Trino's own types
  const results = await pool(3, compiled.map(({ mc, r }) => async () => {
    const view = `"memory"."matrix"."mx_${mc.name}"`;
    try {
      await queryTyped(S, `CREATE OR REPLACE VIEW ${view} SECURITY DEFINER AS ${r.sql}`);
      return { ok: true as const, res: await queryTyped(S, `SELECT * FROM ${view} ORDER BY "id"`) };
    } catch (e) {
      if (e instanceof TrinoQueryFailed) return { ok: false as const, error: e.message };
      throw e;
    }
  }));
  timings.push(`${cases.length} mask views ${Date.now() - t0} ms`);

  for (const [k, { mc, r }] of compiled.entries()) {
    const out = results[k]!;
    if (!out.ok) throw new Error(`case ${mc.name}: Trino rejected the compiled SQL: ${out.error}\n${r.sql}`);
    const { res } = out;
    // declared (compiled) types == the types Trino infers for the SQL
    expect(res.columns, `case ${mc.name}: Trino's types`).toEqual(r.columns.map((c) => ({ name: c.name, type: normalizeType(c.type) })));
    expect(res.rows.map((row) => Number(row[0])), `case ${mc.name}: all rows`).toEqual(IDS);
    for (const [ci, c] of COLS.entries()) {
      const want = mc.expect(c);
      const where = `case ${mc.name}, column ${c.name} (${c.type})`;
      expect(normalizeType(r.columns[ci + 1]!.type), `${where}: declared type`).toBe(normalizeType(want.type));
      expect(Boolean(r.applied.columns[c.name]?.fallback), `${where}: fallback note ${r.applied.columns[c.name]?.fallback ?? "-"}`).toBe(
        Boolean(want.fallback),
      );
      const got = res.rows.map((row) => canon(row[ci + 1]));
      const exp = IDS.map((id) => canon(want.value(raw[id]![c.name], text[id]![c.name]!, id)));
      expect(got, `${where}: values`).toEqual(exp);
    }
  }
}

// CONSTANT: the value is typed when it certainly casts to the column type (policy-model.md: "column type
// when v casts to it, else varchar"); these rules say when, for the values used below.
const INT_RANGE: Record<string, [bigint, bigint]> = { bigint: [-(2n ** 63n), 2n ** 63n - 1n], integer: [-(2n ** 31n), 2n ** 31n - 1n] };
function validYmd(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1;
}
function castsTo(value: string, c: Col): boolean {
  switch (c.cls) {
    case "integer":
      return /^[+-]?\d+$/.test(value) && BigInt(value) >= INT_RANGE[c.type]![0] && BigInt(value) <= INT_RANGE[c.type]![1];
    case "float":
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) && Number.isFinite(Number(value));
    case "decimal": {
      const m = /^[+-]?(\d+)(?:\.(\d+))?$/.exec(value);
      return m !== null && m[1]!.replace(/^0+/, "").length <= 10 && (m[2] ?? "").length <= 2;
    }
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && validYmd(value);
    case "timestamp":
      return /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$/.test(value) && validYmd(value);
    case "boolean":
      return /^(true|false)$/i.test(value);
    case "string":
      return c.type === "varchar" || Array.from(value).length <= 12;
  }
}

const CONSTANTS = ["42", "-7.25", "2024-02-29", "2023-02-29", "2024-02-29 13:45:00.5", "true", "n/a — ünï", "this is longer than twelve", "12345678901", "1e3", "", "'; DROP TABLE x; --"];

test("NULL, CONSTANT (castable and not), REDACT: values and declared types in real Trino", async () => {
  // what Trino itself makes of CAST(value AS type): the typed constants must be exactly that
  const oracle = await queryTyped(
    S,
    `SELECT ${CONSTANTS.flatMap((v) => COLS.map((c) => `TRY_CAST('${v.replaceAll("'", "''")}' AS ${c.type})`)).join(", ")}`,
  );
  const cast = (vi: number, ci: number) => oracle.rows[0]![vi * COLS.length + ci];
  const cases: MaskCase[] = [
    { name: "null", policies: [maskAll({ method: "NULL" })], expect: nullOf },
    ...CONSTANTS.map((value, vi) => ({
      name: `constant_${vi}`,
      policies: [maskAll({ method: "CONSTANT", value })],
      expect: (c: Col): ColExpect => {
        const ci = COLS.indexOf(c);
        if (castsTo(value, c)) {
          // Trino agrees it casts (for varchar(n) only when it fits: a cast would truncate)
          expect(cast(vi, ci), `Trino casts '${value}' to ${c.type}`).not.toBeNull();
          return { type: c.type, value: () => cast(vi, ci) };
        }
        if (c.cls !== "string" && !(value === "1e3" && c.cls === "decimal")) {
          // where the compiler says "not castable", Trino agrees (1e3: Trino would cast it to a decimal, the compiler plays safe)
          expect(cast(vi, ci), `Trino does not cast '${value}' to ${c.type}`).toBeNull();
        }
        return { type: "varchar", value: () => value };
      },
    })),
    { name: "redact", policies: [maskAll({ method: "REDACT" })], expect: () => onText(redact) },
  ];
  // spot checks of the reference itself, straight from the model's example
  expect(redact("Ab1-")).toBe("Xx0-");
  await runMaskCases(cases);
});

test("SHOW_FIRST / SHOW_LAST n, REGEX, HASH", async () => {
  const cases: MaskCase[] = [
    ...[0, 2, 100].flatMap((n) => [
      { name: `show_first_${n}`, policies: [maskAll({ method: "SHOW_FIRST", n })], expect: () => onText((s) => showFirst(s, n)) },
      { name: `show_last_${n}`, policies: [maskAll({ method: "SHOW_LAST", n })], expect: () => onText((s) => showLast(s, n)) },
    ]),
    { name: "regex_digits", policies: [maskAll({ method: "REGEX", pattern: "[0-9]", replacement: "#" })], expect: () => onText((s) => s.replace(/[0-9]/g, "#")) },
    {
      name: "regex_groups",
      policies: [maskAll({ method: "REGEX", pattern: "([a-z]+)([0-9]*)", replacement: "<$2$1>" })],
      expect: () => onText((s) => s.replace(/([a-z]+)([0-9]*)/gu, "<$2$1>")),
    },
    {
      name: "regex_quotes",
      policies: [maskAll({ method: "REGEX", pattern: "'|-", replacement: "\\\\'" })],
      // Trino's replacement: backslash escapes the next character, so `\\'` is a literal backslash + quote
      expect: () => onText((s) => s.replace(/'|-/g, "\\'")),
    },
    { name: "hash", policies: [maskAll({ method: "HASH" })], expect: () => onText((s) => hmacHex(HASH_KEY, s)) },
  ];
  expect(showFirst("Ab1-", 2)).toBe("AbXX");
  expect(showLast("Ab1-", 2)).toBe("XX1-");
  await runMaskCases(cases);
});

const ymd = (s: string) => s.slice(0, 10);
function truncDate(s: string, unit: string): string {
  if (unit === "year") return `${s.slice(0, 4)}-01-01`;
  if (unit === "month") return `${s.slice(0, 7)}-01`;
  return ymd(s);
}
function truncTs(s: string, unit: string): string {
  if (unit === "hour") return `${s.slice(0, 13)}:00:00.000`;
  return `${truncDate(s, unit)} 00:00:00.000`;
}
const DEC_MAX = 9999999999.99;

function roundExpect(n: number | undefined, unit: string | undefined) {
  return (c: Col): ColExpect => {
    if (c.cls === "integer" || c.cls === "float" || c.cls === "decimal") {
      if (n === undefined) return fallbackNull(c);
      return {
        type: c.type,
        value: (r) => {
          if (r === null) return null;
          let x = roundHalfAway(Number(r) / n) * n;
          if (c.cls === "decimal") return Math.min(Math.max(x, -DEC_MAX), DEC_MAX).toFixed(2);
          if (c.cls === "integer") {
            // clamped into the type's range (lib/policy/README.md), so 2147483647 rounded up stays an integer
            const [lo, hi] = INT_RANGE[c.type]!;
            x = Math.min(Math.max(Math.round(x), Number(lo)), Number(hi));
          }
          return x;
        },
      };
    }
    if (c.cls === "date" && unit !== undefined && unit !== "hour") return { type: c.type, value: (r) => (r === null ? null : truncDate(String(r), unit)) };
    if (c.cls === "timestamp" && unit !== undefined) return { type: c.type, value: (r) => (r === null ? null : truncTs(String(r), unit)) };
    return fallbackNull(c);
  };
}

test("ROUND n (numbers) and ROUND unit (dates, timestamps); NULL where it cannot apply", async () => {
  const cases: MaskCase[] = [
    { name: "round_100", policies: [maskAll({ method: "ROUND", n: 100 })], expect: roundExpect(100, undefined) },
    { name: "round_quarter", policies: [maskAll({ method: "ROUND", n: 0.25 })], expect: roundExpect(0.25, undefined) },
    ...(["year", "month", "day", "hour"] as const).map((unit) => ({
      name: `round_${unit}`,
      policies: [maskAll({ method: "ROUND", unit })],
      expect: roundExpect(undefined, unit),
    })),
    { name: "round_both", policies: [maskAll({ method: "ROUND", n: 1000, unit: "month" })], expect: roundExpect(1000, "month") },
  ];
  await runMaskCases(cases);
});

test("CUSTOM with {col} (default varchar, and the recorded customType) and cell predicates", async () => {
  const perColumnIdentity = COLS.map((c) => policy({ type: "MASK", target: { columns: [c.name] }, mask: { method: "CUSTOM", sql: "{col}" } }, { customType: c.type }));
  const cases: MaskCase[] = [
    {
      name: "custom_concat",
      policies: [maskAll({ method: "CUSTOM", sql: "concat('<', CAST({col} AS varchar), '>', @username)" })],
      expect: () => ({ type: "varchar", value: (_r, t) => (t === null ? null : `<${t}>${USER.username}`) }),
    },
    { name: "custom_identity_typed", policies: perColumnIdentity, expect: (c) => ({ type: c.type, value: (r) => r }) },
    {
      name: "custom_length",
      policies: COLS.map((c) => policy({ type: "MASK", target: { columns: [c.name] }, mask: { method: "CUSTOM", sql: "length(CAST({col} AS varchar))" } }, { customType: "bigint" })),
      expect: () => ({ type: "bigint", value: (_r, t) => (t === null ? null : Array.from(t).length) }),
    },
    {
      name: "cell_redact_even_ids",
      policies: [maskAll({ method: "REDACT" }, `"id" % 2 = 0`)],
      // the unmasked cells are the varchar form (both branches have the declared type)
      expect: () => ({ type: "varchar", value: (_r, t, id) => (t === null ? null : id % 2 === 0 ? redact(t) : t) }),
    },
    {
      name: "cell_null_typed",
      policies: [maskAll({ method: "NULL" }, `{col} IS NOT NULL AND "id" <> 1`)],
      expect: (c) => ({ type: c.type, value: (r, _t, id) => (id === 1 ? r : null) }),
    },
    {
      name: "cell_null_predicate_unmasked",
      // b is NULL in rows 3 and 6: `"b" > 0` is NULL there, and a NULL predicate leaves the cell unmasked
      policies: [maskAll({ method: "CONSTANT", value: "***" }, `"b" > 0 AND @username = 'matrix_user'`)],
      expect: (c) => {
        const masked = (id: number) => raw[id]!.b !== null && Number(raw[id]!.b) > 0;
        const typed = castsTo("***", c);
        return { type: typed ? c.type : "varchar", value: (_r, t, id) => (masked(id) ? "***" : t) };
      },
    },
    {
      name: "cell_round_typed",
      policies: [maskAll({ method: "ROUND", n: 100, unit: "year" }, `"id" IN (1, 5)`)],
      expect: (c) => {
        const inner = roundExpect(100, "year")(c);
        if (inner.fallback) return { ...inner, value: (r, _t, id) => (id === 1 || id === 5 ? null : r) };
        return { type: c.type, value: (r, t, id) => (id === 1 || id === 5 ? inner.value(r, t, id) : r) };
      },
    },
  ];
  await runMaskCases(cases);
});

// ---------------------------------------------------------------------------------------------------------
// Row filters
// ---------------------------------------------------------------------------------------------------------

interface FilterCase {
  name: string;
  filters: RowFilter[];
  user?: Partial<UserContext>;
  ds?: DataSourceInput;
  expectIds: number[] | ((ids: number[]) => void);
  fallback?: boolean;
}

async function runFilterCases(cases: FilterCase[]) {
  const t0 = Date.now();
  const compiled = cases.map((fc) => {
    const user = { ...USER, ...fc.user };
    const policies = fc.filters.map((filter) => policy({ type: "ROW_FILTER", filter }, { dataSourceId: (fc.ds ?? DS).id }));
    return { fc, r: compile(fc.ds ?? DS, policies, user, { hashKey: HASH_KEY }) };
  });
  const results = await pool(3, compiled.map(({ r }) => () => queryTyped(S, `SELECT "id" FROM (${r.sql}) ORDER BY "id"`).catch((e: Error) => e)));
  timings.push(`${cases.length} row-filter queries ${Date.now() - t0} ms`);
  for (const [k, { fc, r }] of compiled.entries()) {
    const res = results[k]!;
    if (res instanceof Error) throw new Error(`case ${fc.name}: Trino rejected ${r.sql}: ${res.message}`);
    expect(res.columns[0]?.type).toBe("bigint");
    const ids = res.rows.map((row) => Number(row[0]));
    expect(r.applied.rowFilters.some((f) => f.fallback !== undefined), `case ${fc.name}: fallback ${JSON.stringify(r.applied.rowFilters)}`).toBe(Boolean(fc.fallback));
    if (typeof fc.expectIds === "function") fc.expectIds(ids);
    else expect(ids, `case ${fc.name}`).toEqual(fc.expectIds);
  }
}

test("MATCH_ATTRIBUTE, MATCH_GROUP, WHERE with every macro, PURPOSE_RESTRICT", async () => {
  const byText = (col: string, values: string[]) => IDS.filter((id) => text[id]![col] !== null && values.includes(text[id]![col]!));
  const cases: FilterCase[] = [
    { name: "attr_varchar", filters: [{ kind: "MATCH_ATTRIBUTE", column: "v", key: "k" }], expectIds: byText("v", USER.attributes.k!) },
    { name: "attr_bigint", filters: [{ kind: "MATCH_ATTRIBUTE", column: "b", key: "k" }], expectIds: [1] },
    { name: "attr_empty_string", filters: [{ kind: "MATCH_ATTRIBUTE", column: "vb", key: "e" }], user: { attributes: { e: [""] } }, expectIds: [4] },
    ...COLS.map((c) => ({
      name: `attr_${c.name}`,
      filters: [{ kind: "MATCH_ATTRIBUTE" as const, column: c.name, key: "k" }],
      user: { attributes: { k: [text[1]![c.name]!, text[5]![c.name]!] } },
      // bo: 'true'/'false' match every non-NULL row
      expectIds: byText(c.name, [text[1]![c.name]!, text[5]![c.name]!]),
    })),
    { name: "attr_no_values", filters: [{ kind: "MATCH_ATTRIBUTE", column: "v", key: "k" }], user: { attributes: { k: [] } }, expectIds: [] },
    { name: "attr_missing_key", filters: [{ kind: "MATCH_ATTRIBUTE", column: "v", key: "nope" }], expectIds: [] },
    { name: "attr_missing_column", filters: [{ kind: "MATCH_ATTRIBUTE", column: "nope", key: "k" }], expectIds: [], fallback: true },
    { name: "group", filters: [{ kind: "MATCH_GROUP", column: "vb" }], expectIds: [2] },
    { name: "group_none", filters: [{ kind: "MATCH_GROUP", column: "vb" }], user: { groups: [] }, expectIds: [] },
    { name: "where_username", filters: [{ kind: "WHERE", sql: "lower(v) = @username" }], user: { username: "ab1-" }, expectIds: [1] },
    { name: "where_groups", filters: [{ kind: "WHERE", sql: "contains(@groups, vb)" }], expectIds: [2] },
    { name: "where_groups_empty", filters: [{ kind: "WHERE", sql: "cardinality(@GROUPS) = 0" }], user: { groups: [] }, expectIds: IDS },
    { name: "where_attribute", filters: [{ kind: "WHERE", sql: "contains(@attribute('k'), CAST(b AS varchar)) OR contains(@attribute('k'), v)" }], expectIds: [1] },
    { name: "where_attribute_missing", filters: [{ kind: "WHERE", sql: "cardinality(@attribute('none')) = 0 AND id > 4" }], expectIds: [5, 6] },
    { name: "where_purposes", filters: [{ kind: "WHERE", sql: "contains(@purposes, 'audit') AND i > 100" }], expectIds: [5, 6] },
    { name: "where_purposes_none", filters: [{ kind: "WHERE", sql: "contains(@purposes, 'audit')" }], user: { purposes: [] }, expectIds: [] },
    { name: "where_literal_macro_untouched", filters: [{ kind: "WHERE", sql: "'@username' = '@' || 'username' AND id = 2" }], expectIds: [2] },
    { name: "where_anded", filters: [{ kind: "WHERE", sql: "id >= 2" }, { kind: "MATCH_GROUP", column: "vb" }], expectIds: [2] },
    { name: "purpose_yes", filters: [{ kind: "PURPOSE_RESTRICT", purposes: ["audit", "fraud"] }], expectIds: IDS },
    { name: "purpose_no", filters: [{ kind: "PURPOSE_RESTRICT", purposes: ["fraud"] }], expectIds: [] },
    { name: "purpose_none_active", filters: [{ kind: "PURPOSE_RESTRICT", purposes: ["audit"] }], user: { purposes: [] }, expectIds: [] },
  ];
  await runFilterCases(cases);
});

// Issue 9: MATCH_ATTRIBUTE / MATCH_GROUP compare the column with literals of its own type (pushdown), and keep the
// meaning of the varchar comparison: a row matches when CAST(col AS varchar), as Trino itself writes it, is one of
// the values. The oracle is Trino's own varchar form of each row; the values are those forms, near misses of them
// and extremes of each type (their typed literals must be accepted by Trino).
const nearMisses = (s: string) => [s, ` ${s}`, `${s} `, `0${s}`, `+${s}`, `${s}0`, `${s}.0`, s.toUpperCase(), s.replace(/^-/, ""), s.slice(0, -1)];

async function runTypedMatchCases(ds: DataSourceInput, cols: { name: string; type: string }[], texts: Record<number, Record<string, string | null>>, extremes: Record<string, string[]>) {
  const ids = Object.keys(texts).map(Number);
  const byText = (col: string, values: string[]) => ids.filter((id) => texts[id]![col] !== null && values.includes(texts[id]![col]!)).sort((a, b) => a - b);
  const cases: FilterCase[] = [];
  for (const c of cols) {
    const forms = ids.flatMap((id) => (texts[id]![c.name] === null ? [] : [texts[id]![c.name]!]));
    const values = [...new Set([...forms.flatMap(nearMisses), ...(extremes[c.name] ?? [])])];
    // no cast on the column, except where the README says why (double: its exact varchar check; real; zoned types)
    const sql = compile(ds, [policy({ type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: c.name, key: "k" } }, { dataSourceId: ds.id })], { ...USER, attributes: { k: values } }, { hashKey: HASH_KEY }).sql;
    const castsColumn = sql.includes(`CAST("${c.name}" AS varchar)`);
    expect(castsColumn, `${c.name} (${c.type}): ${sql}`).toBe(/^(double|real)$|with time zone$/.test(normalizeType(c.type)));
    cases.push({ name: `typed_attr_${c.name}`, ds, filters: [{ kind: "MATCH_ATTRIBUTE", column: c.name, key: "k" }], user: { attributes: { k: values } }, expectIds: byText(c.name, values) });
    cases.push({ name: `typed_attr_${c.name}_misses_only`, ds, filters: [{ kind: "MATCH_ATTRIBUTE", column: c.name, key: "k" }], user: { attributes: { k: values.filter((v) => !forms.includes(v)) } }, expectIds: [] });
    cases.push({ name: `typed_group_${c.name}`, ds, filters: [{ kind: "MATCH_GROUP", column: c.name }], user: { groups: forms.slice(0, 1).flatMap(nearMisses) }, expectIds: byText(c.name, forms.slice(0, 1).flatMap(nearMisses)) });
  }
  await runFilterCases(cases);
}

test("MATCH_ATTRIBUTE / MATCH_GROUP with typed literals: the varchar meaning, on the matrix's types", async () => {
  await runTypedMatchCases(DS, COLS, text, {
    b: ["-9223372036854775808", "9223372036854775807", "9223372036854775808"],
    i: ["-2147483648", "2147483647", "2147483648"],
    d: ["0E0", "-0E0", "1.0E23", "9.999999999999999E22", "Infinity", "-Infinity", "1.5", "1.5E0"],
    m: ["-0.00", "0.00", "-9999999999.99", "9999999999.99"],
    dt: ["10000-01-01", "-0001-01-01", "0000-02-29", "5881580-07-11", "-5877641-06-23"],
    ts: ["+10000-01-01 00:00:00.000", "-0001-01-01 00:00:00.000", "1970-01-01 00:00:00", "+294247-01-10 04:00:54.775"],
    bo: ["TRUE", "1"],
  });
  // NaN: no typed list can hold it, the varchar comparison alone (the table has no NaN row)
  await runFilterCases([{ name: "typed_attr_d_nan", filters: [{ kind: "MATCH_ATTRIBUTE", column: "d", key: "k" }], user: { attributes: { k: ["NaN", text[1]!.d!] } }, expectIds: [1] }]);
});

test("MATCH_ATTRIBUTE / MATCH_GROUP with typed literals: the other types the compiler knows", async () => {
  const cols = [
    { name: "ti", type: "tinyint" },
    { name: "si", type: "smallint" },
    { name: "r", type: "real" },
    { name: "m0", type: "decimal(38,0)" },
    { name: "m3", type: "decimal(3,3)" },
    { name: "c", type: "char(4)" },
    { name: "t", type: "time(3)" },
    { name: "t0", type: "time(0)" },
    { name: "ts0", type: "timestamp(0)" },
    { name: "ts6", type: "timestamp(6)" },
    { name: "ts9", type: "timestamp(9)" },
    { name: "tz", type: "timestamp(3) with time zone" },
    { name: "u", type: "uuid" },
    { name: "ip", type: "ipaddress" },
  ];
  const rows = [
    `(1, TINYINT '-128', SMALLINT '32767', REAL '1.0000001', DECIMAL '-12345678901234567890123456789012345678', DECIMAL '-0.001', CAST('ab' AS char(4)), TIME '23:59:59.999', TIME '00:00:00', TIMESTAMP '2024-02-29 13:45:59', TIMESTAMP '2024-02-29 13:45:59.000001', TIMESTAMP '1969-12-31 23:59:59.999999999', TIMESTAMP '2024-02-29 13:45:59.123 UTC', UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59', IPADDRESS '10.0.0.1')`,
    `(2, TINYINT '0', SMALLINT '-7', REAL '1.5', DECIMAL '0', DECIMAL '0.000', CAST('abcd' AS char(4)), TIME '00:00:00.000', TIME '12:34:56', TIMESTAMP '0001-01-01 00:00:00', TIMESTAMP '+10000-01-01 00:00:00.000000', TIMESTAMP '2024-01-01 00:00:00.000000001', TIMESTAMP '2024-02-29 14:45:59.123 +01:00', UUID '00000000-0000-0000-0000-000000000000', IPADDRESS '2001:db8::1')`,
    `(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
    `(4, TINYINT '127', SMALLINT '0', REAL '-0.0', DECIMAL '99', DECIMAL '0.5', CAST(' a  ' AS char(4)), TIME '12:00:00.500', TIME '23:59:59', TIMESTAMP '-0001-12-31 23:59:59', TIMESTAMP '1970-01-01 00:00:00.000000', TIMESTAMP '2024-02-29 13:45:59.123456789', TIMESTAMP '2024-02-29 13:45:59.123 America/New_York', UUID 'ffffffff-ffff-ffff-ffff-ffffffffffff', IPADDRESS '::ffff:1.2.3.4')`,
  ];
  const table = `"memory"."matrix"."typed"`;
  await queryTyped(S, `DROP TABLE IF EXISTS ${table}`);
  await queryTyped(S, `CREATE TABLE ${table} (id bigint, ${cols.map((c) => `${c.name} ${c.type}`).join(", ")})`);
  await queryTyped(S, `INSERT INTO ${table} VALUES ${rows.join(", ")}`);
  const tx = await queryTyped(S, `SELECT id, ${cols.map((c) => `CAST(${c.name} AS varchar)`).join(", ")} FROM ${table} ORDER BY id`);
  const texts: Record<number, Record<string, string | null>> = {};
  for (const row of tx.rows) texts[Number(row[0])] = Object.fromEntries(cols.map((c, i) => [c.name, row[i + 1] as string | null]));
  const ds: DataSourceInput = {
    id: "ds_typed",
    backing: { catalog: "memory", schema: "matrix", table: "typed" },
    governedSchema: "matrix",
    name: "typed",
    tags: [],
    columns: [{ name: "id", type: "bigint", tags: [] }, ...cols.map((c) => ({ name: c.name, type: c.type, tags: [] }))],
  };
  await runTypedMatchCases(ds, cols, texts, {
    ti: ["-129", "128", "TINYINT '1'"],
    c: ["ab", "ab  ", "abc", " a", " a  "],
    r: ["1.0E0", "1.0000001E0", "-0E0", "0E0"],
    ts9: ["1969-12-31 23:59:59.999999999"],
    tz: ["2024-02-29 13:45:59.123 UTC"],
    u: ["12151FD2-7586-11E9-8F9E-2A86E4085A59"],
    ip: ["1.2.3.4", "::ffff:1.2.3.4", "::ffff:102:304", "2001:0db8::1", "2001:DB8::1"],
  });
});

test("TIME_WINDOW on timestamp(3) and date columns", async () => {
  // rows relative to now (session time zone of the service user, as the view compares), far from any boundary
  const offsetsMin: Record<number, number | null> = { 1: 30, 2: 5 * 60, 3: 3 * 1440, 4: 40 * 1440, 5: 400 * 1440, 6: -1440, 7: null };
  await queryTyped(S, `DROP TABLE IF EXISTS "memory"."matrix"."tw"`);
  const values = Object.entries(offsetsMin).map(([id, off]) => `(${id}, ${off === null ? "CAST(NULL AS bigint)" : off})`);
  await queryTyped(
    S,
    `CREATE TABLE "memory"."matrix"."tw" AS SELECT CAST(id AS bigint) AS id, ` +
      `CAST((current_timestamp AT TIME ZONE 'UTC') - off * INTERVAL '1' MINUTE AS timestamp(3)) AS ts, ` +
      `CAST((current_timestamp AT TIME ZONE 'UTC') - off * INTERVAL '1' MINUTE AS date) AS dt FROM (VALUES ${values.join(", ")}) AS v(id, off)`,
  );
  // timestamps without time zone are UTC wall-clock time to the compiler (lib/policy/README.md)
  const now = String((await queryTyped(S, "SELECT CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(3))")).rows[0]![0]);
  const nowMs = Date.parse(`${now.replace(" ", "T")}Z`);
  const dayOf = (ms: number) => Math.floor(ms / 86_400_000);
  const tw: DataSourceInput = {
    id: "ds_tw",
    backing: { catalog: "memory", schema: "matrix", table: "tw" },
    governedSchema: "matrix",
    name: "tw",
    tags: [],
    columns: [
      { name: "id", type: "bigint", tags: [] },
      { name: "ts", type: "timestamp(3)", tags: [] },
      { name: "dt", type: "date", tags: [] },
    ],
  };
  const ids = Object.keys(offsetsMin).map(Number);
  const within = (minutes: number) => ids.filter((id) => offsetsMin[id] !== null && offsetsMin[id]! < minutes);
  const cases: FilterCase[] = [];
  for (const [amount, unit, approxMin] of [
    [1, "hour", 60],
    [90, "minute", 90],
    [3600, "second", 60],
    [1, "day", 1440],
    [7, "day", 7 * 1440],
    [2, "month", 59 * 1440],
    [2, "year", 730 * 1440],
  ] as const) {
    cases.push({ name: `ts_${amount}_${unit}`, ds: tw, filters: [{ kind: "TIME_WINDOW", column: "ts", amount, unit }], expectIds: within(approxMin) });
    // date column: whole days; sub-day windows keep the days overlapping the window
    let dtIds: number[];
    if (unit === "hour" || unit === "minute" || unit === "second") {
      const from = dayOf(nowMs - approxMin * 60_000);
      dtIds = ids.filter((id) => offsetsMin[id] !== null && dayOf(nowMs - offsetsMin[id]! * 60_000) >= from);
    } else if (unit === "day") {
      const from = dayOf(nowMs) - amount;
      dtIds = ids.filter((id) => offsetsMin[id] !== null && dayOf(nowMs - offsetsMin[id]! * 60_000) >= from);
    } else {
      dtIds = within(approxMin); // the rows are weeks away from the month/year boundaries used here
    }
    cases.push({ name: `dt_${amount}_${unit}`, ds: tw, filters: [{ kind: "TIME_WINDOW", column: "dt", amount, unit }], expectIds: dtIds });
  }
  cases.push({ name: "tw_not_temporal", ds: tw, filters: [{ kind: "TIME_WINDOW", column: "id", amount: 1, unit: "day" }], expectIds: [], fallback: true });
  await runFilterCases(cases);

  // the querying user chooses the session time zone: the window must not move with it. (Before the fix,
  // `current_date` and `ts >= current_timestamp - ...` did: Etc/GMT+12 saw rows up to 12 hours older.)
  await queryTyped(S, `INSERT INTO "memory"."matrix"."tw" SELECT 8, CAST((current_timestamp AT TIME ZONE 'UTC') - INTERVAL '3' HOUR AS timestamp(3)), CAST((current_timestamp AT TIME ZONE 'UTC') - INTERVAL '30' HOUR AS date)`);
  for (const [column, amount, unit] of [["ts", 1, "hour"], ["ts", 1, "day"], ["dt", 1, "day"], ["dt", 2, "hour"]] as const) {
    const r = compile(tw, [policy({ type: "ROW_FILTER", filter: { kind: "TIME_WINDOW", column, amount, unit } }, { dataSourceId: tw.id })], USER, { hashKey: HASH_KEY });
    const byZone = await Promise.all(
      ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns"].map(async (timeZone) =>
        (await queryTyped(S, `SELECT "id" FROM (${r.sql}) ORDER BY "id"`, { timeZone })).rows.map((row) => Number(row[0])),
      ),
    );
    for (const ids of byZone.slice(1)) expect(ids, `${column} ${amount} ${unit} in another session time zone`).toEqual(byZone[0]);
  }
});

test("MINIMIZE: a stable subset of about the percent, nested for smaller percents", async () => {
  const hr: DataSourceInput = {
    id: "ds_hr",
    backing: { catalog: "memory", schema: "hr", table: "employees" },
    governedSchema: "hr",
    name: "employees",
    tags: [],
    columns: [
      { name: "id", type: "bigint", tags: [] },
      { name: "name", type: "varchar", tags: [] },
      { name: "hire_date", type: "date", tags: [] },
    ],
  };
  const sets: Record<string, number[]> = {};
  const keep = (name: string) => (ids: number[]) => void (sets[name] = ids);
  const mk = (name: string, percent: number, keyColumns: string[], user?: Partial<UserContext>): FilterCase => ({
    name,
    ds: hr,
    user,
    filters: [{ kind: "MINIMIZE", percent, keyColumns }],
    expectIds: keep(name),
  });
  await runFilterCases([
    mk("p10", 10, ["id"]),
    mk("p10_again_other_user", 10, ["id"], { username: "someone_else", groups: [], attributes: {}, purposes: [] }),
    mk("p5", 5, ["id"]),
    mk("p50", 50, ["id"]),
    mk("p0_01", 0.01, ["id"]),
    mk("p100", 100, ["id"]),
    mk("p10_two_keys", 10, ["name", "hire_date"]),
  ]);
  const total = 1500;
  expect(sets.p10).toEqual(sets.p10_again_other_user); // stable: the same rows for everyone, every time
  const again = (await queryTyped(S, `SELECT "id" FROM (${compile(hr, [policy({ type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 10, keyColumns: ["id"] } }, { dataSourceId: hr.id })], USER, { hashKey: HASH_KEY }).sql}) ORDER BY "id"`)).rows.map((r) => Number(r[0]));
  expect(again).toEqual(sets.p10);
  // roughly the percent (binomial sd at 1500 rows: 10% -> 11.6 rows; allow ~4 sd)
  for (const [name, pct] of [["p5", 5], ["p10", 10], ["p50", 50], ["p10_two_keys", 10]] as const) {
    const n = sets[name]!.length;
    const sd = Math.sqrt(total * (pct / 100) * (1 - pct / 100));
    expect(Math.abs(n - (total * pct) / 100), `${name}: ${n} rows of ${total}`).toBeLessThan(4 * sd + 1);
  }
  expect(sets.p100!.length).toBe(total);
  expect(sets.p0_01!.length).toBeLessThan(6);
  // buckets are fixed per row, so a smaller percent keeps a subset of a larger one
  const p10 = new Set(sets.p10);
  expect(sets.p5!.every((id) => p10.has(id))).toBe(true);
  const p50 = new Set(sets.p50);
  expect(sets.p10!.every((id) => p50.has(id))).toBe(true);
  // a different key gives a different subset
  expect(sets.p10_two_keys).not.toEqual(sets.p10);
});

// ---------------------------------------------------------------------------------------------------------
// The golden fixtures (and the bench's wide table) in real Trino: every type the compiler knows
// (char, real, time, timestamp(6) with time zone, uuid, ipaddress, json, varbinary, array, map, row, ...)
// ---------------------------------------------------------------------------------------------------------

/** A typical value of a type, as a Trino expression. */
function sampleValue(type: string): string {
  const t = normalizeType(type);
  const base = t.replace(/\(.*$/, "").replace(/ with time zone$/, "");
  const raw: Record<string, string> = {
    tinyint: "7", smallint: "7", integer: "7", bigint: "1234567", real: "2.5E0", double: "-1234.5E0", decimal: "1234.5",
    varchar: "'Ab1-# 9'", char: "'Ab1-'", boolean: "true", date: "DATE '2024-02-29'", time: "TIME '12:34:56.789'",
    timestamp: t.endsWith("with time zone") ? "TIMESTAMP '2024-02-29 13:45:59.123456 UTC'" : "TIMESTAMP '2024-02-29 13:45:59.123456'",
    uuid: "UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59'", ipaddress: "IPADDRESS '10.0.0.1'", json: `JSON '{"a":1}'`,
    varbinary: "X'00ff'", array: "ARRAY['x', 'y']", map: "MAP(ARRAY['k'], ARRAY['v'])", row: "ROW(1.5E0, 2.5E0)",
  };
  if (raw[base] === undefined) throw new Error(`no sample value for ${type}`);
  return `CAST(${raw[base]} AS ${t})`;
}

test("golden fixtures and the wide bench table: every compiled view is accepted by Trino with the declared types", async () => {
  const { GOLDEN_CASES, wideCase } = await import("../lib/policy/testing/fixtures");
  const wide = wideCase(60, 40);
  const cases = [...GOLDEN_CASES, { name: "wide", dataSource: wide.dataSource, policies: wide.policies, users: { bench: wide.user } }];
  const t0 = Date.now();
  await queryTyped(S, "CREATE SCHEMA IF NOT EXISTS memory.golden");
  const jobs: (() => Promise<void>)[] = [];
  for (const c of cases) {
    // memory-backed fixtures get their own table under memory.golden (memory.hr.employees is the demo's)
    let ds = c.dataSource;
    if (ds.backing.catalog === "memory") {
      ds = { ...ds, backing: { catalog: "memory", schema: "golden", table: ds.backing.table } };
      const table = `"memory"."golden".${`"${ds.backing.table.replaceAll('"', '""')}"`}`;
      await queryTyped(S, `DROP TABLE IF EXISTS ${table}`);
      await queryTyped(S, `CREATE TABLE ${table} (${ds.columns.map((col) => `"${col.name.replaceAll('"', '""')}" ${col.type}`).join(", ")})`);
      await queryTyped(S, `INSERT INTO ${table} VALUES (${ds.columns.map((col) => sampleValue(col.type)).join(", ")}), (${ds.columns.map((col) => `CAST(NULL AS ${col.type})`).join(", ")})`);
    }
    const declared = await queryTyped(S, `SELECT * FROM ${[ds.backing.catalog, ds.backing.schema, ds.backing.table].map((p) => `"${p.replaceAll('"', '""')}"`).join(".")} LIMIT 0`);
    expect(declared.columns.map((col) => col.type), `${c.name}: the fixture's column types are Trino's`).toEqual(ds.columns.map((col) => normalizeType(col.type)));
    for (const [userName, user] of Object.entries(c.users)) {
      const slug = `${c.name}_${userName.replace(/[^a-z0-9]+/gi, "_")}`;
      jobs.push(async () => {
        const r = compile(ds, c.policies, user, { hashKey: HASH_KEY });
        const view = `"memory"."golden"."gv_${slug}"`;
        try {
          await queryTyped(S, `CREATE OR REPLACE VIEW ${view} SECURITY DEFINER AS ${r.sql}`);
          const res = await queryTyped(S, `SELECT * FROM ${view}`);
          expect(res.columns.map((col) => col.type), `${slug}: Trino's types`).toEqual(r.columns.map((col) => normalizeType(col.type)));
          expect(res.columns.map((col) => col.name.toLowerCase())).toEqual(r.columns.map((col) => col.name.toLowerCase()));
        } catch (e) {
          throw new Error(`${slug}: ${(e as Error).message}\n${r.sql}`);
        }
      });
    }
  }
  await pool(3, jobs);
  timings.push(`${jobs.length} golden views ${Date.now() - t0} ms`);
});

// ---------------------------------------------------------------------------------------------------------
// End to end through the governed catalog: policies saved through the console's API (as gwen), enforced by
// the connector for carol (group hr: none of the demo's policies apply to her), on the demo table whose
// columns are the same eight types.
// ---------------------------------------------------------------------------------------------------------

test("governed path: masks and row filters saved through the API are what carol gets from governed.hr.employees", async () => {
  test.skip(!process.env.STEWARD_API_KEY, "needs the governed catalog (scripts/test-all.sh)");
  const { apiLogin } = await import("./support/api-session");
  const { sql } = await import("./support/db");
  const gwen = await apiLogin("gwen");
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
  const everyone = { type: "EVERYONE" };
  const mask = (columns: string[], m: object, onlyWhere?: string) => ({ type: "MASK", target: { columns }, mask: m, ...(onlyWhere ? { onlyWhere } : {}) });
  const actions = [
    mask(["phone"], { method: "SHOW_LAST", n: 4 }),
    mask(["salary"], { method: "ROUND", n: 1000 }),
    mask(["updated_at"], { method: "ROUND", unit: "month" }),
    mask(["level"], { method: "CONSTANT", value: "7" }),
    mask(["hire_date"], { method: "CONSTANT", value: "n/a" }),
    mask(["name"], { method: "REDACT" }, `"active" = false OR {col} LIKE 'Ada %'`),
    mask(["rating"], { method: "CUSTOM", sql: "round({col})" }),
    { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "level > 3 AND @username = 'carol' AND contains(@groups, 'hr')" } },
    { type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 50, keyColumns: ["id"] } },
  ];
  const ids: string[] = [];
  try {
    for (const [i, action] of actions.entries()) {
      const res = await gwen.post("/api/policies", { data: { name: `matrix e2e ${i}`, scope: "LOCAL", dataSourceId: ds!.id, who: everyone, action } });
      expect(res.status(), await res.text()).toBe(200);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const got = await queryTyped("carol", `SELECT id, name, phone, salary, updated_at, level, hire_date, rating FROM ${GOVERNED}.hr.employees ORDER BY id`);
    expect(got.columns.map((c) => c.type)).toEqual(["bigint", "varchar", "varchar", "decimal(12,2)", "timestamp(3)", "integer", "varchar", "double"]);
    const base = await queryTyped(S, `SELECT id, name, phone, salary, updated_at, level, hire_date, rating, active FROM memory.hr.employees ORDER BY id`);
    // MINIMIZE's subset, from the compiler's own SQL run directly (stable, so it must be the same rows)
    const hr: DataSourceInput = {
      id: "x",
      backing: { catalog: "memory", schema: "hr", table: "employees" },
      governedSchema: "hr",
      name: "employees",
      tags: [],
      columns: [{ name: "id", type: "bigint", tags: [] }],
    };
    const minimized = new Set(
      (await queryTyped(S, `SELECT id FROM (${compile(hr, [policy({ type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 50, keyColumns: ["id"] } }, { dataSourceId: "x" })], USER, { hashKey: HASH_KEY }).sql})`)).rows.map((r) => Number(r[0])),
    );
    const expected = base.rows
      .filter((r) => Number(r[5]) > 3 && minimized.has(Number(r[0])))
      .map(([id, name, phone, salary, updatedAt, , , rating, active]) => [
        id,
        active === false || String(name).startsWith("Ada ") ? redact(String(name)) : name,
        showLast(String(phone), 4),
        (roundHalfAway(Number(salary) / 1000) * 1000).toFixed(2),
        `${String(updatedAt).slice(0, 7)}-01 00:00:00.000`,
        7,
        "n/a",
        roundHalfAway(Number(rating)),
      ]);
    expect(expected.length).toBeGreaterThan(300);
    expect(got.rows.map((r) => r.map(canon))).toEqual(expected);
  } finally {
    for (const id of ids) expect((await gwen.delete(`/api/policies/${id}`)).status()).toBe(200);
    await gwen.dispose();
  }
});
