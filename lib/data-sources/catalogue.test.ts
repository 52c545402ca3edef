import { describe, expect, it } from "vitest";
import { catalogueHref, DEFAULT_PARAMS, parseCatalogueParams, queryCatalogue, type CatalogueRow } from "./catalogue";

const row = (view: string, over: Partial<CatalogueRow> = {}): CatalogueRow => ({
  view,
  backing: `memory.${view}`,
  description: null,
  owners: ["olivia"],
  tags: [],
  columnCount: 3,
  status: "ACTIVE",
  access: "none",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  ...over,
});

const rows = [
  row("hr.employees", { tags: ["HR"], columnCount: 13, access: "active", description: "Employees with PII" }),
  row("sales.orders", { tags: ["PII.Email"], columnCount: 9, access: "pending", createdAt: new Date("2026-01-03T00:00:00Z") }),
  row("ref.nation", { owners: ["gwen"], columnCount: 4, status: "DISABLED", access: "denied", createdAt: new Date("2026-01-02T00:00:00Z") }),
  row("ref.region", { columnCount: 3 }),
];

describe("parseCatalogueParams", () => {
  it("reads known values and falls back on anything else", () => {
    expect(parseCatalogueParams({})).toEqual(DEFAULT_PARAMS);
    expect(parseCatalogueParams({ q: "  hr ", status: "DISABLED", access: "mine", tag: "PII", sort: "columns", dir: "desc", page: "3" })).toEqual({
      q: "hr",
      status: "DISABLED",
      access: "mine",
      tag: "PII",
      sort: "columns",
      dir: "desc",
      page: 3,
    });
    expect(parseCatalogueParams({ status: "nope", access: "x", sort: "drop table", dir: "up", page: "-2" })).toEqual(DEFAULT_PARAMS);
    expect(parseCatalogueParams({ page: "abc", q: ["a", "b"] })).toMatchObject({ page: 1, q: "a" });
  });
});

describe("catalogueHref", () => {
  it("leaves defaults out and round-trips", () => {
    expect(catalogueHref(DEFAULT_PARAMS)).toBe("/data-sources");
    const href = catalogueHref(DEFAULT_PARAMS, { q: "a b", sort: "created", dir: "desc" });
    expect(href).toBe("/data-sources?q=a+b&sort=created&dir=desc");
    const back = parseCatalogueParams(Object.fromEntries(new URLSearchParams(href.split("?")[1])));
    expect(back).toEqual({ ...DEFAULT_PARAMS, q: "a b", sort: "created", dir: "desc" });
  });
});

describe("queryCatalogue", () => {
  const run = (patch: Partial<typeof DEFAULT_PARAMS>, size?: number) => queryCatalogue(rows, { ...DEFAULT_PARAMS, ...patch }, size);
  const views = (r: ReturnType<typeof run>) => r.rows.map((x) => x.view);

  it("sorts by name by default", () => expect(views(run({}))).toEqual(["hr.employees", "ref.nation", "ref.region", "sales.orders"]));

  it("searches view, description, owners and tags, case-insensitively", () => {
    expect(views(run({ q: "PII" }))).toEqual(["hr.employees", "sales.orders"]);
    expect(views(run({ q: "GWEN" }))).toEqual(["ref.nation"]);
    expect(views(run({ q: "nothing like it" }))).toEqual([]);
  });

  it("filters by status, access and tag (a tag covers its descendants)", () => {
    expect(views(run({ status: "DISABLED" }))).toEqual(["ref.nation"]);
    expect(views(run({ access: "mine" }))).toEqual(["hr.employees"]);
    expect(views(run({ access: "pending" }))).toEqual(["sales.orders"]);
    expect(views(run({ access: "none" }))).toEqual(["ref.nation", "ref.region"]);
    expect(views(run({ tag: "pii" }))).toEqual(["sales.orders"]);
    expect(views(run({ tag: "PII.Email" }))).toEqual(["sales.orders"]);
    expect(views(run({ tag: "PI" }))).toEqual([]);
  });

  it("sorts by columns, creation and access, both ways", () => {
    expect(views(run({ sort: "columns" }))).toEqual(["ref.region", "ref.nation", "sales.orders", "hr.employees"]);
    expect(views(run({ sort: "columns", dir: "desc" }))).toEqual(["hr.employees", "sales.orders", "ref.nation", "ref.region"]);
    expect(views(run({ sort: "created", dir: "desc" }))[0]).toBe("sales.orders");
    expect(views(run({ sort: "access" }))).toEqual(["hr.employees", "sales.orders", "ref.nation", "ref.region"]);
  });

  it("pages, clamping a page past the end to the last one", () => {
    expect(run({}, 3)).toMatchObject({ total: 4, page: 1, pages: 2 });
    const last = run({ page: 9 }, 3);
    expect(last).toMatchObject({ page: 2, pages: 2 });
    expect(views(last)).toEqual(["sales.orders"]);
    expect(run({ q: "zzz" }, 3)).toMatchObject({ total: 0, page: 1, pages: 1 });
  });
});
