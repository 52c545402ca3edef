import { describe, expect, it } from "vitest";
import { splitList, tableKey, toGovernedIdentifier } from "./naming";

describe("toGovernedIdentifier", () => {
  it.each([
    ["employees", "employees"],
    ["Employees", "employees"],
    ["Sales-2024", "sales_2024"],
    ["my table", "my_table"],
    ["2024q1", "_2024q1"],
    ["__x__", "x"],
    ["a--b..c", "a_b_c"],
    ["Ünïcode", "n_code"],
    ["", ""],
    ["---", ""],
  ])("%j -> %j", (raw, expected) => expect(toGovernedIdentifier(raw)).toBe(expected));

  it("always yields a valid identifier or nothing", () => {
    for (const raw of ["A", "9", "x y z", "ÄÖÜ", "_", "tiny", "sf1.5", "a".repeat(300)]) {
      const id = toGovernedIdentifier(raw);
      expect(id === "" || /^[a-z_][a-z0-9_]*$/.test(id)).toBe(true);
      expect(id.length).toBeLessThanOrEqual(128);
    }
  });
});

describe("splitList", () => {
  it("splits on commas and spaces, drops empties and duplicates", () => {
    expect(splitList(" PII.Email, HR ,,PII.Email  Finance")).toEqual(["PII.Email", "HR", "Finance"]);
    expect(splitList("   ")).toEqual([]);
  });
});

describe("tableKey", () => {
  it("joins the three parts", () => expect(tableKey({ catalog: "tpch", schema: "tiny", table: "nation" })).toBe("tpch.tiny.nation"));
});

describe("queryableName", () => {
  it("quotes reserved words and odd names, leaves plain identifiers alone", async () => {
    const { queryableName, sqlIdentifier } = await import("./naming");
    expect(queryableName("governed", "auto", "regions")).toBe('governed."auto".regions');
    expect(queryableName("governed", "hr", "employees")).toBe("governed.hr.employees");
    expect(queryableName("immuta", "select", "table")).toBe('immuta."select"."table"');
    expect(sqlIdentifier('we"ird')).toBe('"we""ird"');
    expect(sqlIdentifier("_x1")).toBe("_x1");
  });
});
