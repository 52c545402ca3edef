import { describe, expect, it } from "vitest";
import { policiesInForce, tagCovers, type PolicyRow } from "./policies-in-force";

const at = (d: number) => new Date(Date.UTC(2026, 0, d));
const p = (id: string, over: Partial<PolicyRow>): PolicyRow => ({
  id,
  name: id,
  scope: "LOCAL",
  kind: "MASK",
  tag: null,
  action: {},
  enabled: true,
  createdAt: at(1),
  ...over,
});

const ds = {
  tags: ["HR"],
  columns: [
    { name: "id", tags: [] },
    { name: "email", tags: ["PII.Email"] },
    { name: "ssn", tags: ["PII.SSN"] },
    { name: "salary", tags: ["Sensitive.Compensation"] },
  ],
};

describe("tagCovers", () => {
  it("covers itself and descendants only", () => {
    expect(tagCovers("PII", "PII")).toBe(true);
    expect(tagCovers("PII", "PII.Email")).toBe(true);
    expect(tagCovers("PII", "PIIX")).toBe(false);
    expect(tagCovers("PII.Email", "PII")).toBe(false);
  });
});

describe("policiesInForce", () => {
  const policies = [
    p("local-ssn", { action: { type: "MASK", target: { columns: ["SSN"] } }, createdAt: at(5) }),
    p("global-pii", { scope: "GLOBAL", tag: "PII", action: { type: "MASK", target: { tag: "PII" } }, createdAt: at(1) }),
    p("global-email", { scope: "GLOBAL", tag: "PII.Email", action: { type: "MASK", target: { tag: "PII.Email" } }, createdAt: at(2) }),
    p("global-finance", { scope: "GLOBAL", tag: "Finance", action: { type: "MASK", target: { tag: "Finance" } } }),
    p("region-filter", { kind: "ROW_FILTER", action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } } }),
    p("global-hr-filter", { scope: "GLOBAL", kind: "ROW_FILTER", tag: "HR", action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "1=1" } } }),
    p("disabled", { enabled: false, action: { type: "MASK", target: { columns: ["id"] } } }),
  ];
  const r = policiesInForce(ds, policies);

  it("keeps local ones and globals whose tag the table or a column carries", () => {
    expect(r.policies.map((x) => x.id)).toEqual(["local-ssn", "global-pii", "global-email", "region-filter", "global-hr-filter", "disabled"]);
    expect(r.policies.find((x) => x.id === "global-pii")?.columns).toEqual(["email", "ssn"]);
  });

  it("orders the masks on each column by precedence and skips disabled ones", () => {
    expect(Object.fromEntries(Object.entries(r.masksByColumn).map(([c, ps]) => [c, ps.map((x) => x.id)]))).toEqual({
      ssn: ["local-ssn", "global-pii"],
      email: ["global-email", "global-pii"],
    });
  });

  it("lists the enabled row filters", () => {
    expect(r.rowFilters.map((x) => x.id)).toEqual(["region-filter", "global-hr-filter"]);
  });
});
