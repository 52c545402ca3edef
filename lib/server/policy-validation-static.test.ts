// Security issue #8 item 6: governor SQL of a GLOBAL policy that no data source can vouch for (its tag is on
// none yet, or on more than MAX_SOURCES) may contain no query at all. These checks need neither Trino nor a
// database: the SQL is refused before anything is asked.
import { describe, expect, it, vi } from "vitest";
import type { DataSourceInput } from "@/lib/policy";
import { containsQuery, MAX_SOURCES, validatePolicyInTrino } from "./policy-validation";

vi.mock("./auth", () => ({ auth: async () => null }));

describe("containsQuery", () => {
  it.each([
    "(SELECT max(ssn) FROM memory.hr.employees)",
    "EXISTS (select 1 FROM tpch.tiny.nation WHERE name = {col})",
    "{col} IN (TABLE memory.hr.allowed)",
    "coalesce((WITH t AS (SELECT 1 AS x) SELECT x FROM t), 0)",
    "{col} IN (\n  SeLeCt name\n  FROM tpch.tiny.region)",
  ])("finds the query in %s", (sql) => {
    expect(containsQuery(sql)).toBe(true);
  });

  it.each([
    "upper({col})",
    "'select * from t' || {col}",
    '"select" = {col}',
    "extract(year FROM {col})",
    "substring({col} FROM 1 FOR 3)",
    "selected_by = @username",
    "region IN (VALUES 'EU', 'US')",
  ])("finds none in %s", (sql) => {
    expect(containsQuery(sql)).toBe(false);
  });
});

const globalCustom = (sql: string) =>
  ({
    name: "reads a table",
    scope: "GLOBAL",
    tag: "PII",
    who: { type: "EVERYONE" },
    action: { type: "MASK", target: { tag: "PII" }, mask: { method: "CUSTOM", sql } },
  }) as const;

const source = (i: number): DataSourceInput => ({
  id: `ds${i}`,
  backing: { catalog: "memory", schema: "s", table: `t${i}` },
  governedSchema: "s",
  name: `t${i}`,
  columns: [{ name: "email", type: "varchar", tags: ["PII"] }],
  tags: [],
});

describe("validatePolicyInTrino without a data source to check against", () => {
  it("refuses a query in a GLOBAL policy whose tag no data source carries (422, no Trino asked)", async () => {
    const err = await validatePolicyInTrino(globalCustom("(SELECT max(ssn) FROM memory.hr.employees)"), []).catch((e) => e);
    expect(err).toMatchObject({ status: 422 });
    expect(err.fieldErrors["action.mask.sql"][0]).toMatch(/no active data source carries tag PII yet.*no other table/);
  });

  it("refuses it too when more data sources carry the tag than are checked", async () => {
    const many = Array.from({ length: MAX_SOURCES + 1 }, (_, i) => source(i));
    const err = await validatePolicyInTrino(globalCustom("{col} || (SELECT max(name) FROM tpch.tiny.nation)"), many).catch((e) => e);
    expect(err).toMatchObject({ status: 422 });
    expect(err.fieldErrors["action.mask.sql"][0]).toMatch(new RegExp(`more than ${MAX_SOURCES} data sources carry tag PII`));
  });

  it("refuses a query in a cell predicate and in a WHERE row filter alike", async () => {
    const predicate = { ...globalCustom("upper({col})"), action: { type: "MASK", target: { tag: "PII" }, mask: { method: "NULL" }, onlyWhere: "EXISTS (SELECT 1 FROM memory.hr.vip)" } } as const;
    await expect(validatePolicyInTrino(predicate as never, [])).rejects.toMatchObject({ status: 422, fieldErrors: { "action.onlyWhere": [expect.any(String)] } });
    const where = { ...globalCustom("x"), action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "region IN (TABLE memory.hr.regions)" } } } as const;
    await expect(validatePolicyInTrino(where as never, [])).rejects.toMatchObject({ status: 422, fieldErrors: { "action.filter.sql": [expect.any(String)] } });
  });
});
