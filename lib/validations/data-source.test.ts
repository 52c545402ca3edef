import { describe, expect, it } from "vitest";
import { deleteDataSourceSchema, registerFromTrinoSchema, subscriptionDenySchema } from "./data-source";

const base = { backing: { catalog: "tpch", schema: "tiny", table: "nation" }, governedSchema: "reference", name: "nations" };

describe("registerFromTrinoSchema", () => {
  it("fills defaults and drops an empty description", () => {
    expect(registerFromTrinoSchema.parse({ ...base, description: "   " })).toEqual({
      ...base,
      description: undefined,
      tags: [],
      owners: [],
      columnTags: [],
      subscription: { type: "APPROVAL" },
    });
  });

  it("lower-cases owners and keeps column tags", () => {
    const parsed = registerFromTrinoSchema.parse({ ...base, owners: [" Carol "], columnTags: [{ name: "name", tags: ["Geo.Name"] }], subscription: { type: "OPEN", maxDays: 30 } });
    expect(parsed.owners).toEqual(["carol"]);
    expect(parsed.columnTags).toEqual([{ name: "name", tags: ["Geo.Name"] }]);
    expect(parsed.subscription).toEqual({ type: "OPEN", maxDays: 30 });
  });

  it.each([
    ["an upper-case view name", { ...base, name: "Nations" }],
    ["a governed schema starting with a digit", { ...base, governedSchema: "1ref" }],
    ["a bad tag", { ...base, tags: ["not a tag"] }],
    ["a bad column tag", { ...base, columnTags: [{ name: "name", tags: ["x!"] }] }],
    ["columns sent by the form (they come from Trino)", { ...base, columns: [{ name: "x", type: "bigint" }] }],
    ["AUTO without the condition builder", { ...base, subscription: { type: "AUTO" } }],
    ["zero days", { ...base, subscription: { type: "OPEN", maxDays: 0 } }],
    ["an empty backing table", { ...base, backing: { catalog: "tpch", schema: "tiny", table: "" } }],
  ])("rejects %s", (_label, input) => {
    expect(registerFromTrinoSchema.safeParse(input).success).toBe(false);
  });
});

describe("decision schemas", () => {
  it("denying needs a reason", () => {
    expect(subscriptionDenySchema.safeParse({ subscriptionId: "s1", reason: "  " }).success).toBe(false);
    expect(subscriptionDenySchema.safeParse({ subscriptionId: "s1", reason: "no" }).success).toBe(true);
  });

  it("deleting needs the typed name", () => {
    expect(deleteDataSourceSchema.safeParse({ dataSourceId: "d1", confirm: "" }).success).toBe(false);
    expect(deleteDataSourceSchema.parse({ dataSourceId: "d1", confirm: " hr.x " }).confirm).toBe("hr.x");
  });
});
