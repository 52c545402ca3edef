import { describe, expect, it } from "vitest";
import { auditDateRange, auditFilterSchema, auditQuery } from "./audit";

describe("audit filters", () => {
  it("reads the query string: blanks are no filter, a bad page is page 1", () => {
    expect(auditFilterSchema.parse({ actor: " ", action: "user.*", page: "x" })).toEqual({ actor: undefined, action: "user.*", targetType: undefined, from: undefined, to: undefined, page: 1 });
    expect(auditFilterSchema.parse({ page: "3" }).page).toBe(3);
  });

  it("rejects malformed dates and a reversed range", () => {
    expect(auditFilterSchema.safeParse({ from: "31/01/2026" }).success).toBe(false);
    const reversed = auditFilterSchema.safeParse({ from: "2026-02-01", to: "2026-01-01" });
    expect(reversed.error?.issues[0].message).toMatch(/start date is after the end date/);
  });

  it("makes `to` inclusive of its whole day (UTC)", () => {
    expect(auditDateRange({ from: "2026-01-01", to: "2026-01-31" })).toEqual({
      gte: new Date("2026-01-01T00:00:00.000Z"),
      lt: new Date("2026-02-01T00:00:00.000Z"),
    });
    expect(auditDateRange({})).toEqual({});
  });

  it("keeps the filters in pagination links", () => {
    expect(auditQuery({ actor: "admin", action: "user.*" }, 2)).toBe("?actor=admin&action=user.*&page=2");
    expect(auditQuery({}, 1)).toBe("");
  });
});

describe("audit filter dates that are no day", () => {
  it.each(["2026-13-45", "2026-02-30", "2026-00-10", "0000-00-00"])("refuses %s instead of querying an Invalid Date", (from) => {
    const r = auditFilterSchema.safeParse({ from });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/No such date/);
  });
  it("keeps real days, leap days included", () => {
    expect(auditFilterSchema.parse({ from: "2028-02-29", to: "2028-03-01" })).toMatchObject({ from: "2028-02-29", to: "2028-03-01" });
  });
});

describe("readFilters", () => {
  it("keeps the filters that are fine and names the ones that are not; a bad date drops the whole range", async () => {
    const { readFilters } = await import("./audit");
    const ok = readFilters(auditFilterSchema, { actor: "admin", page: "2" });
    expect(ok).toEqual({ filter: { actor: "admin", action: undefined, targetType: undefined, from: undefined, to: undefined, page: 2 }, errors: {} });
    const bad = readFilters(auditFilterSchema, { actor: "admin", from: "2026-13-45", to: "2026-01-31" });
    expect([bad.filter.actor, bad.filter.from, bad.filter.to]).toEqual(["admin", undefined, undefined]);
    expect(bad.errors.from).toBe("No such date: use a real day like 2026-01-31.");
    const reversed = readFilters(auditFilterSchema, { action: "user.*", from: "2026-02-01", to: "2026-01-01" });
    expect([reversed.filter.action, reversed.filter.from, reversed.filter.to]).toEqual(["user.*", undefined, undefined]);
    expect(reversed.errors).toEqual({ to: "The start date is after the end date." });
  });
});
