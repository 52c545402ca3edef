import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs, queryError } from "./support/trino";

// Olivia (DATA_OWNER) registers real Trino tables, looks at them, re-syncs one after its table changed in
// Trino, disables, enables and deletes it. Everything through the UI; checks on PostgreSQL and real Trino.

test.describe.configure({ mode: "serial" });


async function epoch(): Promise<number> {
  const [row] = await sql<{ value: number }>(`SELECT value FROM "Epoch" WHERE id = 1`);
  return Number(row?.value ?? 0);
}

async function browseTo(page: Page, catalog: string, schema: string) {
  await page.getByRole("list", { name: "Catalogs" }).getByRole("button", { name: catalog, exact: true }).click();
  await page.getByRole("list", { name: "Schemas" }).getByRole("button", { name: schema, exact: true }).click();
}

test("alice (no DATA_OWNER) cannot open the register page nor browse Trino", async ({ page }) => {
  await login(page, "alice");
  await expect(page.getByRole("link", { name: "Register tables" })).toHaveCount(0);
  await page.goto("/data-sources/register");
  await expect(page.getByRole("heading", { name: "You are not allowed to see this page" })).toBeVisible();
});

test("olivia registers tpch.tiny.nation and region in one go, with inline errors, progress and the columns from Trino", async ({ page }) => {
  await login(page, "olivia");
  await page.getByRole("link", { name: "Register tables" }).click();
  await expect(page.getByRole("heading", { name: "Register tables", level: 1 })).toBeVisible();

  // The governed catalog and system are hidden from browsing.
  const catalogs = page.getByRole("list", { name: "Catalogs" });
  await expect(catalogs.getByRole("button")).toHaveCount(2);
  for (const name of ["memory", "tpch"]) await expect(catalogs.getByRole("button", { name, exact: true })).toBeVisible();
  await browseTo(page, "tpch", "tiny");
  await page.getByRole("checkbox", { name: "nation", exact: true }).check();
  await page.getByRole("checkbox", { name: "region", exact: true }).check();
  await expect(page.getByRole("list", { name: "Selected tables" }).getByRole("listitem")).toHaveCount(2);
  await screenshot(page, "olivia-register-1-pick");
  await page.getByRole("button", { name: "Continue" }).click();

  const nation = page.getByTestId("draft-tpch.tiny.nation");
  const region = page.getByTestId("draft-tpch.tiny.region");
  await expect(nation.getByLabel("Governed schema")).toHaveValue("tiny");
  await expect(nation.getByLabel("View name")).toHaveValue("nation");
  const nationColumns = nation.getByRole("table", { name: "Columns of tpch.tiny.nation" });
  await expect(nationColumns.getByRole("row")).toHaveCount(5);
  await expect(nationColumns).toContainText("varchar(25)");

  // Mistakes show next to their field before anything is sent.
  await nation.getByLabel("View name").fill("Bad Name");
  await nation.getByLabel("Table tags").fill("Geo, bad!tag");
  await page.getByRole("button", { name: "Register 2 tables" }).click();
  await expect(nation.getByLabel("View name")).toHaveAttribute("aria-invalid", "true");
  await expect(nation.getByText("Use lower-case letters, digits and _ (not starting with a digit).")).toBeVisible();
  await expect(nation.getByText(/Not a tag: bad!tag\./)).toBeVisible();
  await expect(nation.getByLabel("View name")).toBeFocused();
  await screenshot(page, "olivia-register-2-inline-errors");
  expect(await sql(`SELECT id FROM "DataSource" WHERE "backingCatalog" = 'tpch'`)).toHaveLength(0);

  for (const [card, name] of [
    [nation, "nations"],
    [region, "regions"],
  ] as const) {
    await card.getByLabel("Governed schema").fill("reference");
    await card.getByLabel("View name").fill(name);
    await card.getByLabel("Table tags").fill("Reference, Geo");
  }
  await nation.getByLabel("Description").fill("The 25 TPC-H nations.");
  await nation.getByLabel("Tags for column name").fill("Geo.Name");
  await page.getByLabel("Other owners").fill("carol");
  await page.getByLabel("Access expires after (days)").fill("30");
  await page.getByRole("radio", { name: /Open/ }).check();
  await page.getByRole("button", { name: "Register 2 tables" }).click();

  await expect(page.getByText("Registered 2 of 2 tables.")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Registration progress" })).toBeVisible();
  await expect(page.getByText("Done: 2 processed.")).toBeVisible();
  await screenshot(page, "olivia-register-3-done");

  const rows = await sql<{ id: string; name: string; description: string | null; type: string }>(
    `SELECT ds.id, ds.name, ds.description, sp.type FROM "DataSource" ds JOIN "SubscriptionPolicy" sp ON sp."dataSourceId" = ds.id
     WHERE ds."governedSchema" = 'reference' ORDER BY ds.name`,
  );
  expect(rows.map((r) => [r.name, r.type])).toEqual([
    ["nations", "OPEN"],
    ["regions", "OPEN"],
  ]);
  const nationsId = rows[0].id;
  const columns = await sql<{ name: string; type: string; tags: string | null }>(
    `SELECT c.name, c.type, string_agg(t.name, ',') AS tags FROM "DataSourceColumn" c
     LEFT JOIN "ColumnTag" ct ON ct."columnId" = c.id LEFT JOIN "Tag" t ON t.id = ct."tagId"
     WHERE c."dataSourceId" = $1 GROUP BY c.name, c.type, c.ordinal ORDER BY c.ordinal`,
    [nationsId],
  );
  expect(columns).toEqual([
    { name: "nationkey", type: "bigint", tags: null },
    { name: "name", type: "varchar(25)", tags: "Geo.Name" },
    { name: "regionkey", type: "bigint", tags: null },
    { name: "comment", type: "varchar(152)", tags: null },
  ]);
  const owners = await sql<{ username: string }>(
    `SELECT u.username FROM "DataSourceOwner" o JOIN "User" u ON u.id = o."userId" WHERE o."dataSourceId" = $1 ORDER BY 1`,
    [nationsId],
  );
  expect(owners.map((o) => o.username)).toEqual(["carol", "olivia"]);
  expect(await sql(`SELECT id FROM "AuditEvent" WHERE action = 'datasource.register' AND "targetId" = $1`, [nationsId])).toHaveLength(1);

  await nation.getByRole("link", { name: "open reference.nations" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("reference.nations");
  await expect(page.getByText("governed.reference.nations")).toBeVisible();
  const detailColumns = page.getByRole("table", { name: "Columns" });
  await expect(detailColumns).toContainText("varchar(152)");
  await expect(detailColumns.getByRole("row", { name: /name varchar\(25\) Geo\.Name/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Activity" })).toContainText("datasource.register");
  await screenshot(page, "olivia-register-4-detail");
});

test("carol subscribes to the OPEN view at once and reads it through Trino; the grant expires in 30 days", async ({ page }) => {
  await login(page, "carol");
  await page.getByRole("searchbox", { name: "Search" }).fill("reference");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=reference/);
  const row = page.getByTestId("catalogue-row-reference.nations");
  await expect(row).toContainText("no access");
  await row.getByRole("button", { name: "Subscribe to reference.nations" }).click();
  await expect(row).toContainText("subscribed");
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await expect(row).toContainText(`until ${until}`);
  await screenshot(page, "carol-catalogue-subscribed");
  const nations = asObjects(await queryAs("carol", "SELECT nationkey, name FROM governed.reference.nations ORDER BY nationkey"));
  expect(nations).toHaveLength(25);
  expect(nations[0]).toEqual({ nationkey: 0, name: "ALGERIA" });
  // carol co-owns both (Other owners above): an owner reads her data sources without a subscription; bob does not
  expect((await queryAs("carol", "SELECT * FROM governed.reference.regions")).rows).toHaveLength(5);
  expect(await queryError("bob", "SELECT * FROM governed.reference.regions")).toMatch(/does not exist/i);
});

test("a backing table is registered once: the picker marks a governed one, and a page opened before someone registered it gets the 409", async ({ page }) => {
  await login(page, "olivia");
  await page.goto("/data-sources/register");
  await browseTo(page, "memory", "hr");
  const employees = page.getByRole("listitem").filter({ has: page.getByRole("checkbox", { name: /^employees\b/ }) });
  await expect(employees).toContainText("already registered as hr.employees (owned by olivia)");
  await expect(employees.getByRole("checkbox")).toBeDisabled();

  await queryAs("steward", "CREATE SCHEMA IF NOT EXISTS memory.e2e_once");
  await queryAs("steward", "DROP TABLE IF EXISTS memory.e2e_once.badges");
  await queryAs("steward", "CREATE TABLE memory.e2e_once.badges AS SELECT BIGINT '1' AS id, 'gold' AS label");
  const other = await page.context().newPage();
  try {
    await page.goto("/data-sources/register");
    await browseTo(page, "memory", "e2e_once");
    await page.getByRole("checkbox", { name: "badges", exact: true }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    const card = page.getByTestId("draft-memory.e2e_once.badges");
    await expect(card.getByRole("table", { name: "Columns of memory.e2e_once.badges" }).getByRole("row")).toHaveCount(3);

    // Meanwhile, in another tab, the same table is registered; one table goes straight to its page.
    await other.goto("/data-sources/register");
    await browseTo(other, "memory", "e2e_once");
    await other.getByRole("checkbox", { name: "badges", exact: true }).check();
    await other.getByRole("button", { name: "Continue" }).click();
    await other.getByRole("button", { name: "Register 1 table" }).click();
    await expect(other).toHaveURL(/\/data-sources\/[^/]+$/);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("e2e_once.badges");

    // A taken governed name is said next to the field.
    await card.getByLabel("Governed schema").fill("hr");
    await card.getByLabel("View name").fill("employees");
    await page.getByRole("button", { name: "Register 1 table" }).click();
    await expect(card.getByText("hr.employees is already registered: choose another name.")).toBeVisible();
    // Any other name: the table is governed already, and the message says by what.
    await card.getByLabel("Governed schema").fill("e2e_once");
    await card.getByLabel("View name").fill("badges_again");
    await page.getByRole("button", { name: "Register 1 table" }).click();
    await expect(card.getByText("memory.e2e_once.badges is already registered as data source e2e_once.badges (owned by olivia).")).toBeVisible();
    await screenshot(page, "olivia-register-conflict");
    expect(await sql(`SELECT id FROM "DataSource" WHERE "backingSchema" = 'e2e_once'`)).toHaveLength(1);
  } finally {
    await other.close();
    const left = await sql(`DELETE FROM "DataSource" WHERE "backingSchema" = 'e2e_once' RETURNING id`);
    if (left.length) await sql(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`);
    await queryAs("steward", "DROP TABLE IF EXISTS memory.e2e_once.badges");
  }
});

test("re-sync shows added, removed and changed columns before applying, then bumps the epoch", async ({ page }) => {
  await queryAs("steward", "CREATE SCHEMA IF NOT EXISTS memory.e2e_resync");
  await queryAs("steward", "DROP TABLE IF EXISTS memory.e2e_resync.widgets");
  await queryAs("steward", "CREATE TABLE memory.e2e_resync.widgets AS SELECT BIGINT '1' AS id, 'bolt' AS label, INTEGER '7' AS qty, 'x' AS legacy");

  await login(page, "olivia");
  await page.goto("/data-sources/register");
  await browseTo(page, "memory", "e2e_resync");
  await page.getByRole("checkbox", { name: "widgets", exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  const card = page.getByTestId("draft-memory.e2e_resync.widgets");
  await expect(card.getByLabel("Governed schema")).toHaveValue("e2e_resync");
  await card.getByLabel("Tags for column label").fill("Product.Label");
  await page.getByRole("button", { name: "Register 1 table" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("e2e_resync.widgets");
  const id = page.url().split("/").pop()!;

  // Nothing changed yet.
  await page.getByRole("button", { name: "Re-sync columns" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("No changes: the registered columns match Trino.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();

  // The table changes in Trino: qty becomes bigint, legacy goes, colour comes.
  await queryAs("steward", "DROP TABLE memory.e2e_resync.widgets");
  await queryAs("steward", "CREATE TABLE memory.e2e_resync.widgets AS SELECT BIGINT '1' AS id, 'bolt' AS label, BIGINT '7' AS qty, 'red' AS colour");
  const before = await epoch();
  await page.getByRole("button", { name: "Re-sync columns" }).click();
  const diff = dialog.getByTestId("resync-diff");
  await expect(diff).toContainText("Added in Trino (1)");
  await expect(diff).toContainText("colour varchar(3)");
  await expect(diff).toContainText("Gone from Trino (1)");
  await expect(diff).toContainText("legacy");
  await expect(diff).toContainText("qty: integer → bigint");
  await screenshot(page, "olivia-resync-preview");
  // Previewing wrote nothing.
  expect(await epoch()).toBe(before);
  expect((await sql(`SELECT name FROM "DataSourceColumn" WHERE "dataSourceId" = $1`, [id])).map((r) => r.name)).toContain("legacy");

  await dialog.getByRole("button", { name: "Apply changes" }).click();
  await expect(dialog.getByText("Applied: 1 added, 1 removed, 1 retyped.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  const cols = await sql<{ name: string; type: string }>(`SELECT name, type FROM "DataSourceColumn" WHERE "dataSourceId" = $1 ORDER BY ordinal`, [id]);
  expect(cols).toEqual([
    { name: "id", type: "bigint" },
    { name: "label", type: "varchar(4)" },
    { name: "qty", type: "bigint" },
    { name: "colour", type: "varchar(3)" },
  ]);
  // Tags of the columns that stayed are kept.
  expect(await sql(`SELECT 1 FROM "ColumnTag" ct JOIN "DataSourceColumn" c ON c.id = ct."columnId" WHERE c."dataSourceId" = $1 AND c.name = 'label'`, [id])).toHaveLength(1);
  expect(await epoch()).toBeGreaterThan(before);
  const [event] = await sql<{ details: { added: string[]; removed: string[]; changed: string[] } }>(
    `SELECT details FROM "AuditEvent" WHERE action = 'datasource.resync' AND "targetId" = $1`,
    [id],
  );
  expect(event.details).toMatchObject({ added: ["colour varchar(3)"], removed: ["legacy"], changed: ["qty: integer -> bigint"] });
  await expect(page.getByRole("table", { name: "Columns" })).toContainText("colour");
  await expect(page.getByRole("table", { name: "Activity" })).toContainText("datasource.resync");
  await screenshot(page, "olivia-resync-applied");
});

test("disable and enable ask first; delete needs the view's name typed", async ({ page }) => {
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'e2e_resync' AND name = 'widgets'`);
  await login(page, "olivia");
  await page.goto(`/data-sources/${ds.id}`);

  await page.getByRole("button", { name: "Disable", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("The view disappears from Trino for everyone");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect((await sql<{ status: string }>(`SELECT status FROM "DataSource" WHERE id = $1`, [ds.id]))[0].status).toBe("ACTIVE");
  await page.getByRole("button", { name: "Disable", exact: true }).click();
  await dialog.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("disabled");
  expect((await sql<{ status: string }>(`SELECT status FROM "DataSource" WHERE id = $1`, [ds.id]))[0].status).toBe("DISABLED");
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Enable" }).click();
  await expect(page.getByRole("heading", { level: 1 })).not.toContainText("disabled");

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const del = page.getByRole("dialog");
  const confirm = del.getByRole("button", { name: "Delete data source" });
  await expect(confirm).toBeDisabled();
  await del.getByLabel(/to confirm/).fill("e2e_resync.wrong");
  await expect(confirm).toBeDisabled();
  await del.getByLabel(/to confirm/).fill("e2e_resync.widgets");
  await screenshot(page, "olivia-delete-confirm");
  await confirm.click();
  await expect(page).toHaveURL(/\/data-sources$/);
  expect(await sql(`SELECT id FROM "DataSource" WHERE id = $1`, [ds.id])).toHaveLength(0);
  expect(await sql(`SELECT id FROM "AuditEvent" WHERE action = 'datasource.delete' AND "targetId" = $1`, [ds.id])).toHaveLength(1);
});

test("the catalogue filters, sorts and pages on the server", async ({ page }) => {
  await login(page, "olivia");
  await page.goto("/data-sources?sort=columns&dir=desc");
  const views = page.getByRole("table", { name: "Data sources" }).locator("tbody tr td:first-child a");
  await expect(views.first()).toHaveText(/hr\.employees/);
  await page.getByRole("combobox", { name: "Tag" }).selectOption("Geo");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(views).toHaveText(["reference.nations", "reference.regions"]);
  await page.getByRole("link", { name: /^View/ }).click();
  await expect(page).toHaveURL(/\/data-sources\?tag=Geo$/);
  await expect(page.getByRole("columnheader", { name: /^View/ })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("link", { name: /^View/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(views).toHaveText(["reference.regions", "reference.nations"]);
  // The form follows the URL after client-side navigation.
  await expect(page.getByRole("combobox", { name: "Sort by" })).toHaveValue("name");
  await screenshot(page, "catalogue-filtered-sorted");
  await page.goto("/data-sources?q=no-such-thing");
  await expect(page.getByText("No data source matches these filters.")).toBeVisible();
  await screenshot(page, "catalogue-empty-filter");
});
