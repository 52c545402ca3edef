import { describe, expect, it } from "vitest";
import { describePolicy } from "./describe";

describe("describePolicy", () => {
  it("summarises a mask with its target and who", () => {
    expect(
      describePolicy({
        who: { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "group", group: "hr" }] } },
        action: { type: "MASK", target: { columns: ["ssn"] }, mask: { method: "NULL" } },
      }),
    ).toBe("mask ssn with NULL for everyone except group hr");
  });
  it("summarises a row filter", () => {
    expect(
      describePolicy({ who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } } }),
    ).toBe("show rows whose region is among the user's region to everyone");
  });
});
