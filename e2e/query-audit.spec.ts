import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { GOVERNED, queryAs, queryError } from "./support/trino";

// Query audit (issue 10.1): the connector plugin's event listener posts each Trino query that read a governed view
// or was denied to the console; auditors read them in words (Audit -> Queries), filter them and export them.
// Real Trino with the plugin's listener (scripts/trino/start.sh), the console on real PostgreSQL.

interface Row {
  queryId: string;
  username: string;
  principal: string | null;
  state: string;
  errorCode: string | null;
  epoch: number | null;
  query: string;
  // stored with the masked columns as an array in column order
  views: { catalog: string; schema: string; name: string; read: boolean; applied: { columns: { column: string; method: string; policyName: string }[]; rowFilters: { kind: string; policyName: string }[] } | null }[];
  denials: { kind: string; catalog: string; schema?: string; name?: string }[];
}

/** The records whose SQL carries `tag`, once there are `count` of them (the listener posts after the query ends). */
async function recorded(tag: string, count: number): Promise<Row[]> {
  let rows: Row[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    rows = await sql<Row>(`SELECT * FROM "QueryAudit" WHERE query LIKE $1 ORDER BY "createdAt"`, [`%${tag}%`]);
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`expected ${count} query records tagged ${tag} within 20 s, found ${rows.length}: ${JSON.stringify(rows.map((r) => r.query))}`);
}

test("alice's read, bob's and mallory's denials and alice's backing-table attempt are recorded, shown in words and exported", async ({ page }) => {
  const tag = `qa_${Date.now().toString(36)}`;
  const view = `${GOVERNED}.hr.employees`;
  const count = await queryAs("alice", `SELECT count(*) AS n /* ${tag} */ FROM ${view}`);
  expect(Number(count.rows[0]![0])).toBeGreaterThan(0);
  expect(await queryError("bob", `SELECT * /* ${tag} */ FROM ${view}`)).toMatch(/does not exist/);
  expect(await queryError("alice", `SELECT * /* ${tag} */ FROM memory.hr.employees`)).toMatch(/Access Denied: Cannot access catalog memory/);
  expect(await queryError("mallory", `SELECT * /* ${tag} */ FROM ${view}`)).toMatch(/not known to Steward/);
  // a query that touches no governed view and is refused nothing is not recorded
  await queryAs("alice", `SELECT 1 /* ${tag} */`);

  const rows = await recorded(tag, 4);
  await new Promise((r) => setTimeout(r, 1_000));
  expect((await recorded(tag, 4)).length).toBe(4);
  const [aliceRead, bobDenied, backing, mallory] = rows as [Row, Row, Row, Row];

  expect(aliceRead).toMatchObject({ username: "alice", principal: "alice", state: "SUCCEEDED", errorCode: null });
  expect(aliceRead.epoch).toEqual(expect.any(Number));
  expect(aliceRead.views).toHaveLength(1);
  expect(aliceRead.views[0]).toMatchObject({ catalog: GOVERNED, schema: "hr", name: "employees", read: true });
  expect(aliceRead.views[0]!.applied!.columns).toContainEqual(expect.objectContaining({ column: "ssn", method: "NULL", policyName: "Hide SSNs outside HR" }));
  expect(aliceRead.views[0]!.applied!.rowFilters).toEqual([expect.objectContaining({ kind: "MATCH_ATTRIBUTE", policyName: "Rows of the user's own region" })]);
  expect(aliceRead.denials).toEqual([]);

  // bob sees no hr schema at all, so Trino names the schema; the connector was still asked for the view
  expect(bobDenied).toMatchObject({ username: "bob", state: "FAILED", errorCode: expect.stringMatching(/^(SCHEMA|TABLE)_NOT_FOUND$/), views: [] });
  expect(bobDenied.denials).toEqual([{ kind: "NOT_VISIBLE", catalog: GOVERNED, schema: "hr", name: "employees" }]);
  expect(backing).toMatchObject({ username: "alice", state: "FAILED", errorCode: "PERMISSION_DENIED", views: [] });
  expect(backing.denials).toEqual([{ kind: "BACKING_CATALOG", catalog: "memory", message: expect.stringMatching(/Cannot access catalog memory/) }]);
  // an unknown user runs through impersonation by the service user (e2e/support/trino.ts): the principal says so
  expect(mallory).toMatchObject({ username: "mallory", principal: "steward", state: "FAILED" });
  expect(mallory.denials).toEqual([{ kind: "UNKNOWN_USER", catalog: GOVERNED }]);

  // the auditor's page, in words, with links
  await login(page, "audrey");
  await page.goto("/audit");
  await page.getByRole("link", { name: "Queries", exact: true }).click();
  await expect(page).toHaveURL(/\/audit\/queries$/);
  await page.goto("/audit/queries?user=alice");
  const read = page.locator(`[data-query-id="${aliceRead.queryId}"]`);
  // masks in column order (the demo seed also redacts e-mail addresses), then the row filters
  await expect(read).toHaveText(/^alice read hr\.employees: (.+, )?ssn NULL by “Hide SSNs outside HR”(, .+)?; rows filtered by “Rows of the user's own region”$/);
  await expect(page.locator(`[data-query-id="${backing.queryId}"]`)).toHaveText("alice: backing catalog memory refused (only the service user reads backing tables)");
  await screenshot(page, "audrey-query-audit-alice");
  const [{ id: dsId }] = (await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`)) as [{ id: string }];
  const [{ id: ssnPolicy }] = (await sql<{ id: string }>(`SELECT id FROM "DataPolicy" WHERE name = 'Hide SSNs outside HR'`)) as [{ id: string }];
  await expect(read.getByRole("link", { name: "hr.employees" })).toHaveAttribute("href", `/data-sources/${dsId}`);
  await read.getByRole("link", { name: "“Hide SSNs outside HR”" }).click();
  await expect(page).toHaveURL(new RegExp(`/policies/${ssnPolicy}$`));

  await page.goto("/audit/queries?user=bob");
  await expect(page.locator(`[data-query-id="${bobDenied.queryId}"]`)).toHaveText(
    "bob: hr.employees is not visible to them (not subscribed, not in their project, or no such data source)",
  );
  await page.goto("/audit/queries?user=mallory");
  await expect(page.locator(`[data-query-id="${mallory.queryId}"]`)).toHaveText(`mallory is not known to Steward: nothing in catalog ${GOVERNED} is visible to them`);
  await page.goto("/audit/queries");
  await expect(page.locator(`[data-query-id="${bobDenied.queryId}"]`)).toBeVisible();
  await screenshot(page, "audrey-query-audit-all");

  // filters: the form's data source and policy, and a date range
  await page.goto("/audit/queries");
  await page.getByLabel("Data source").selectOption({ label: "hr.employees" });
  await page.getByLabel("Policy").selectOption({ label: "Hide SSNs outside HR" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`dataSource=${dsId}.*policy=${ssnPolicy}`));
  await expect(page.locator(`[data-query-id="${aliceRead.queryId}"]`)).toBeVisible();
  await expect(page.locator(`[data-query-id="${bobDenied.queryId}"]`)).toHaveCount(0);
  await screenshot(page, "audrey-query-audit-filtered");
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/audit/queries?user=bob&from=${today}&to=${today}`);
  await expect(page.locator(`[data-query-id="${bobDenied.queryId}"]`)).toBeVisible();
  await page.goto(`/audit/queries?user=bob&to=2000-01-01`);
  await expect(page.getByTestId("query-audit-count")).toHaveText("No queries matching the filters.");

  // export: the page's CSV button (same filters), and JSON lines through the API
  await page.goto("/audit/queries?user=alice");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toMatch(/^queryId,createdAt,endedAt,receivedAt,user,principal,source,project,epoch,state,/);
  expect(csv).toContain(aliceRead.queryId);
  expect(csv).toContain(backing.queryId);
  expect(csv).not.toContain(bobDenied.queryId);
  expect(csv).toMatch(/alice read hr\.employees: [^\r\n]*ssn NULL by “Hide SSNs outside HR”/);

  const audrey = await apiLogin("audrey");
  const jsonl = await audrey.get(`/api/audit/queries?format=jsonl&dataSource=${dsId}`);
  expect(jsonl.status()).toBe(200);
  expect(jsonl.headers()["content-type"]).toMatch(/^application\/x-ndjson/);
  const records = (await jsonl.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { queryId: string; summary: string; denials: unknown[] });
  const byId = new Map(records.map((r) => [r.queryId, r]));
  expect(byId.get(aliceRead.queryId)?.summary).toMatch(/^alice read hr\.employees: .*ssn NULL by “Hide SSNs outside HR”.*; rows filtered by “Rows of the user's own region”$/);
  expect(byId.get(bobDenied.queryId)?.denials).toEqual([{ kind: "NOT_VISIBLE", catalog: GOVERNED, schema: "hr", name: "employees" }]);
  expect(byId.has(backing.queryId)).toBe(false);
  expect((await audrey.get("/api/audit/queries?format=xml")).status()).toBe(422);
  await audrey.dispose();

  // auditors only: not for the governor, nor for the querying user
  for (const who of ["gwen", "alice"]) {
    const ctx = await apiLogin(who);
    expect((await ctx.get("/api/audit/queries?format=csv")).status(), who).toBe(403);
    await ctx.dispose();
  }
});
