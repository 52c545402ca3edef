import { describe, expect, it } from "vitest";
import { parsePolicyListParams, policyListHref, queryPolicies, type PolicyListRow } from "./list";

const row = (p: Partial<PolicyListRow> & { id: string }): PolicyListRow => ({
  name: p.id,
  description: null,
  scope: "LOCAL",
  kind: "MASK",
  dataSourceId: "ds1",
  tag: null,
  targetTag: null,
  target: "hr.employees",
  summary: "",
  createdAt: new Date("2025-01-01T00:00:00Z"),
  ...p,
});

const rows = [
  row({ id: "a", name: "Hide SSNs", summary: "mask ssn with NULL", createdAt: new Date("2025-01-03T00:00:00Z") }),
  row({ id: "b", name: "Region rows", kind: "ROW_FILTER", createdAt: new Date("2025-01-01T00:00:00Z") }),
  row({ id: "c", name: "Redact e-mails", scope: "GLOBAL", dataSourceId: null, tag: "PII.Email", targetTag: "PII.Email", target: "tag PII.Email", createdAt: new Date("2025-01-02T00:00:00Z") }),
  row({ id: "d", name: "Finance mask", scope: "GLOBAL", dataSourceId: null, tag: "Finance", target: "tag Finance" }),
  row({ id: "e", name: "Other source", dataSourceId: "ds2", target: "sales.orders" }),
];

describe("policy list params", () => {
  it("falls back to defaults for anything unknown and keeps valid values", () => {
    expect(parsePolicyListParams({ scope: "nope", kind: "MASK", sort: "evil", page: "-2", on: "x:y", q: "  ssn " })).toEqual({
      q: "ssn",
      scope: "all",
      kind: "MASK",
      on: "",
      sort: "created",
      dir: "asc",
      page: 1,
    });
    expect(parsePolicyListParams({ on: "tag:PII", dir: "desc", page: ["3", "4"] })).toMatchObject({ on: "tag:PII", dir: "desc", page: 3 });
  });

  it("builds short links: defaults left out", () => {
    const p = parsePolicyListParams({});
    expect(policyListHref(p)).toBe("/policies");
    expect(policyListHref(p, { sort: "name", dir: "desc", page: 2 })).toBe("/policies?sort=name&dir=desc&page=2");
    expect(policyListHref(parsePolicyListParams({ on: "ds:x y" }))).toBe("/policies?on=ds%3Ax+y");
  });
});

describe("queryPolicies", () => {
  const all = parsePolicyListParams({});
  it("sorts by creation by default, and by name both ways", () => {
    expect(queryPolicies(rows, all).rows.map((r) => r.id)).toEqual(["b", "d", "e", "c", "a"]);
    expect(queryPolicies(rows, { ...all, sort: "name" }).rows.map((r) => r.name)).toEqual(["Finance mask", "Hide SSNs", "Other source", "Redact e-mails", "Region rows"]);
    expect(queryPolicies(rows, { ...all, sort: "name", dir: "desc" }).rows[0].name).toBe("Region rows");
  });

  it("filters by text, scope and kind", () => {
    expect(queryPolicies(rows, { ...all, q: "SSN" }).rows.map((r) => r.id)).toEqual(["a"]);
    expect(queryPolicies(rows, { ...all, q: "pii.email" }).rows.map((r) => r.id)).toEqual(["c"]);
    expect(queryPolicies(rows, { ...all, scope: "GLOBAL" }).total).toBe(2);
    expect(queryPolicies(rows, { ...all, kind: "ROW_FILTER" }).rows.map((r) => r.id)).toEqual(["b"]);
  });

  it("a data source lists its local policies and the global ones whose tag covers one of its tags", () => {
    const tags = new Map([["ds1", ["HR", "PII.Email", "PII.SSN"]]]);
    expect(queryPolicies(rows, { ...all, on: "ds:ds1" }, tags).rows.map((r) => r.id).sort()).toEqual(["a", "b", "c"]);
  });

  it("a tag lists the policies on it or below it", () => {
    expect(queryPolicies(rows, { ...all, on: "tag:PII" }).rows.map((r) => r.id)).toEqual(["c"]);
    expect(queryPolicies(rows, { ...all, on: "tag:PII.SSN" }).total).toBe(0);
  });

  it("pages, clamping a page past the end", () => {
    const r = queryPolicies(rows, { ...all, page: 9 }, new Map(), 2);
    expect(r).toMatchObject({ total: 5, pages: 3, page: 3 });
    expect(r.rows.map((x) => x.id)).toEqual(["a"]);
  });
});
