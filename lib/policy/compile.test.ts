import { describe, expect, it } from "vitest";
import { compile, PolicyCompileError, tagCovers } from "./compile";
import { inferType, selectItems } from "./testing/type-check";
import type { DataSourceInput, MaskAction, MaskMethod, PolicyInput, RowFilter, UserContext, Who } from "./types";

const KEY = { hashKey: "k3y" };

function ds(columns: { name: string; type: string; tags?: string[]; ordinal?: number }[], tags: string[] = []): DataSourceInput {
  return {
    id: "ds1",
    backing: { catalog: "memory", schema: "hr", table: "t" },
    governedSchema: "hr",
    name: "t",
    columns: columns.map((c) => ({ tags: [], ...c })),
    tags,
  };
}

const user: UserContext = {
  username: "alice",
  groups: ["hr", "eng"],
  attributes: { region: ["US", "EU", "EU"], dept: [] },
  purposes: ["audit"],
};

let seq = 0;
function policy(action: PolicyInput["action"], extra: Partial<PolicyInput> = {}): PolicyInput {
  seq++;
  return {
    id: `p${String(seq).padStart(3, "0")}`,
    name: `policy ${seq}`,
    scope: "LOCAL",
    dataSourceId: "ds1",
    who: { type: "EVERYONE" },
    action,
    createdAt: "2024-01-01T00:00:00.000Z",
    ...extra,
  };
}
const mask = (m: MaskMethod, target: MaskAction["target"] = { columns: ["c"] }, onlyWhere?: string): PolicyInput["action"] =>
  onlyWhere === undefined ? { type: "MASK", target, mask: m } : { type: "MASK", target, mask: m, onlyWhere };
const filter = (f: RowFilter): PolicyInput["action"] => ({ type: "ROW_FILTER", filter: f });

/** compiles one mask on a one-column data source and checks declared == inferred */
function maskOne(type: string, m: MaskMethod, extra: Partial<PolicyInput> = {}, onlyWhere?: string) {
  const source = ds([{ name: "c", type }]);
  const r = compile(source, [policy(mask(m, { columns: ["c"] }, onlyWhere), extra)], user, KEY);
  const [item] = selectItems(r.sql);
  expect(inferType(item!.expr, { c: type })).toBe(r.columns[0]!.type);
  return { expr: item!.expr, type: r.columns[0]!.type, applied: r.applied.columns.c!, sql: r.sql };
}

function filterSql(f: RowFilter, columns = [{ name: "c", type: "varchar" }], u: UserContext = user) {
  const r = compile(ds(columns), [policy(filter(f))], u, KEY);
  const where = r.sql.split(" WHERE ")[1];
  return { where: where?.slice(1, -1), applied: r.applied.rowFilters[0]! };
}

// ---------------------------------------------------------------------------------------------------------

describe("SQL shape", () => {
  it("selects every column in ordinal order from the fully quoted backing table", () => {
    const source = ds([
      { name: "b", type: "bigint", ordinal: 2 },
      { name: "a", type: "VARCHAR(3)", ordinal: 1 },
    ]);
    source.backing = { catalog: "mem\"ory", schema: "h r", table: "T" };
    const r = compile(source, [], user, KEY);
    expect(r.sql).toBe(`SELECT "a" AS "a", "b" AS "b" FROM "mem""ory"."h r"."T"`);
    expect(r.columns).toEqual([
      { name: "a", type: "varchar(3)" },
      { name: "b", type: "bigint" },
    ]);
    expect(r.applied).toEqual({ columns: {}, rowFilters: [] });
  });

  it("keeps array order when ordinals are missing", () => {
    const r = compile(ds([{ name: "z", type: "bigint" }, { name: "y", type: "bigint" }]), [], user, KEY);
    expect(r.columns.map((c) => c.name)).toEqual(["z", "y"]);
  });

  it("ANDs row filters, each parenthesized", () => {
    const r = compile(
      ds([{ name: "c", type: "varchar" }]),
      [policy(filter({ kind: "PURPOSE_RESTRICT", purposes: ["audit"] })), policy(filter({ kind: "WHERE", sql: "c = 'x' OR c = 'y'" }))],
      user,
      KEY,
    );
    expect(r.sql).toBe(`SELECT "c" AS "c" FROM "memory"."hr"."t" WHERE (true) AND (c = 'x' OR c = 'y')`);
  });

  it.each([
    ["no columns", ds([])],
    ["duplicate columns", ds([{ name: "a", type: "bigint" }, { name: "A", type: "bigint" }])],
    ["an invalid column type", ds([{ name: "a", type: "bigint) AS a FROM secret --" }])],
    ["an empty column name", ds([{ name: "", type: "bigint" }])],
    ["an empty backing table", { ...ds([{ name: "a", type: "bigint" }]), backing: { catalog: "c", schema: "s", table: "" } }],
  ])("fails closed on %s", (_label, source) => {
    expect(() => compile(source, [], user, KEY)).toThrow(PolicyCompileError);
  });

  it("fails closed on malformed applicable policies", () => {
    const source = ds([{ name: "c", type: "bigint" }]);
    const badAction = policy({ type: "TOKENIZE" } as unknown as PolicyInput["action"]);
    const badWho = policy(mask({ method: "NULL" }), { who: { type: "SOMETIMES" } as unknown as Who });
    const badTarget = policy({ type: "MASK", target: {}, mask: { method: "NULL" } } as unknown as PolicyInput["action"]);
    for (const p of [badAction, badWho, badTarget]) expect(() => compile(source, [p], user, KEY)).toThrow(PolicyCompileError);
    // ...but a malformed policy of another data source does not break this one
    expect(() => compile(source, [{ ...badWho, dataSourceId: "other" }], user, KEY)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------

const TYPES = [
  "bigint",
  "integer",
  "smallint",
  "tinyint",
  "decimal(12,2)",
  "double",
  "real",
  "varchar",
  "varchar(10)",
  "char(3)",
  "boolean",
  "date",
  "timestamp(3)",
  "timestamp(6) with time zone",
  "time(3)",
  "uuid",
  "ipaddress",
  "json",
  "varbinary",
  "array(varchar)",
  "map(varchar, bigint)",
  "row(a bigint, b varchar)",
];
const NOT_VARCHAR = new Set(["json", "varbinary", "array(varchar)", "map(varchar, bigint)", "row(a bigint, b varchar)"]);
const NUMERIC = new Set(["bigint", "integer", "smallint", "tinyint", "decimal(12,2)", "double", "real"]);
const canonical = (t: string) => (t === "row(a bigint, b varchar)" ? 'row("a" bigint, "b" varchar)' : t);

describe("masks: output type per method and type class (declared == inferred, fallback to NULL)", () => {
  const methods: [string, MaskMethod, (t: string) => boolean, "varchar" | "column"][] = [
    ["REDACT", { method: "REDACT" }, (t) => !NOT_VARCHAR.has(t), "varchar"],
    ["SHOW_FIRST", { method: "SHOW_FIRST", n: 2 }, (t) => !NOT_VARCHAR.has(t), "varchar"],
    ["SHOW_LAST", { method: "SHOW_LAST", n: 4 }, (t) => !NOT_VARCHAR.has(t), "varchar"],
    ["REGEX", { method: "REGEX", pattern: "\\d", replacement: "#" }, (t) => !NOT_VARCHAR.has(t), "varchar"],
    ["HASH", { method: "HASH" }, (t) => !NOT_VARCHAR.has(t) || t === "varbinary", "varchar"],
    ["ROUND n", { method: "ROUND", n: 10 }, (t) => NUMERIC.has(t), "column"],
    ["ROUND month", { method: "ROUND", unit: "month" }, (t) => ["date", "timestamp(3)", "timestamp(6) with time zone"].includes(t), "column"],
    ["ROUND hour", { method: "ROUND", unit: "hour" }, (t) => ["timestamp(3)", "timestamp(6) with time zone"].includes(t), "column"],
    ["ROUND n + unit", { method: "ROUND", n: 5, unit: "day" }, (t) => NUMERIC.has(t) || ["date", "timestamp(3)", "timestamp(6) with time zone"].includes(t), "column"],
    ["CUSTOM", { method: "CUSTOM", sql: "substr(CAST({col} AS varchar), 1, 1)" }, () => true, "varchar"],
  ];
  for (const [label, m, applies, resultType] of methods) {
    it.each(TYPES)(`${label} on %s`, (type) => {
      const r = maskOne(type, m);
      if (applies(type)) {
        expect(r.type).toBe(resultType === "varchar" ? "varchar" : canonical(type));
        expect(r.applied.fallback).toBeUndefined();
      } else {
        expect(r.expr).toBe(`CAST(NULL AS ${canonical(type)})`);
        expect(r.type).toBe(canonical(type));
        expect(r.applied.fallback).toMatch(/cannot apply.*NULL used/);
      }
      expect(r.applied.method).toBe(m.method);
    });
  }

  it.each(TYPES)("NULL on %s", (type) => {
    const r = maskOne(type, { method: "NULL" });
    expect(r.expr).toBe(`CAST(NULL AS ${canonical(type)})`);
    expect(r.type).toBe(canonical(type));
    expect(r.applied.fallback).toBeUndefined();
  });
});

describe("masks: exact SQL", () => {
  it.each<[string, string, MaskMethod, string, string]>([
    ["NULL", "varchar(10)", { method: "NULL" }, `CAST(NULL AS varchar(10))`, "varchar(10)"],
    [
      "REDACT",
      "varchar(10)",
      { method: "REDACT" },
      `CAST(regexp_replace(regexp_replace(regexp_replace(CAST("c" AS varchar), '[A-Z]', 'X'), '[a-z]', 'x'), '[0-9]', '0') AS varchar)`,
      "varchar",
    ],
    [
      "SHOW_FIRST",
      "varchar",
      { method: "SHOW_FIRST", n: 2 },
      `CAST(concat(substr(CAST("c" AS varchar), 1, 2), rpad('', greatest(length(CAST("c" AS varchar)) - 2, 0), 'X')) AS varchar)`,
      "varchar",
    ],
    [
      "SHOW_LAST",
      "char(11)",
      { method: "SHOW_LAST", n: 4 },
      `CAST(concat(rpad('', greatest(length(CAST("c" AS varchar)) - 4, 0), 'X'), substr(CAST("c" AS varchar), greatest(length(CAST("c" AS varchar)) - 4, 0) + 1)) AS varchar)`,
      "varchar",
    ],
    [
      "REGEX",
      "varchar",
      { method: "REGEX", pattern: "^(.)[^@]*", replacement: "$1***'" },
      `CAST(regexp_replace(CAST("c" AS varchar), '^(.)[^@]*', '$1***''') AS varchar)`,
      "varchar",
    ],
    ["HASH", "bigint", { method: "HASH" }, `lower(to_hex(hmac_sha256(to_utf8(CAST("c" AS varchar)), to_utf8('k3y'))))`, "varchar"],
    ["HASH varbinary", "varbinary", { method: "HASH" }, `lower(to_hex(hmac_sha256("c", to_utf8('k3y'))))`, "varchar"],
    [
      "ROUND bigint",
      "bigint",
      { method: "ROUND", n: 1000 },
      `CAST(least(greatest(round(CAST("c" AS double) / 1E3) * 1E3, -9.223372036854775E18), 9.223372036854775E18) AS bigint)`,
      "bigint",
    ],
    [
      "ROUND tinyint",
      "tinyint",
      { method: "ROUND", n: 2.5 },
      `CAST(least(greatest(round(CAST("c" AS double) / 2.5E0) * 2.5E0, -1.28E2), 1.27E2) AS tinyint)`,
      "tinyint",
    ],
    [
      "ROUND decimal",
      "decimal(5,2)",
      { method: "ROUND", n: 0.5 },
      `CAST(least(greatest(round(CAST("c" AS double) / 5E-1) * 5E-1, -9.9999E2), 9.9999E2) AS decimal(5,2))`,
      "decimal(5,2)",
    ],
    ["ROUND double", "double", { method: "ROUND", n: 0.1 }, `CAST(round(CAST("c" AS double) / 1E-1) * 1E-1 AS double)`, "double"],
    ["ROUND real", "real", { method: "ROUND", n: 100 }, `CAST(round(CAST("c" AS double) / 1E2) * 1E2 AS real)`, "real"],
    ["ROUND date", "date", { method: "ROUND", unit: "year" }, `date_trunc('year', "c")`, "date"],
    ["ROUND timestamp", "timestamp(3)", { method: "ROUND", unit: "hour" }, `date_trunc('hour', "c")`, "timestamp(3)"],
    [
      "ROUND timestamptz",
      "timestamp(6) with time zone",
      { method: "ROUND", unit: "day" },
      `date_trunc('day', "c")`,
      "timestamp(6) with time zone",
    ],
    ["CUSTOM", "varchar", { method: "CUSTOM", sql: "upper({col})" }, `CAST((upper("c")) AS varchar)`, "varchar"],
    [
      "CUSTOM with macros",
      "varchar",
      { method: "CUSTOM", sql: "if(contains(@groups, 'hr'), {col}, '***')" },
      `CAST((if(contains(ARRAY['eng', 'hr'], 'hr'), "c", '***')) AS varchar)`,
      "varchar",
    ],
  ])("%s on %s", (_label, type, m, expr, declared) => {
    const r = maskOne(type, m);
    expect(r.expr).toBe(expr);
    expect(r.type).toBe(declared);
  });

  it("CUSTOM declares the customType recorded at save time", () => {
    const r = maskOne("bigint", { method: "CUSTOM", sql: "{col} / 1000" }, { customType: "BIGINT" });
    expect(r.expr).toBe(`CAST(("c" / 1000) AS bigint)`);
    expect(r.type).toBe("bigint");
  });

  it("CUSTOM with an unparseable customType or a rejected expression falls back to NULL", () => {
    const a = maskOne("bigint", { method: "CUSTOM", sql: "{col}" }, { customType: "bigint) --" });
    expect(a.expr).toBe("CAST(NULL AS bigint)");
    expect(a.applied.fallback).toMatch(/CUSTOM type/);
    const b = maskOne("bigint", { method: "CUSTOM", sql: "{col} -- x" });
    expect(b.expr).toBe("CAST(NULL AS bigint)");
    expect(b.applied.fallback).toMatch(/comments/);
  });

  it("HASH without a key falls back to NULL", () => {
    const r = compile(ds([{ name: "c", type: "varchar" }]), [policy(mask({ method: "HASH" }))], user, { hashKey: "" });
    expect(r.sql).toContain(`CAST(NULL AS varchar) AS "c"`);
    expect(r.applied.columns.c!.fallback).toMatch(/no hash key/);
  });

  it("HASH with hashKeyFrom reads the key from the table: the key is nowhere in the SQL", () => {
    const from = { catalog: "governed", schema: "steward_internal", table: "hash_key", column: "key" };
    const r = compile(ds([{ name: "c", type: "bigint" }, { name: "b", type: "varbinary" }]), [policy(mask({ method: "HASH" }, { columns: ["c", "b"] }))], user, {
      hashKey: "s3cret-key",
      hashKeyFrom: from,
    });
    const key = `to_utf8((SELECT "key" FROM "governed"."steward_internal"."hash_key"))`;
    expect(r.sql).toContain(`lower(to_hex(hmac_sha256(to_utf8(CAST("c" AS varchar)), ${key}))) AS "c"`);
    expect(r.sql).toContain(`lower(to_hex(hmac_sha256("b", ${key}))) AS "b"`);
    expect(r.sql).not.toContain("s3cret-key");
    expect(r.columns.map((c) => c.type)).toEqual(["varchar", "varchar"]);
    // no literal key needed then
    expect(compile(ds([{ name: "c", type: "varchar" }]), [policy(mask({ method: "HASH" }))], user, { hashKey: "", hashKeyFrom: from }).applied.columns.c!.fallback).toBeUndefined();
  });

  it("an unknown mask method falls back to NULL", () => {
    const r = maskOne("varchar", { method: "TOKENIZE" } as unknown as MaskMethod);
    expect(r.expr).toBe("CAST(NULL AS varchar)");
    expect(r.applied.fallback).toMatch(/not supported/);
  });

  it("ROUND clamps into the type's range with bounds that cast back", () => {
    const r = maskOne("decimal(38,0)", { method: "ROUND", n: 10 });
    expect(r.expr).toBe(
      `CAST(least(greatest(round(CAST("c" AS double) / 1E1) * 1E1, -9.999999999999998E37), 9.999999999999998E37) AS decimal(38,0))`,
    );
    // the bound, read exactly or through its shortest decimal form, fits decimal(38,0)
    expect(BigInt(9.999999999999998e37) < 10n ** 38n).toBe(true);
    expect(BigInt(Number("9.999999999999998E37"))).toBe(BigInt(9.999999999999998e37));
    const s = maskOne("integer", { method: "ROUND", n: 7 });
    expect(s.expr).toContain("-2.147483648E9), 2.147483647E9) AS integer)");
  });
});

describe("CONSTANT: column type when the value certainly casts, else varchar", () => {
  it.each<[string, string, string, string]>([
    ["bigint", "42", `CAST('42' AS bigint)`, "bigint"],
    ["bigint", "+007", `CAST('7' AS bigint)`, "bigint"],
    ["bigint", "9223372036854775807", `CAST('9223372036854775807' AS bigint)`, "bigint"],
    ["bigint", "9223372036854775808", `CAST('9223372036854775808' AS varchar)`, "varchar"],
    ["tinyint", "128", `CAST('128' AS varchar)`, "varchar"],
    ["tinyint", "-128", `CAST('-128' AS tinyint)`, "tinyint"],
    ["integer", "1.5", `CAST('1.5' AS varchar)`, "varchar"],
    ["integer", "n/a", `CAST('n/a' AS varchar)`, "varchar"],
    ["decimal(5,2)", "123.45", `CAST('123.45' AS decimal(5,2))`, "decimal(5,2)"],
    ["decimal(5,2)", "-0.5", `CAST('-0.5' AS decimal(5,2))`, "decimal(5,2)"],
    ["decimal(5,2)", "0001.5", `CAST('1.5' AS decimal(5,2))`, "decimal(5,2)"],
    ["decimal(5,2)", "1234.5", `CAST('1234.5' AS varchar)`, "varchar"],
    ["decimal(5,2)", "1.234", `CAST('1.234' AS varchar)`, "varchar"],
    ["double", "1e3", `CAST('1000' AS double)`, "double"],
    ["double", "-.5", `CAST('-0.5' AS double)`, "double"],
    ["double", "1e999", `CAST('1e999' AS varchar)`, "varchar"],
    ["double", "NaN", `CAST('NaN' AS varchar)`, "varchar"],
    ["real", "1e39", `CAST('1e39' AS varchar)`, "varchar"],
    ["real", "2.5", `CAST('2.5' AS real)`, "real"],
    ["boolean", "TRUE", `true`, "boolean"],
    ["boolean", "false", `false`, "boolean"],
    ["boolean", "yes", `CAST('yes' AS varchar)`, "varchar"],
    ["date", "2024-02-29", `CAST('2024-02-29' AS date)`, "date"],
    ["date", "2023-02-29", `CAST('2023-02-29' AS varchar)`, "varchar"],
    ["date", "2024-1-1", `CAST('2024-1-1' AS varchar)`, "varchar"],
    ["timestamp(3)", "2024-01-31 23:59:59.123", `CAST('2024-01-31 23:59:59.123' AS timestamp(3))`, "timestamp(3)"],
    ["timestamp(3)", "2024-01-31", `CAST('2024-01-31' AS timestamp(3))`, "timestamp(3)"],
    ["timestamp(3)", "2024-01-31 24:00", `CAST('2024-01-31 24:00' AS varchar)`, "varchar"],
    ["timestamp(3) with time zone", "2024-01-31 10:00:00 UTC", `CAST('2024-01-31 10:00:00 UTC' AS timestamp(3) with time zone)`, "timestamp(3) with time zone"],
    ["timestamp(3) with time zone", "2024-01-31 10:00 +05:30", `CAST('2024-01-31 10:00 +05:30' AS timestamp(3) with time zone)`, "timestamp(3) with time zone"],
    ["timestamp(3) with time zone", "2024-01-31 10:00:00", `CAST('2024-01-31 10:00:00' AS varchar)`, "varchar"],
    ["time(3)", "12:30:00.5", `CAST('12:30:00.5' AS time(3))`, "time(3)"],
    ["varchar", "it's", `CAST('it''s' AS varchar)`, "varchar"],
    ["varchar(5)", "héllo", `CAST('héllo' AS varchar(5))`, "varchar(5)"],
    ["varchar(5)", "😀😀😀😀😀", `CAST('😀😀😀😀😀' AS varchar(5))`, "varchar(5)"],
    ["varchar(5)", "toolong", `CAST('toolong' AS varchar)`, "varchar"],
    ["char(3)", "ab", `CAST('ab' AS char(3))`, "char(3)"],
    ["char(3)", "abcd", `CAST('abcd' AS varchar)`, "varchar"],
    ["uuid", "123E4567-E89B-12D3-A456-426614174000", `CAST('123e4567-e89b-12d3-a456-426614174000' AS uuid)`, "uuid"],
    ["json", "{}", `CAST('{}' AS varchar)`, "varchar"],
    ["array(bigint)", "[1]", `CAST('[1]' AS varchar)`, "varchar"],
    ["varchar", "", `CAST('' AS varchar)`, "varchar"],
    ["varchar", "a\nb", `CAST(U&'a\\000Ab' AS varchar)`, "varchar"],
  ])("%s <- %j", (type, value, expr, declared) => {
    const r = maskOne(type, { method: "CONSTANT", value });
    expect(r.expr).toBe(expr);
    expect(r.type).toBe(declared);
  });
});

describe("cell predicates (only where)", () => {
  it("same type: ELSE the column", () => {
    const r = maskOne("decimal(12,2)", { method: "NULL" }, {}, "{col} > 100000");
    expect(r.expr).toBe(`CASE WHEN ("c" > 100000) THEN CAST(NULL AS decimal(12,2)) ELSE "c" END`);
    expect(r.type).toBe("decimal(12,2)");
  });

  it("varchar mask: ELSE the column cast to varchar", () => {
    const r = maskOne("bigint", { method: "HASH" }, {}, "region <> 'US'");
    expect(r.expr).toBe(
      `CASE WHEN (region <> 'US') THEN lower(to_hex(hmac_sha256(to_utf8(CAST("c" AS varchar)), to_utf8('k3y')))) ELSE CAST("c" AS varchar) END`,
    );
    expect(r.type).toBe("varchar");
  });

  it("CONSTANT that casts keeps the column type in both branches", () => {
    const r = maskOne("varchar(10)", { method: "CONSTANT", value: "n/a" }, {}, "NOT contains(@attribute('region'), region)");
    expect(r.expr).toBe(`CASE WHEN (NOT contains(ARRAY['EU', 'US'], region)) THEN CAST('n/a' AS varchar(10)) ELSE "c" END`);
    expect(r.type).toBe("varchar(10)");
  });

  it("CONSTANT falling back to varchar casts the ELSE branch", () => {
    const r = maskOne("date", { method: "CONSTANT", value: "unknown" }, {}, "@username <> 'root'");
    expect(r.expr).toBe(`CASE WHEN ('alice' <> 'root') THEN CAST('unknown' AS varchar) ELSE CAST("c" AS varchar) END`);
    expect(r.type).toBe("varchar");
  });

  it("a varchar mask on a type that does not cast to varchar becomes NULL, predicate kept", () => {
    const r = maskOne("json", { method: "CONSTANT", value: "x" }, {}, "flag");
    expect(r.expr).toBe(`CASE WHEN (flag) THEN CAST(NULL AS json) ELSE "c" END`);
    expect(r.type).toBe("json");
    expect(r.applied.fallback).toMatch(/NULL used/);
  });

  it("CUSTOM with a customType casts the ELSE branch to it", () => {
    const r = maskOne("integer", { method: "CUSTOM", sql: "{col} / 10 * 10" }, { customType: "bigint" }, "{col} > 5");
    expect(r.expr).toBe(`CASE WHEN ("c" > 5) THEN CAST(("c" / 10 * 10) AS bigint) ELSE CAST("c" AS bigint) END`);
  });

  it("a rejected predicate masks every row", () => {
    const r = maskOne("varchar", { method: "REDACT" }, {}, "x = 1 -- all");
    expect(r.expr.startsWith("CASE")).toBe(false);
    expect(r.applied.fallback).toMatch(/cell predicate rejected.*every row/);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("row filters", () => {
  it.each<[string, RowFilter, { name: string; type: string }[], string]>([
    ["MATCH_ATTRIBUTE", { kind: "MATCH_ATTRIBUTE", column: "c", key: "region" }, [{ name: "c", type: "varchar(5)" }], `"c" IN ('EU', 'US')`],
    // 'EU' and 'US' are no bigint's varchar form: they never matched, so no rows (as before, now without a cast)
    ["MATCH_ATTRIBUTE numeric column", { kind: "MATCH_ATTRIBUTE", column: "C", key: "region" }, [{ name: "c", type: "bigint" }], `false`],
    ["MATCH_ATTRIBUTE no values", { kind: "MATCH_ATTRIBUTE", column: "c", key: "dept" }, [{ name: "c", type: "varchar" }], `false`],
    ["MATCH_ATTRIBUTE unknown key", { kind: "MATCH_ATTRIBUTE", column: "c", key: "nope" }, [{ name: "c", type: "varchar" }], `false`],
    ["MATCH_ATTRIBUTE prototype key", { kind: "MATCH_ATTRIBUTE", column: "c", key: "__proto__" }, [{ name: "c", type: "varchar" }], `false`],
    ["MATCH_GROUP", { kind: "MATCH_GROUP", column: "c" }, [{ name: "c", type: "varchar" }], `"c" IN ('eng', 'hr')`],
    [
      "WHERE with macros",
      { kind: "WHERE", sql: "owner = @username OR contains(@groups, team) OR contains(@attribute('region'), r) OR contains(@purposes, p)" },
      [{ name: "c", type: "varchar" }],
      `owner = 'alice' OR contains(ARRAY['eng', 'hr'], team) OR contains(ARRAY['EU', 'US'], r) OR contains(ARRAY['audit'], p)`,
    ],
    ["WHERE macros inside literals untouched", { kind: "WHERE", sql: "note <> '@username'" }, [{ name: "c", type: "varchar" }], `note <> '@username'`],
    ["TIME_WINDOW timestamp", { kind: "TIME_WINDOW", column: "c", amount: 30, unit: "day" }, [{ name: "c", type: "timestamp(3)" }], `"c" >= CAST((current_timestamp AT TIME ZONE 'UTC') AS timestamp(3)) - INTERVAL '30' DAY`],
    ["TIME_WINDOW timestamptz", { kind: "TIME_WINDOW", column: "c", amount: 2, unit: "hour" }, [{ name: "c", type: "timestamp(3) with time zone" }], `"c" >= (current_timestamp AT TIME ZONE 'UTC') - INTERVAL '2' HOUR`],
    ["TIME_WINDOW date", { kind: "TIME_WINDOW", column: "c", amount: 1, unit: "year" }, [{ name: "c", type: "date" }], `"c" >= CAST((current_timestamp AT TIME ZONE 'UTC') AS date) - INTERVAL '1' YEAR`],
    ["TIME_WINDOW date, sub-day unit", { kind: "TIME_WINDOW", column: "c", amount: 36, unit: "hour" }, [{ name: "c", type: "date" }], `"c" >= CAST(CAST((current_timestamp AT TIME ZONE 'UTC') AS timestamp(3)) - INTERVAL '36' HOUR AS date)`],
    [
      "MINIMIZE one key",
      { kind: "MINIMIZE", percent: 10, keyColumns: ["c"] },
      [{ name: "c", type: "bigint" }],
      `mod(mod(from_big_endian_64(xxhash64(to_utf8(coalesce(CAST("c" AS varchar), '')))), 10000) + 10000, 10000) < 1000`,
    ],
    [
      "MINIMIZE two keys",
      { kind: "MINIMIZE", percent: 0.5, keyColumns: ["c", "d"] },
      [{ name: "c", type: "bigint" }, { name: "d", type: "date" }],
      `mod(mod(from_big_endian_64(xxhash64(to_utf8(concat_ws('|', coalesce(CAST("c" AS varchar), ''), coalesce(CAST("d" AS varchar), ''))))), 10000) + 10000, 10000) < 50`,
    ],
    ["MINIMIZE 100%", { kind: "MINIMIZE", percent: 100, keyColumns: ["c"] }, [{ name: "c", type: "bigint" }], `true`],
    ["PURPOSE_RESTRICT listed", { kind: "PURPOSE_RESTRICT", purposes: ["marketing", "audit"] }, [{ name: "c", type: "bigint" }], `true`],
    ["PURPOSE_RESTRICT not listed", { kind: "PURPOSE_RESTRICT", purposes: ["marketing"] }, [{ name: "c", type: "bigint" }], `false`],
  ])("%s", (_label, f, columns, where) => {
    const r = filterSql(f, columns);
    expect(r.where).toBe(where);
    expect(r.applied.kind).toBe(f.kind);
    expect(r.applied.fallback).toBeUndefined();
  });

  it("PURPOSE_RESTRICT is false for a user without active purposes", () => {
    expect(filterSql({ kind: "PURPOSE_RESTRICT", purposes: ["audit"] }, undefined, { ...user, purposes: [] }).where).toBe("false");
  });

  it("MATCH_GROUP with no groups is false", () => {
    expect(filterSql({ kind: "MATCH_GROUP", column: "c" }, undefined, { ...user, groups: [] }).where).toBe("false");
  });

  it.each<[string, RowFilter, { name: string; type: string }[], RegExp]>([
    ["MATCH_ATTRIBUTE missing column", { kind: "MATCH_ATTRIBUTE", column: "x", key: "region" }, [{ name: "c", type: "varchar" }], /not found/],
    ["MATCH_GROUP missing column", { kind: "MATCH_GROUP", column: "x" }, [{ name: "c", type: "varchar" }], /not found/],
    ["MATCH_GROUP array column", { kind: "MATCH_GROUP", column: "c" }, [{ name: "c", type: "array(varchar)" }], /cannot be compared/],
    ["TIME_WINDOW missing column", { kind: "TIME_WINDOW", column: "x", amount: 1, unit: "day" }, [{ name: "c", type: "date" }], /not found/],
    ["TIME_WINDOW on varchar", { kind: "TIME_WINDOW", column: "c", amount: 1, unit: "day" }, [{ name: "c", type: "varchar" }], /not a date or timestamp/],
    ["MINIMIZE missing key", { kind: "MINIMIZE", percent: 5, keyColumns: ["c", "x"] }, [{ name: "c", type: "varchar" }], /not found/],
    ["MINIMIZE json key", { kind: "MINIMIZE", percent: 5, keyColumns: ["c"] }, [{ name: "c", type: "json" }], /cannot be hashed/],
    ["WHERE rejected", { kind: "WHERE", sql: "true) OR (1=1" }, [{ name: "c", type: "varchar" }], /rejected/],
    ["WHERE with a comment", { kind: "WHERE", sql: "a = 1 --" }, [{ name: "c", type: "varchar" }], /comments/],
    ["unknown kind", { kind: "SAMPLE" } as unknown as RowFilter, [{ name: "c", type: "varchar" }], /not supported/],
  ])("fails closed: %s", (_label, f, columns, reason) => {
    const r = filterSql(f, columns);
    expect(r.where).toBe("false");
    expect(r.applied.fallback).toMatch(reason);
  });

  it("orders filters by createdAt, then id, whatever the input order", () => {
    const a = policy(filter({ kind: "WHERE", sql: "a = 1" }), { id: "b", createdAt: "2024-01-02T00:00:00Z" });
    const b = policy(filter({ kind: "WHERE", sql: "b = 1" }), { id: "a", createdAt: "2024-01-02T00:00:00Z" });
    const c = policy(filter({ kind: "WHERE", sql: "c = 1" }), { id: "z", createdAt: "2024-01-01T23:00:00-02:00" });
    const source = ds([{ name: "c", type: "varchar" }]);
    for (const order of [[a, b, c], [c, b, a], [b, c, a]]) {
      const r = compile(source, order, user, KEY);
      expect(r.sql.endsWith(`WHERE (b = 1) AND (a = 1) AND (c = 1)`)).toBe(true);
      expect(r.applied.rowFilters.map((f) => f.policyId)).toEqual(["a", "b", "z"]);
    }
  });
});

describe("row filters: attribute and group values as literals of the column's type (pushdown)", () => {
  const attr = (type: string, values: string[]) =>
    filterSql({ kind: "MATCH_ATTRIBUTE", column: "c", key: "k" }, [{ name: "c", type }], { ...user, attributes: { k: values } });

  it("compares the column itself with typed literals: CAST(nationkey AS varchar) IN ('7', '8') is gone", () => {
    const r = filterSql({ kind: "MATCH_ATTRIBUTE", column: "nationkey", key: "nation" }, [{ name: "nationkey", type: "bigint" }], {
      ...user,
      attributes: { nation: ["8", "7", "07", "7.0", "+7", " 7"] },
    });
    // '07', '7.0', '+7', ' 7' were never equal to CAST(7 AS varchar) = '7': left out, the meaning is unchanged
    expect(r.where).toBe(`"nationkey" IN (7, 8)`);
    expect(r.applied.fallback).toBeUndefined();
  });

  it.each<[string, string[], string]>([
    ["tinyint", ["7", "300"], `"c" IN (TINYINT '7')`],
    ["smallint", ["-7"], `"c" IN (SMALLINT '-7')`],
    ["integer", ["-2147483648", "2147483647"], `"c" IN (INTEGER '-2147483648', 2147483647)`],
    ["bigint", ["-9223372036854775808", "9223372036854775807", "9223372036854775808"], `"c" IN (BIGINT '-9223372036854775808', 9223372036854775807)`],
    ["decimal(12,2)", ["1234.56", "1234.5", "-0.05"], `"c" IN (DECIMAL '-0.05', DECIMAL '1234.56')`],
    ["boolean", ["true", "TRUE", "1"], `"c" IN (true)`],
    ["date", ["2024-01-31", "2024-1-31", "2024-02-30"], `"c" IN (DATE '2024-01-31')`],
    ["timestamp(3)", ["2024-01-31 10:00:00.000", "2024-01-31 10:00:00", "2024-01-31"], `"c" IN (TIMESTAMP '2024-01-31 10:00:00.000')`],
    ["timestamp(6)", ["2024-01-31 10:00:00.000001"], `"c" IN (TIMESTAMP '2024-01-31 10:00:00.000001')`],
    ["time(3)", ["12:00:00.000", "12:00"], `"c" IN (TIME '12:00:00.000')`],
    ["varchar(2)", ["EU", "EUR"], `"c" IN ('EU')`],
    ["char(3)", ["ab ", "ab"], `"c" IN (CAST('ab ' AS char(3)))`],
    ["uuid", ["12151fd2-7586-11e9-8f9e-2a86e4085a59", "12151FD2-7586-11E9-8F9E-2A86E4085A59"], `"c" IN (UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59')`],
    ["ipaddress", ["10.0.0.1", "010.0.0.1", "2001:db8::1"], `"c" IN (IPADDRESS '10.0.0.1', IPADDRESS '2001:db8::1')`],
    ["double", ["1.5E0", "1.5"], `"c" IN (1.5E0) AND CAST("c" AS varchar) IN ('1.5E0')`],
    ["real", ["1.5E0"], `CAST("c" AS varchar) IN ('1.5E0')`],
    ["timestamp(3) with time zone", ["2024-01-31 10:00:00.000 UTC"], `CAST("c" AS varchar) IN ('2024-01-31 10:00:00.000 UTC')`],
    ["bigint", ["x", "null", ""], `false`],
  ])("%s among %j", (type, values, where) => {
    const r = attr(type, values);
    expect(r.where).toBe(where);
    expect(r.applied.fallback).toBeUndefined();
  });

  it("MATCH_GROUP: group names that are no value of the column's type leave no rows", () => {
    expect(filterSql({ kind: "MATCH_GROUP", column: "c" }, [{ name: "c", type: "bigint" }]).where).toBe("false");
    expect(filterSql({ kind: "MATCH_GROUP", column: "c" }, [{ name: "c", type: "integer" }], { ...user, groups: ["42", "hr"] }).where).toBe(`"c" IN (42)`);
  });

  // the grep of issue 9: no attribute or group filter on a supported type wraps the column in a cast
  it.each([
    ["tinyint", "7"],
    ["smallint", "7"],
    ["integer", "7"],
    ["bigint", "7"],
    ["decimal(12,2)", "7.00"],
    ["decimal(38,0)", "7"],
    ["boolean", "true"],
    ["date", "2024-01-31"],
    ["timestamp(0)", "2024-01-31 10:00:00"],
    ["timestamp(3)", "2024-01-31 10:00:00.000"],
    ["timestamp(9)", "2024-01-31 10:00:00.000000000"],
    ["time(3)", "10:00:00.000"],
    ["varchar", "EU"],
    ["varchar(10)", "EU"],
    ["char(2)", "EU"],
    ["uuid", "12151fd2-7586-11e9-8f9e-2a86e4085a59"],
    ["ipaddress", "10.0.0.1"],
  ])("no CAST on the column: %s", (type, value) => {
    for (const f of [{ kind: "MATCH_ATTRIBUTE", column: "c", key: "k" } as const, { kind: "MATCH_GROUP", column: "c" } as const]) {
      const r = compile(ds([{ name: "c", type }]), [policy(filter(f))], { ...user, groups: [value, "x"], attributes: { k: [value, "x"] } }, KEY);
      const where = r.sql.slice(r.sql.indexOf(" WHERE "));
      expect(where).not.toMatch(/CAST\("c"/i);
      expect(where).toMatch(/^ WHERE \("c" IN \(/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("which policies apply", () => {
  const source = ds(
    [
      { name: "id", type: "bigint" },
      { name: "email", type: "varchar", tags: ["PII.Email"] },
      { name: "phone", type: "varchar", tags: ["PII.Phone.Mobile"] },
      { name: "note", type: "varchar", tags: ["PIIX"] },
    ],
    ["HR", "Finance"],
  );
  const maskedBy = (ps: PolicyInput[], u: UserContext = user) => {
    const r = compile(source, ps, u, KEY);
    return Object.fromEntries(Object.entries(r.applied.columns).map(([c, a]) => [c, a.policyId]));
  };
  const filtersOf = (ps: PolicyInput[], u: UserContext = user) => compile(source, ps, u, KEY).applied.rowFilters.map((f) => f.policyId);

  it("tag ancestry", () => {
    expect(tagCovers("PII", "PII")).toBe(true);
    expect(tagCovers("PII", "PII.Email")).toBe(true);
    expect(tagCovers("PII", "PII.Email.Work")).toBe(true);
    expect(tagCovers("PII.Email", "PII")).toBe(false);
    expect(tagCovers("PII", "PIIX")).toBe(false);
    expect(tagCovers("PII", "PIIX.Email")).toBe(false);
    expect(tagCovers("pii", "PII")).toBe(false);
  });

  it("LOCAL applies to its own data source only", () => {
    const mine = policy(mask({ method: "NULL" }, { columns: ["id"] }), { id: "mine" });
    const other = policy(mask({ method: "NULL" }, { columns: ["id"] }), { id: "other", dataSourceId: "ds2" });
    expect(maskedBy([mine, other])).toEqual({ id: "mine" });
  });

  it("GLOBAL applies through a table tag, a column tag, or an ancestor of either", () => {
    const g = (id: string, tag: string) => policy(filter({ kind: "WHERE", sql: "true" }), { id, scope: "GLOBAL", dataSourceId: undefined, tag });
    const ps = [g("table", "HR"), g("col", "PII.Email"), g("ancestor", "PII"), g("deep", "PII.Phone"), g("child", "HR.Payroll"), g("prefix", "PI"), g("other", "Sales"), g("none", "")];
    expect(filtersOf(ps)).toEqual(["ancestor", "col", "deep", "table"]);
  });

  it("tag-targeted masks select columns carrying the tag or a descendant, never through a table tag", () => {
    const pii = policy(mask({ method: "NULL" }, { tag: "PII" }), { id: "pii", scope: "GLOBAL", dataSourceId: undefined, tag: "PII" });
    const fin = policy(mask({ method: "NULL" }, { tag: "Finance" }), { id: "fin", scope: "GLOBAL", dataSourceId: undefined, tag: "Finance" });
    expect(maskedBy([pii, fin])).toEqual({ email: "pii", phone: "pii" });
  });

  it("a GLOBAL mask may name columns: masks them where the scope tag applies", () => {
    const byName = policy(mask({ method: "NULL" }, { columns: ["ID", "missing"] }), { id: "g", scope: "GLOBAL", dataSourceId: undefined, tag: "Finance" });
    expect(maskedBy([byName])).toEqual({ id: "g" });
  });

  it("scope tag and target tag may differ: on Finance tables, mask PII.Email columns", () => {
    const p = policy(mask({ method: "NULL" }, { tag: "PII.Email" }), { id: "g", scope: "GLOBAL", dataSourceId: undefined, tag: "Finance" });
    expect(maskedBy([p])).toEqual({ email: "g" });
  });

  it("who filters policies per user", () => {
    const hrOnly = policy(filter({ kind: "WHERE", sql: "true" }), { id: "hr", who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "hr" }] } } });
    const notHr = policy(filter({ kind: "WHERE", sql: "false" }), { id: "nothr", who: { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "group", group: "hr" }] } } });
    expect(filtersOf([hrOnly, notHr])).toEqual(["hr"]);
    expect(filtersOf([hrOnly, notHr], { ...user, groups: [] })).toEqual(["nothr"]);
  });
});

describe("mask conflicts", () => {
  const source = ds([
    { name: "email", type: "varchar", tags: ["PII.Email"] },
    { name: "ssn", type: "varchar", tags: ["PII"] },
  ]);
  const g = (id: string, tag: string, createdAt = "2024-01-01T00:00:00Z", m: MaskMethod = { method: "NULL" }) =>
    policy(mask(m, { tag }), { id, name: `name-${id}`, scope: "GLOBAL", dataSourceId: undefined, tag, createdAt });
  const l = (id: string, cols: string[], createdAt = "2024-01-01T00:00:00Z", extra: Partial<PolicyInput> = {}) =>
    policy(mask({ method: "REDACT" }, { columns: cols }), { id, name: `name-${id}`, createdAt, ...extra });
  const result = (ps: PolicyInput[], u: UserContext = user) => compile(source, ps, u, KEY).applied.columns;

  it("LOCAL beats GLOBAL even when created later", () => {
    const r = result([g("glob", "PII.Email", "2020-01-01T00:00:00Z"), l("loc", ["email"], "2025-01-01T00:00:00Z")]);
    expect(r.email).toEqual({ policyId: "loc", policyName: "name-loc", method: "REDACT", overridden: [{ policyId: "glob", policyName: "name-glob" }] });
  });

  it("among GLOBAL the deeper tag wins, even when created later", () => {
    const r = result([g("shallow", "PII", "2020-01-01T00:00:00Z"), g("deep", "PII.Email", "2025-01-01T00:00:00Z", { method: "HASH" })]);
    expect(r.email!.policyId).toBe("deep");
    expect(r.email!.overridden).toEqual([{ policyId: "shallow", policyName: "name-shallow" }]);
    expect(r.ssn!.policyId).toBe("shallow");
    expect(r.ssn!.overridden).toEqual([]);
  });

  it("ties go to the earlier createdAt, then the smaller id", () => {
    const r = result([g("b", "PII", "2024-01-01T00:00:00Z"), g("c", "PII", "2023-06-01T00:00:00Z"), g("a", "PII", "2024-01-01T00:00:00Z")]);
    expect(r.ssn!.policyId).toBe("c");
    expect(r.ssn!.overridden.map((o) => o.policyId)).toEqual(["a", "b"]);
  });

  it("ties among LOCAL policies by creation", () => {
    const r = result([l("late", ["email"], "2024-02-01T00:00:00Z"), l("early", ["EMAIL"], "2024-01-01T00:00:00Z")]);
    expect(r.email!.policyId).toBe("early");
    expect(r.email!.overridden.map((o) => o.policyId)).toEqual(["late"]);
  });

  it("full precedence: LOCAL by age, then GLOBAL by depth then age", () => {
    const r = result([
      g("g-shallow-old", "PII", "2000-01-01T00:00:00Z"),
      g("g-deep-new", "PII.Email", "2024-01-01T00:00:00Z"),
      g("g-deep-old", "PII.Email", "2010-01-01T00:00:00Z"),
      l("l-new", ["email"], "2024-06-01T00:00:00Z"),
      l("l-old", ["email"], "2024-05-01T00:00:00Z"),
    ]);
    expect([r.email!.policyId, ...r.email!.overridden.map((o) => o.policyId)]).toEqual(["l-old", "l-new", "g-deep-old", "g-deep-new", "g-shallow-old"]);
  });

  it("a LOCAL mask that does not apply to the user does not shield the column", () => {
    const hrOnly = l("loc", ["email"], "2024-01-01T00:00:00Z", { who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "hr" }] } } });
    const glob = g("glob", "PII");
    expect(result([hrOnly, glob]).email!.policyId).toBe("loc");
    expect(result([hrOnly, glob], { ...user, groups: [] }).email!.policyId).toBe("glob");
  });
});

describe("determinism", () => {
  it("gives byte-identical output whatever the order of policies, groups and attribute values", () => {
    const source = ds([
      { name: "a", type: "varchar", tags: ["PII"] },
      { name: "b", type: "bigint", tags: ["PII.Id"] },
      { name: "c", type: "date" },
    ], ["T"]);
    const ps = [
      policy(mask({ method: "HASH" }, { tag: "PII" }), { scope: "GLOBAL", dataSourceId: undefined, tag: "PII" }),
      policy(mask({ method: "ROUND", n: 10 }, { tag: "PII.Id" }), { scope: "GLOBAL", dataSourceId: undefined, tag: "PII.Id" }),
      policy(mask({ method: "ROUND", unit: "month" }, { columns: ["c"] })),
      policy(filter({ kind: "MATCH_ATTRIBUTE", column: "a", key: "region" })),
      policy(filter({ kind: "WHERE", sql: "contains(@groups, a)" }), { createdAt: "2023-01-01T00:00:00Z" }),
    ];
    const base = JSON.stringify(compile(source, ps, user, KEY));
    const shuffled = [...ps].reverse();
    const u2: UserContext = { ...user, groups: [...user.groups].reverse(), attributes: { dept: [], region: ["EU", "US"] } };
    expect(JSON.stringify(compile(source, shuffled, u2, KEY))).toBe(base);
    expect(JSON.stringify(compile(source, ps, user, KEY))).toBe(base);
  });

  it("keeps a column named __proto__ as an own key of applied.columns", () => {
    const r = compile(ds([{ name: "__proto__", type: "varchar" }]), [policy(mask({ method: "NULL" }, { columns: ["__proto__"] }))], user, KEY);
    expect(Object.keys(r.applied.columns)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(r.applied.columns, "__proto__")?.value).toMatchObject({ method: "NULL" });
    expect(JSON.stringify(r.applied.columns)).toBe(`{"__proto__":{"policyId":"${r.applied.columns["__proto__"]!.policyId}","policyName":"${r.applied.columns["__proto__"]!.policyName}","method":"NULL","overridden":[]}}`);
  });
});
