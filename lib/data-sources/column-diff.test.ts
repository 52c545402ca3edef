import { describe, expect, it } from "vitest";
import { columnsNamedBy, diffColumns, diffFingerprint, isEmptyDiff, policiesNamingRemoved } from "./column-diff";

const cols = (...pairs: [string, string][]) => pairs.map(([name, type]) => ({ name, type }));

describe("diffColumns", () => {
  it("finds nothing when Trino agrees (names and types compared loosely)", () => {
    const d = diffColumns(cols(["id", "bigint"], ["Salary", "decimal(12, 2)"]), cols(["id", "bigint"], ["salary", "DECIMAL(12,2)"]));
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.added).toEqual([]);
  });

  it("finds added, removed and changed columns", () => {
    const d = diffColumns(
      cols(["id", "bigint"], ["name", "varchar"], ["ssn", "varchar"], ["level", "integer"]),
      cols(["id", "bigint"], ["name", "varchar(100)"], ["level", "bigint"], ["team", "varchar"]),
    );
    expect(d.added).toEqual(cols(["team", "varchar"]));
    expect(d.removed).toEqual(cols(["ssn", "varchar"]));
    expect(d.changed).toEqual([
      { name: "name", from: "varchar", to: "varchar(100)" },
      { name: "level", from: "integer", to: "bigint" },
    ]);
    expect(d.reordered).toBe(false);
    expect(d.next.map((c) => c.name)).toEqual(["id", "name", "level", "team"]);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("notices a pure reordering", () => {
    const d = diffColumns(cols(["a", "bigint"], ["b", "bigint"]), cols(["b", "bigint"], ["a", "bigint"]));
    expect(d.reordered).toBe(true);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("an add or remove alone is not a reordering", () => {
    expect(diffColumns(cols(["a", "x"], ["b", "x"]), cols(["a", "x"], ["c", "x"], ["b", "x"])).reordered).toBe(false);
    expect(diffColumns(cols(["a", "x"], ["b", "x"], ["c", "x"]), cols(["a", "x"], ["c", "x"])).reordered).toBe(false);
  });

  it("handles an empty side", () => {
    expect(diffColumns([], cols(["a", "bigint"])).added).toHaveLength(1);
    expect(diffColumns(cols(["a", "bigint"]), []).removed).toHaveLength(1);
  });
});

describe("diffFingerprint", () => {
  it("is equal for the same live columns and differs when Trino changed again", () => {
    const current = cols(["a", "bigint"]);
    const one = diffFingerprint(diffColumns(current, cols(["a", "bigint"], ["b", "varchar"])));
    expect(diffFingerprint(diffColumns(current, cols(["A", "BIGINT"], ["b", "varchar"])))).toBe(one);
    expect(diffFingerprint(diffColumns(current, cols(["a", "bigint"], ["b", "integer"])))).not.toBe(one);
  });
});

describe("policies naming removed columns", () => {
  const policies = [
    { id: "p1", name: "Hide SSN", action: { type: "MASK", target: { columns: ["ssn", "name"] }, mask: { method: "NULL" } } },
    { id: "p2", name: "By tag", action: { type: "MASK", target: { tag: "PII" }, mask: { method: "NULL" } } },
    { id: "p3", name: "Region", action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "Region", key: "region" } } },
    { id: "p4", name: "Sample", action: { type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 10, keyColumns: ["id", "ssn"] } } },
  ];

  it("reads the columns a policy names", () => {
    expect(columnsNamedBy(policies[0].action)).toEqual(["ssn", "name"]);
    expect(columnsNamedBy(policies[1].action)).toEqual([]);
    expect(columnsNamedBy(policies[2].action)).toEqual(["Region"]);
    expect(columnsNamedBy(null)).toEqual([]);
    expect(columnsNamedBy({ type: "ROW_FILTER", filter: { kind: "WHERE", sql: "1=1" } })).toEqual([]);
  });

  it("lists the policies that would lose a column", () => {
    const d = diffColumns(cols(["id", "bigint"], ["ssn", "varchar"], ["region", "varchar"]), cols(["id", "bigint"]));
    expect(policiesNamingRemoved(d, policies)).toEqual([
      { id: "p1", name: "Hide SSN", columns: ["ssn"] },
      { id: "p3", name: "Region", columns: ["Region"] },
      { id: "p4", name: "Sample", columns: ["ssn"] },
    ]);
  });
});
