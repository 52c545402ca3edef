import { describe, expect, it } from "vitest";
import {
  arrayLiteral,
  castsToVarchar,
  checkFragment,
  decodeUnicodeEscapes,
  doubleLiteral,
  formatType,
  isDate,
  isNumeric,
  isString,
  isTimestamp,
  normalizeType,
  parseType,
  quoteIdent,
  quoteLiteral,
  sortedUnique,
  substituteFragment,
  tokenize,
  toWellFormed,
  typeClass,
  TypeParseError,
} from "./sql";

describe("quoteIdent", () => {
  it.each([
    ["id", '"id"'],
    ["My Col", '"My Col"'],
    ['a"b', '"a""b"'],
    ['"', '""""'],
    ["a'b", `"a'b"`],
    ["x\ny", '"x\ny"'],
    ["\ud800", '"\ufffd"'],
  ])("%j -> %s", (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted);
  });

  it("rejects an empty identifier (Trino rejects zero-length delimited identifiers)", () => {
    expect(() => quoteIdent("")).toThrow();
  });
});

describe("quoteLiteral", () => {
  it.each([
    ["abc", "'abc'"],
    ["", "''"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ["back\\slash", "'back\\slash'"],
    ["-- x", "'-- x'"],
    ["/* x */", "'/* x */'"],
    ["a;b", "'a;b'"],
    ["é😀", "'é😀'"],
    ["a\nb", "U&'a\\000Ab'"],
    ["a\\b\n", "U&'a\\\\b\\000A'"],
    ["it's\n", "U&'it''s\\000A'"],
    ["\u0000", "U&'\\0000'"],
    ["\u202e", "U&'\\202E'"],
    ["\ufeff", "U&'\\FEFF'"],
    ["\ud800x", "'\ufffdx'"],
  ])("%j -> %s", (value, literal) => {
    expect(quoteLiteral(value)).toBe(literal);
  });

  it("round-trips through the lexer as a single string token", () => {
    for (const v of ["a", "it's", "a\nb\\c'd", "\u0000\u0085\u2028", "😀\u202e", "'".repeat(50)]) {
      const tokens = tokenize(quoteLiteral(v));
      expect(tokens).toHaveLength(1);
      expect(tokens[0]!.kind).toBe("string");
      expect(tokens[0]!.value).toBe(v);
    }
  });
});

describe("toWellFormed", () => {
  it("keeps pairs and replaces lone surrogates", () => {
    expect(toWellFormed("a😀b")).toBe("a😀b");
    expect(toWellFormed("\ud83d")).toBe("\ufffd");
    expect(toWellFormed("\ude00x")).toBe("\ufffdx");
    expect(toWellFormed("\ud83d\ud83d\ude00")).toBe("\ufffd😀");
  });
});

describe("arrayLiteral", () => {
  it("builds ARRAY[...] of literals, and a typed empty array", () => {
    expect(arrayLiteral(["a", "b'c"])).toBe("ARRAY['a', 'b''c']");
    expect(arrayLiteral([])).toBe("CAST(ARRAY[] AS array(varchar))");
  });
});

describe("sortedUnique", () => {
  it("sorts by code units and drops duplicates", () => {
    expect(sortedUnique(["b", "a", "b", "B"])).toEqual(["B", "a", "b"]);
  });
  it("treats values that become the same literal as one (lone surrogates -> U+FFFD)", () => {
    // Found by the hostile-input property test: two attribute values with different lone surrogates gave the
    // IN list a duplicate literal.
    expect(sortedUnique(["x\uD800", "x\uDC00", "x\uFFFD"])).toEqual(["x\uFFFD"]);
  });
});

describe("parseType / formatType", () => {
  it.each([
    ["varchar", "varchar", "string"],
    ["VARCHAR(25)", "varchar(25)", "string"],
    ["char(11)", "char(11)", "string"],
    ["bigint", "bigint", "integer"],
    ["integer", "integer", "integer"],
    ["int", "integer", "integer"],
    ["smallint", "smallint", "integer"],
    ["tinyint", "tinyint", "integer"],
    ["double", "double", "float"],
    ["double precision", "double", "float"],
    ["real", "real", "float"],
    ["decimal(12, 2)", "decimal(12,2)", "decimal"],
    ["decimal", "decimal", "decimal"],
    ["date", "date", "date"],
    ["timestamp", "timestamp", "timestamp"],
    ["timestamp(3)", "timestamp(3)", "timestamp"],
    ["timestamp(6) with time zone", "timestamp(6) with time zone", "timestamp"],
    ["TIMESTAMP(3) WITHOUT TIME ZONE", "timestamp(3)", "timestamp"],
    ["time(3)", "time(3)", "time"],
    ["boolean", "boolean", "boolean"],
    ["uuid", "uuid", "other"],
    ["json", "json", "other"],
    ["varbinary", "varbinary", "other"],
    ["array(varchar(10))", "array(varchar(10))", "other"],
    ["map(varchar, array(bigint))", "map(varchar, array(bigint))", "other"],
    ["row(a bigint, b varchar)", 'row("a" bigint, "b" varchar)', "other"],
    ['row("x y" double, "q""t" timestamp(3) with time zone)', 'row("x y" double, "q""t" timestamp(3) with time zone)', "other"],
    ["row(bigint, varchar)", "row(bigint, varchar)", "other"],
    ["row(timestamp with time zone)", "row(timestamp with time zone)", "other"],
    ["row(Ts timestamp(3) with time zone)", 'row("Ts" timestamp(3) with time zone)', "other"],
    ["interval day to second", "interval day to second", "other"],
    ["interval year to month", "interval year to month", "other"],
  ])("%s -> %s (%s)", (text, canonical, cls) => {
    const t = parseType(text);
    expect(formatType(t)).toBe(canonical);
    expect(typeClass(t)).toBe(cls);
    expect(normalizeType(canonical)).toBe(canonical);
  });

  it.each([
    "",
    "varchar(",
    "varchar(10",
    "varchar)",
    "bigint) AS x FROM secret --",
    "bigint; DROP",
    "varchar(10) x",
    "9bigint",
    "decimal(1e3)",
    "interval day",
    "row(a b c)",
    "row(a bigint,)",
    "timestamp(3) with zone",
    '"bigint"',
    "a".repeat(3000),
    "array(".repeat(40) + "bigint" + ")".repeat(40),
  ])("rejects %j", (text) => {
    expect(() => parseType(text)).toThrow(TypeParseError);
  });

  it("classifies", () => {
    expect(isNumeric(parseType("decimal(3,1)"))).toBe(true);
    expect(isNumeric(parseType("real"))).toBe(true);
    expect(isNumeric(parseType("varchar"))).toBe(false);
    expect(isString(parseType("char(2)"))).toBe(true);
    expect(isDate(parseType("date"))).toBe(true);
    expect(isTimestamp(parseType("timestamp(6) with time zone"))).toBe(true);
    expect(isTimestamp(parseType("date"))).toBe(false);
    for (const t of ["varchar", "bigint", "date", "timestamp(3)", "boolean", "uuid", "ipaddress", "time(3)"]) {
      expect(castsToVarchar(parseType(t))).toBe(true);
    }
    for (const t of ["json", "varbinary", "array(bigint)", "map(varchar, varchar)", "row(a bigint)", "interval day to second"]) {
      expect(castsToVarchar(parseType(t))).toBe(false);
    }
  });
});

describe("tokenize", () => {
  const kinds = (sql: string) => tokenize(sql).filter((t) => t.kind !== "ws").map((t) => `${t.kind}:${t.text}`);
  it.each([
    ["a = 'x''y'", ["ident:a", "op:=", "string:'x''y'"]],
    ['"a""b" >= 1.5e3', ['qident:"a""b"', "op:>=", "number:1.5e3"]],
    ["U&'\\0041' || X'ff'", ["string:U&'\\0041'", "op:||", "string:X'ff'"]],
    ["x -- c\ny", ["ident:x", "comment:-- c", "ident:y"]],
    ["x /* c */ y", ["ident:x", "comment:/* c */", "ident:y"]],
    ["@attribute('k') {col}", ["macro:@attribute", "op:(", "string:'k'", "op:)", "placeholder:{col}"]],
    ["f(a, b); c", ["ident:f", "op:(", "ident:a", "op:,", "ident:b", "op:)", "op:;", "ident:c"]],
  ])("%j", (sql, expected) => {
    expect(kinds(sql)).toEqual(expected);
  });

  it("flags unterminated literals and stray characters", () => {
    expect(tokenize("'abc").some((t) => t.kind === "error")).toBe(true);
    expect(tokenize('"abc').some((t) => t.kind === "error")).toBe(true);
    expect(tokenize("/* abc").some((t) => t.kind === "error")).toBe(true);
    expect(tokenize("`x`").some((t) => t.kind === "error")).toBe(true);
    expect(tokenize("a\u00a0b").some((t) => t.kind === "error")).toBe(true);
  });

  it("decodes U& escapes like Trino", () => {
    expect(decodeUnicodeEscapes("a\\0027b")).toBe("a'b");
    expect(decodeUnicodeEscapes("\\+01F600")).toBe("😀");
    expect(decodeUnicodeEscapes("\\\\")).toBe("\\");
    expect(decodeUnicodeEscapes("\\D800")).toBeNull();
    expect(decodeUnicodeEscapes("\\12")).toBeNull();
  });
});

describe("checkFragment", () => {
  it.each([
    ["region = 'EU'", false],
    ["contains(@groups, dept) OR @username = owner", false],
    ["region IN (SELECT x FROM UNNEST(@attribute('region')) t(x))", false],
    ["'-- not a comment' = c", false],
    ["{col} > 10", true],
    ["arr[1] = 2", false],
  ])("accepts %j", (sql, allowPlaceholder) => {
    expect(checkFragment(sql, { allowPlaceholder }).ok).toBe(true);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["a = 1 -- rest", "comments"],
    ["a = 1 /* x */", "comments"],
    ["a = 1; DROP TABLE t", "';'"],
    ["a = 1) OR (1 = 1", "unbalanced"],
    ["(a = 1", "unclosed"],
    ["a[1 = 2", "unclosed"],
    ["(a]", "unbalanced"],
    ["a = 'x", "unterminated"],
    ['"a = 1', "unterminated"],
    ["@user = 'x'", "unknown macro"],
    ["contains(@attribute(k), x)", "@attribute"],
    ["@attribute", "@attribute"],
    ["{col} > 1", "{col}"],
    ["{x} > 1", "'{'"],
    ["`a` = 1", "backquoted"],
  ])("rejects %j (%s)", (sql, message) => {
    const r = checkFragment(sql, { allowPlaceholder: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});

describe("substituteFragment", () => {
  const values = {
    username: "o'brien",
    groups: ["b", "a", "b"],
    attributes: { region: ["US", "EU"], empty: [] },
    purposes: [],
  };
  const sub = (sql: string, column?: string) => {
    const r = checkFragment(sql, { allowPlaceholder: column !== undefined });
    if (!r.ok) throw new Error(r.error);
    return substituteFragment(r.tokens, values, column);
  };

  it("substitutes macros as literals, sorted and de-duplicated", () => {
    expect(sub("@username = owner")).toBe("'o''brien' = owner");
    expect(sub("contains(@groups, g)")).toBe("contains(ARRAY['a', 'b'], g)");
    expect(sub("contains(@attribute('region'), r)")).toBe("contains(ARRAY['EU', 'US'], r)");
    expect(sub("contains(@attribute( 'region' ), r)")).toBe("contains(ARRAY['EU', 'US'], r)");
    expect(sub("cardinality(@attribute('missing')) = 0")).toBe("cardinality(CAST(ARRAY[] AS array(varchar))) = 0");
    expect(sub("cardinality(@attribute('empty'))")).toBe("cardinality(CAST(ARRAY[] AS array(varchar)))");
    expect(sub("cardinality(@purposes)")).toBe("cardinality(CAST(ARRAY[] AS array(varchar)))");
    expect(sub("@USERNAME = owner")).toBe("'o''brien' = owner");
  });

  it("does not substitute inside string literals or quoted identifiers", () => {
    expect(sub("note = '@username' AND \"@groups\" = 1")).toBe("note = '@username' AND \"@groups\" = 1");
  });

  it("does not read attribute keys from the object prototype", () => {
    expect(sub("cardinality(@attribute('constructor'))")).toBe("cardinality(CAST(ARRAY[] AS array(varchar)))");
  });

  it("replaces {col} with the quoted column", () => {
    expect(sub("{col} > 0 AND '{col}' <> ''", 'we"ird')).toBe(`"we""ird" > 0 AND '{col}' <> ''`);
  });
});

describe("doubleLiteral", () => {
  it.each([
    [1000, "1E3"],
    [2.5, "2.5E0"],
    [0.001, "1E-3"],
    [-128, "-1.28E2"],
    [9223372036854774784, "9.223372036854775E18"],
  ])("%d -> %s", (x, lit) => {
    expect(doubleLiteral(x)).toBe(lit);
    expect(Number(lit)).toBe(x);
  });
});
