import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparisonKind, constantRefusal, matchValues, typedLiteral } from "./literals";
import { parseType, tokenize } from "./sql";

const lit = (type: string, value: string) => typedLiteral(value, parseType(type));
const match = (type: string, values: string[]) => matchValues(`"c"`, parseType(type), values);

// [type, value, the typed literal, or a pattern of the reason it does not convert]
type Row = [string, string, string | RegExp];

/** Table-driven: each value either is Trino's varchar form of a value of the type (a literal), or is refused. */
function table(rows: Row[]) {
  it.each(rows)("%s <- %j", (type, value, want) => {
    const r = lit(type, value);
    if (typeof want === "string") {
      expect(r).toEqual({ ok: true, literal: want });
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(want);
    }
  });
}

const NOT_INT = /is not a (bigint|integer|smallint|tinyint)/;
const RANGE = /out of range/;

describe("integers: Long.toString, within the type's range", () => {
  table([
    ["bigint", "7", "7"],
    ["bigint", "0", "0"],
    ["bigint", "-7", "-7"],
    ["bigint", "2147483648", "2147483648"],
    ["bigint", "9223372036854775807", "9223372036854775807"],
    ["bigint", "-9223372036854775808", "BIGINT '-9223372036854775808'"],
    ["bigint", "9223372036854775808", RANGE],
    ["bigint", "-9223372036854775809", RANGE],
    ["bigint", "99999999999999999999", NOT_INT],
    ["bigint", "07", NOT_INT],
    ["bigint", "00", NOT_INT],
    ["bigint", "+7", NOT_INT],
    ["bigint", "-0", NOT_INT],
    ["bigint", " 7", NOT_INT],
    ["bigint", "7 ", NOT_INT],
    ["bigint", "7\n", NOT_INT],
    ["bigint", "7.0", NOT_INT],
    ["bigint", "7e0", NOT_INT],
    ["bigint", "1E3", NOT_INT],
    ["bigint", "0x7", NOT_INT],
    ["bigint", "1_000", NOT_INT],
    ["bigint", "٧", NOT_INT],
    ["bigint", "", NOT_INT],
    ["bigint", "null", NOT_INT],
    ["bigint", "NULL", NOT_INT],
    ["bigint", "NaN", NOT_INT],
    ["integer", "2147483647", "2147483647"],
    ["integer", "-2147483648", "INTEGER '-2147483648'"],
    ["integer", "2147483648", RANGE],
    ["int", "-5", "-5"],
    ["smallint", "32767", "SMALLINT '32767'"],
    ["smallint", "-32768", "SMALLINT '-32768'"],
    ["smallint", "32768", RANGE],
    ["tinyint", "127", "TINYINT '127'"],
    ["tinyint", "-128", "TINYINT '-128'"],
    ["tinyint", "128", RANGE],
    ["tinyint", "-129", RANGE],
  ]);

  it("property: a bigint converts from its decimal form and from nothing else", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const r = lit("bigint", v.toString());
        expect(r.ok).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (s) => {
        const canonical = /^-?\d+$/.test(s) && BigInt(s).toString() === s && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;
        expect(lit("bigint", s).ok).toBe(canonical);
      }),
    );
  });
});

/** Trino's Decimals.toString(unscaled, scale), ported: the reference the decimal rules are checked against. */
function trinoDecimal(unscaled: bigint, scale: number): string {
  let digits = unscaled.toString();
  let out = "";
  if (digits.startsWith("-")) {
    out = "-";
    digits = digits.slice(1);
  }
  out += digits.length <= scale ? "0" : digits.slice(0, digits.length - scale);
  if (scale > 0) out += `.${digits.length < scale ? "0".repeat(scale - digits.length) + digits : digits.slice(digits.length - scale)}`;
  return out;
}

describe("decimals: exactly `scale` decimal places, at most precision - scale integer digits", () => {
  const NOT = /is not a decimal/;
  table([
    ["decimal(12,2)", "12.30", "DECIMAL '12.30'"],
    ["decimal(12,2)", "-0.05", "DECIMAL '-0.05'"],
    ["decimal(12,2)", "0.00", "DECIMAL '0.00'"],
    ["decimal(12,2)", "9999999999.99", "DECIMAL '9999999999.99'"],
    ["decimal(12,2)", "-9999999999.99", "DECIMAL '-9999999999.99'"],
    ["decimal(12,2)", "10000000000.00", RANGE],
    ["decimal(12,2)", "12.3", NOT],
    ["decimal(12,2)", "12.300", NOT],
    ["decimal(12,2)", "12", NOT],
    ["decimal(12,2)", "012.30", NOT],
    ["decimal(12,2)", "+12.30", NOT],
    ["decimal(12,2)", "-0.00", /zero has no sign/],
    ["decimal(12,2)", ".50", NOT],
    ["decimal(12,2)", "1.23E1", NOT],
    ["decimal(12,2)", " 12.30", NOT],
    ["decimal(12,2)", "NaN", NOT],
    ["decimal(5,0)", "12345", "DECIMAL '12345'"],
    ["decimal(5,0)", "12345.", NOT],
    ["decimal(5,0)", "123456", RANGE],
    ["decimal(3,3)", "0.123", "DECIMAL '0.123'"],
    ["decimal(3,3)", "-0.001", "DECIMAL '-0.001'"],
    ["decimal(3,3)", "1.000", RANGE],
    ["decimal", "9".repeat(38), `DECIMAL '${"9".repeat(38)}'`],
    ["decimal", "1".repeat(39), RANGE],
  ]);

  it("property: every decimal(p,s) value's varchar form converts, and a changed form does not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 38 }), fc.integer({ min: 0, max: 38 }), fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), (p, s0, u0) => {
        const s = Math.min(s0, p);
        const u = u0 % 10n ** BigInt(p);
        const type = `decimal(${p},${s})`;
        const text = trinoDecimal(u, s);
        expect(lit(type, text)).toEqual({ ok: true, literal: `DECIMAL '${text}'` });
        expect(lit(type, `0${text.replace("-", "")}`).ok).toBe(false);
        expect(lit(type, s > 0 ? `${text}0` : `${text}.0`).ok).toBe(false);
      }),
    );
  });
});

describe("double: DecimalFormat 0.0###################E0; the varchar comparison decides", () => {
  const NOT = /is not a double/;
  table([
    ["double", "1.5E0", "1.5E0"],
    ["double", "-2.0E-3", "-2.0E-3"],
    ["double", "1.0E20", "1.0E20"],
    ["double", "1.7976931348623157E308", "1.7976931348623157E308"],
    ["double", "4.9E-324", "4.9E-324"],
    ["double", "0E0", "0E0"],
    ["double", "-0E0", "-0E0"],
    ["double", "Infinity", "infinity()"],
    ["double", "-Infinity", "-infinity()"],
    ["double", "1.5", NOT],
    ["double", "1.5e0", NOT],
    ["double", "15E-1", NOT],
    ["double", "1.5E+0", NOT],
    ["double", "1.5E00", NOT],
    ["double", "0.0E0", NOT],
    ["double", "1.0E309", NOT],
    ["double", " 1.5E0", NOT],
    ["double", "NaN", NOT],
  ]);
});

describe("boolean, date, timestamp(p), time(p)", () => {
  const NOT_DATE = /is not a date/;
  const NOT_TS = /is not a timestamp/;
  table([
    ["boolean", "true", "true"],
    ["boolean", "false", "false"],
    ["boolean", "TRUE", /is not a boolean/],
    ["boolean", "True", /is not a boolean/],
    ["boolean", "1", /is not a boolean/],
    ["boolean", "t", /is not a boolean/],
    ["boolean", " true", /is not a boolean/],
    ["boolean", "null", /is not a boolean/],

    ["date", "2024-02-29", "DATE '2024-02-29'"],
    ["date", "2000-02-29", "DATE '2000-02-29'"],
    ["date", "1970-01-01", "DATE '1970-01-01'"],
    ["date", "0001-01-01", "DATE '0001-01-01'"],
    ["date", "9999-12-31", "DATE '9999-12-31'"],
    ["date", "0000-02-29", "DATE '0000-02-29'"],
    ["date", "-0001-01-01", "DATE '-0001-01-01'"],
    ["date", "10000-01-01", "DATE '10000-01-01'"],
    // a date is an int of days: LocalDate.ofEpochDay(Integer.MAX_VALUE / MIN_VALUE)
    ["date", "5881580-07-11", "DATE '5881580-07-11'"],
    ["date", "5881580-07-12", NOT_DATE],
    ["date", "-5877641-06-23", "DATE '-5877641-06-23'"],
    ["date", "-5877641-06-22", NOT_DATE],
    ["date", "2023-02-29", NOT_DATE],
    ["date", "1900-02-29", NOT_DATE],
    ["date", "2024-13-01", NOT_DATE],
    ["date", "2024-00-10", NOT_DATE],
    ["date", "2024-01-32", NOT_DATE],
    ["date", "2024-1-1", NOT_DATE],
    ["date", "24-01-01", NOT_DATE],
    ["date", "+2024-01-01", NOT_DATE],
    ["date", "02024-01-01", NOT_DATE],
    ["date", "+10000-01-01", NOT_DATE],
    ["date", "-0000-01-01", NOT_DATE],
    ["date", "2024/01/01", NOT_DATE],
    ["date", "2024-01-01 ", NOT_DATE],
    ["date", "2024-01-01 00:00:00", NOT_DATE],

    ["timestamp(3)", "2024-01-31 23:59:59.999", "TIMESTAMP '2024-01-31 23:59:59.999'"],
    ["timestamp", "2024-01-31 23:59:59.999", "TIMESTAMP '2024-01-31 23:59:59.999'"],
    ["timestamp(3)", "-0001-01-01 00:00:00.000", "TIMESTAMP '-0001-01-01 00:00:00.000'"],
    ["timestamp(3)", "+10000-01-01 00:00:00.000", "TIMESTAMP '+10000-01-01 00:00:00.000'"],
    ["timestamp(3)", "10000-01-01 00:00:00.000", NOT_TS],
    ["timestamp(3)", "2024-01-31 23:59:59", NOT_TS],
    ["timestamp(3)", "2024-01-31 23:59:59.9", NOT_TS],
    ["timestamp(3)", "2024-01-31 23:59:59.9999", NOT_TS],
    ["timestamp(3)", "2024-01-31T23:59:59.999", NOT_TS],
    ["timestamp(3)", "2024-01-31 24:00:00.000", NOT_TS],
    ["timestamp(3)", "2024-01-31 23:60:00.000", NOT_TS],
    ["timestamp(3)", "2024-01-31 23:59:60.000", NOT_TS],
    ["timestamp(3)", "2024-01-31 1:00:00.000", NOT_TS],
    ["timestamp(3)", "2024-02-30 00:00:00.000", NOT_TS],
    ["timestamp(3)", "2024-01-31 23:59:59.999 UTC", NOT_TS],
    ["timestamp(3)", "2024-01-31", NOT_TS],
    ["timestamp(0)", "2024-01-31 23:59:59", "TIMESTAMP '2024-01-31 23:59:59'"],
    ["timestamp(0)", "2024-01-31 23:59:59.0", NOT_TS],
    ["timestamp(6)", "2024-01-31 23:59:59.123456", "TIMESTAMP '2024-01-31 23:59:59.123456'"],
    ["timestamp(9)", "2024-01-31 23:59:59.123456789", "TIMESTAMP '2024-01-31 23:59:59.123456789'"],
    // epoch microseconds are a Java long
    ["timestamp(6)", "+294247-01-10 04:00:54.775807", "TIMESTAMP '+294247-01-10 04:00:54.775807'"],
    ["timestamp(6)", "+294247-01-10 04:00:54.775808", RANGE],
    ["timestamp(6)", "-290308-12-21 19:59:05.224192", "TIMESTAMP '-290308-12-21 19:59:05.224192'"],
    ["timestamp(6)", "-290308-12-21 19:59:05.224191", RANGE],

    ["time(3)", "23:59:59.999", "TIME '23:59:59.999'"],
    ["time", "00:00:00.000", "TIME '00:00:00.000'"],
    ["time(0)", "12:00:00", "TIME '12:00:00'"],
    ["time(3)", "12:00:00", /is not a time/],
    ["time(3)", "24:00:00.000", /is not a time/],
    ["time(3)", "12:00", /is not a time/],
  ]);

  it("property: the varchar form of any date and timestamp(p) in JavaScript's range converts", () => {
    const year = (y: number, style: "joda" | "java") =>
      y < 0 ? `-${String(-y).padStart(4, "0")}` : y > 9999 && style === "java" ? `+${y}` : String(y).padStart(4, "0");
    const two = (n: number) => String(n).padStart(2, "0");
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 9 }), (ms, nanos, p) => {
        const d = new Date(ms);
        const ymd = (style: "joda" | "java") => `${year(d.getUTCFullYear(), style)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
        expect(lit("date", ymd("joda"))).toEqual({ ok: true, literal: `DATE '${ymd("joda")}'` });
        const fraction = p === 0 ? "" : `.${String(nanos).padStart(9, "0").slice(0, p)}`;
        const ts = `${ymd("java")} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${fraction}`;
        expect(lit(`timestamp(${p})`, ts)).toEqual({ ok: true, literal: `TIMESTAMP '${ts}'` });
        expect(lit(`timestamp(${p + 1})`, ts).ok).toBe(false);
      }),
    );
  });
});

describe("strings, uuid, ipaddress", () => {
  table([
    ["varchar", "", "''"],
    ["varchar", "it's", "'it''s'"],
    ["varchar", "a\nb", "U&'a\\000Ab'"],
    ["varchar(3)", "abc", "'abc'"],
    ["varchar(3)", "😀😀😀", "'😀😀😀'"],
    ["varchar(3)", "abcd", /longer than 3 characters/],
    ["char(3)", "ab ", "CAST('ab ' AS char(3))"],
    ["char(3)", "   ", "CAST('   ' AS char(3))"],
    ["char(3)", "ab", /not 3 characters long/],
    ["char(3)", "abcd", /not 3 characters long/],
    ["char", "x", "CAST('x' AS char(1))"],
    ["uuid", "12151fd2-7586-11e9-8f9e-2a86e4085a59", "UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59'"],
    ["uuid", "12151FD2-7586-11E9-8F9E-2A86E4085A59", /is not a uuid/],
    ["uuid", "12151fd2758611e98f9e2a86e4085a59", /is not a uuid/],
    ["uuid", "{12151fd2-7586-11e9-8f9e-2a86e4085a59}", /is not a uuid/],
    ["ipaddress", "10.0.0.1", "IPADDRESS '10.0.0.1'"],
    ["ipaddress", "255.255.255.255", "IPADDRESS '255.255.255.255'"],
    ["ipaddress", "::1", "IPADDRESS '::1'"],
    ["ipaddress", "::", "IPADDRESS '::'"],
    ["ipaddress", "1::", "IPADDRESS '1::'"],
    ["ipaddress", "2001:db8::1", "IPADDRESS '2001:db8::1'"],
    ["ipaddress", "2001:db8::1:0:0:1", "IPADDRESS '2001:db8::1:0:0:1'"],
    ["ipaddress", "1:0:0:2::3", "IPADDRESS '1:0:0:2::3'"],
    ["ipaddress", "2001:db8:0:1:1:1:1:1", "IPADDRESS '2001:db8:0:1:1:1:1:1'"],
    ["ipaddress", "::102:304", "IPADDRESS '::102:304'"],
    ["ipaddress", "010.0.0.1", /is not an ipaddress/],
    ["ipaddress", "256.0.0.1", /is not an ipaddress/],
    ["ipaddress", "1.2.3", /is not an ipaddress/],
    ["ipaddress", "0:0:0:0:0:0:0:1", /is not an ipaddress/],
    ["ipaddress", "2001:DB8::1", /is not an ipaddress/],
    ["ipaddress", "2001:0db8::1", /is not an ipaddress/],
    ["ipaddress", "2001:db8::0:1", /is not an ipaddress/],
    ["ipaddress", "2001:db8:0:1::1:1:1", /is not an ipaddress/],
    ["ipaddress", "2001:db8:0:0:1::1", /is not an ipaddress/],
    ["ipaddress", "::ffff:1.2.3.4", /is not an ipaddress/],
    ["ipaddress", "::ffff:102:304", /is not an ipaddress/],
    ["ipaddress", "1:2:3:4:5:6:7:8:9", /is not an ipaddress/],
    ["ipaddress", "1:::2", /is not an ipaddress/],
    ["ipaddress", "fe80::1%eth0", /is not an ipaddress/],
  ]);
});

describe("matchValues: the predicate", () => {
  it.each<[string, string[], string]>([
    ["bigint", [], "false"],
    ["bigint", ["07", "x", "+7"], "false"],
    ["bigint", ["7"], `"c" IN (7)`],
    ["bigint", ["-7", "07", "7"], `"c" IN (-7, 7)`],
    ["date", ["2024-01-31", "2024-02-30"], `"c" IN (DATE '2024-01-31')`],
    ["varchar(2)", ["EU", "EUR", "US"], `"c" IN ('EU', 'US')`],
    ["boolean", ["false", "true"], `"c" IN (false, true)`],
    // double: the typed list narrows (pushdown), the varchar comparison decides; zeros both ways
    ["double", ["1.5E0", "1.5"], `"c" IN (1.5E0) AND CAST("c" AS varchar) IN ('1.5E0')`],
    ["double", ["0E0", "2.5E1"], `"c" IN (0E0, -0E0, 2.5E1) AND CAST("c" AS varchar) IN ('0E0', '2.5E1')`],
    ["double", ["-0E0"], `"c" IN (-0E0, 0E0) AND CAST("c" AS varchar) IN ('-0E0')`],
    ["double", ["1.5E0", "NaN"], `CAST("c" AS varchar) IN ('1.5E0', 'NaN')`],
    // no faithful typed literal: as before
    ["real", ["1.5E0", "x"], `CAST("c" AS varchar) IN ('1.5E0', 'x')`],
    ["timestamp(3) with time zone", ["2024-01-31 10:00:00.000 UTC"], `CAST("c" AS varchar) IN ('2024-01-31 10:00:00.000 UTC')`],
    ["time(3) with time zone", ["10:00:00.000+00:00"], `CAST("c" AS varchar) IN ('10:00:00.000+00:00')`],
  ])("%s among %j", (type, values, sql) => {
    expect(match(type, values)).toBe(sql);
  });

  it.each([
    ["bigint", "typed"],
    ["decimal(12,2)", "typed"],
    ["date", "typed"],
    ["timestamp(6)", "typed"],
    ["time(3)", "typed"],
    ["char(2)", "typed"],
    ["uuid", "typed"],
    ["ipaddress", "typed"],
    ["double", "typed+varchar"],
    ["real", "varchar"],
    ["timestamp(3) with time zone", "varchar"],
    ["time(3) with time zone", "varchar"],
  ])("%s compares %s", (type, kind) => {
    expect(comparisonKind(parseType(type))).toBe(kind);
  });

  it("the predicate is lexically clean and never casts the column for the typed types", () => {
    const values = ["7", "12.30", "true", "2024-01-31", "2024-01-31 10:00:00.000", "10:00:00.000", "ab ", "10.0.0.1", "12151fd2-7586-11e9-8f9e-2a86e4085a59", "x'; --", "\u202e", ""];
    for (const type of ["tinyint", "bigint", "decimal(12,2)", "boolean", "date", "timestamp(3)", "time(3)", "varchar", "char(3)", "uuid", "ipaddress"]) {
      const sql = match(type, values);
      expect(tokenize(sql).filter((t) => t.kind === "error" || t.kind === "comment")).toEqual([]);
      expect(sql, type).not.toMatch(/CAST\("c"/);
      expect(sql, type).toMatch(/^"c" IN \(/);
    }
  });
});

describe("constantRefusal: a governor's constant that does not convert", () => {
  it("names the value, the column and its type", () => {
    expect(constantRefusal("abc", "nationkey", parseType("bigint"), "bigint")).toBe(
      "'abc' is not a bigint (digits, optional '-', no leading zeros): the filter on nationkey (bigint) compares values of its type",
    );
    expect(constantRefusal("12.3", "price", parseType("decimal(12,2)"), "decimal(12,2)")).toBe(
      "'12.3' is not a decimal(12,2) as Trino writes it (exactly 2 decimal places): the filter on price (decimal(12,2)) compares values of its type",
    );
    expect(constantRefusal("128", "t", parseType("tinyint"), "tinyint")).toMatch(/^'128' is out of range for tinyint/);
  });

  it("typedLiteral has no literal for the types compared as varchar", () => {
    expect(lit("real", "1.5E0").ok).toBe(false);
    expect(lit("timestamp(3) with time zone", "2024-01-31 10:00:00.000").ok).toBe(false);
    expect(lit("time(3) with time zone", "10:00:00.000").ok).toBe(false);
    expect(lit("json", "{}").ok).toBe(false);
  });

  it("accepts a converting constant, and any constant where the comparison stays on varchar", () => {
    expect(constantRefusal("7", "nationkey", parseType("bigint"), "bigint")).toBeNull();
    expect(constantRefusal("anything", "r", parseType("real"), "real")).toBeNull();
  });
});
