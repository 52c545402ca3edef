import { expect, test, type Locator, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs, queryError } from "./support/trino";
import { showLast } from "./support/trino-typed";

// The whole product in one journey, in the browser and on real Trino: olivia registers memory.hr.journey_staff
// (this spec's own copy of memory.hr.employees: a backing table is registered once, and hr.employees has it) as
// journey.staff (on approval) -> gwen writes a mask on ssn and a row filter by region, reads the compiled SQL
// and previews both as alice -> alice, not subscribed, gets "does not exist" from Trino and requests access ->
// olivia approves in her inbox -> alice's own Trino query returns only EU rows with the ssn's last 4 kept.
// One test per step; the last one deletes journey.staff (its policies and subscriptions go with it), and
// afterAll does the same if a step failed: the `journey` schema belongs to this spec alone.

test.describe.configure({ mode: "serial" });

const SCHEMA = "journey";
const NAME = "staff";
const VIEW_NAME = `${SCHEMA}.${NAME}`;
const VIEW = `governed.${VIEW_NAME}`;
const MASK_NAME = "journey: ssn, last 4 only";
const FILTER_NAME = "journey: rows of the user's region";
const REASON = "Headcount of the EU office for the quarterly review.";
const BACKING = "memory.hr.journey_staff";
const SSN_LAST_4 = /^X{7}\d{4}$/; // 'ddd-dd-dddd' under SHOW_LAST 4: every other character, dashes too, becomes X

async function journeySource(): Promise<{ id: string } | undefined> {
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = $1 AND name = $2`, [SCHEMA, NAME]);
  return ds;
}

async function alicesSubscription() {
  const [row] = await sql<{ state: string; reason: string | null; decisionReason: string | null }>(
    `SELECT s.state, s.reason, s."decisionReason" FROM "Subscription" s
     JOIN "User" u ON u.id = s."userId" JOIN "DataSource" ds ON ds.id = s."dataSourceId"
     WHERE u.username = 'alice' AND ds."governedSchema" = $1 AND ds.name = $2`,
    [SCHEMA, NAME],
  );
  return row;
}

/** The raw EU rows as the service user reads them from the backing table: id -> row. */
async function euRowsFromTrino(): Promise<Map<number, Record<string, unknown>>> {
  const rows = asObjects(await queryAs("steward", `SELECT id, name, email, ssn, region FROM ${BACKING} WHERE region = 'EU'`));
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** The sample rows table of the preview as objects keyed by column name. */
async function sampleRows(table: Locator): Promise<Record<string, string>[]> {
  const headers = await table.locator("thead th").allTextContents();
  const out: Record<string, string>[] = [];
  for (const r of await table.locator("tbody tr").all()) {
    const cells = await r.locator("td").allTextContents();
    out.push(Object.fromEntries(headers.map((h, i) => [h.trim(), cells[i]?.trim() ?? ""])));
  }
  return out;
}

async function newPolicy(page: Page) {
  await page.goto("/policies/new");
  await expect(page.getByRole("heading", { name: "New policy", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "New policy" });
  await expect(form.getByRole("radio", { name: "Local: one data source" })).toBeChecked();
  return form;
}

async function deleteThroughUi(page: Page, id: string) {
  await page.goto(`/data-sources/${id}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/to confirm/).fill(VIEW_NAME);
  await dialog.getByRole("button", { name: "Delete data source" }).click();
  await expect(page).toHaveURL(/\/data-sources$/);
}

test.beforeAll(async () => {
  await queryAs("steward", `DROP TABLE IF EXISTS ${BACKING}`);
  await queryAs("steward", `CREATE TABLE ${BACKING} AS SELECT * FROM memory.hr.employees`);
});

test.afterAll(async ({ browser }) => {
  // A step failed before the last one: take journey.staff away all the same, as olivia, through the UI.
  const ds = await journeySource();
  if (ds) {
    const page = await browser.newPage();
    await login(page, "olivia");
    await deleteThroughUi(page, ds.id);
    await page.close();
  }
  await queryAs("steward", `DROP TABLE IF EXISTS ${BACKING}`);
});

test("1. olivia registers memory.hr.journey_staff from real Trino as journey.staff, access on approval", async ({ page }) => {
  expect(await journeySource()).toBeUndefined();
  await login(page, "olivia");
  await page.getByRole("link", { name: "Register tables" }).click();
  await expect(page.getByRole("heading", { name: "Register tables", level: 1 })).toBeVisible();
  await page.getByRole("list", { name: "Catalogs" }).getByRole("button", { name: "memory", exact: true }).click();
  await page.getByRole("list", { name: "Schemas" }).getByRole("button", { name: "hr", exact: true }).click();
  // memory.hr.employees is governed by hr.employees already: it cannot be picked again
  const employees = page.getByRole("listitem").filter({ has: page.getByRole("checkbox", { name: /^employees\b/ }) });
  await expect(employees).toContainText("already registered as hr.employees (owned by olivia)");
  await expect(employees.getByRole("checkbox")).toBeDisabled();
  await page.getByRole("checkbox", { name: "journey_staff", exact: true }).check();
  await screenshot(page, "journey-1a-olivia-picks-table");
  await page.getByRole("button", { name: "Continue" }).click();

  const card = page.getByTestId(`draft-${BACKING}`);
  // the columns as Trino reports them: 13 and a header row
  await expect(card.getByRole("table", { name: `Columns of ${BACKING}` }).getByRole("row")).toHaveCount(14);
  await card.getByLabel("Governed schema").fill(SCHEMA);
  await card.getByLabel("View name").fill(NAME);
  await card.getByLabel("Description").fill("HR employees for the end-to-end journey.");
  await page.getByRole("radio", { name: /On approval/ }).check();
  await screenshot(page, "journey-1b-olivia-details");
  await page.getByRole("button", { name: "Register 1 table" }).click();

  await expect(page).toHaveURL(/\/data-sources\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(VIEW_NAME);
  await expect(page.getByText(VIEW)).toBeVisible();
  const columns = page.getByRole("table", { name: "Columns" });
  await expect(columns.getByRole("row", { name: /^\d+ ssn varchar/ })).toBeVisible();
  await expect(columns).toContainText("timestamp(3)");
  await expect(page.getByText("No policy applies")).toBeVisible();
  await screenshot(page, "journey-1c-olivia-registered");

  const [row] = await sql<{ type: string; catalog: string; schema: string; tbl: string }>(
    `SELECT sp.type, ds."backingCatalog" AS catalog, ds."backingSchema" AS schema, ds."backingTable" AS tbl
     FROM "DataSource" ds JOIN "SubscriptionPolicy" sp ON sp."dataSourceId" = ds.id WHERE ds."governedSchema" = $1 AND ds.name = $2`,
    [SCHEMA, NAME],
  );
  expect(row).toEqual({ type: "APPROVAL", catalog: "memory", schema: "hr", tbl: "journey_staff" });
});

test("2. gwen masks ssn with SHOW_LAST 4 for everyone, local to journey.staff; the compiled SQL for alice shows it", async ({ page }) => {
  await login(page, "gwen");
  const form = await newPolicy(page);
  await form.getByLabel("Name", { exact: true }).fill(MASK_NAME);
  await form.getByLabel("Data source", { exact: true }).selectOption({ label: VIEW_NAME });
  await form.getByRole("radio", { name: "Everyone", exact: true }).check();
  await form.getByRole("checkbox", { name: /^ssn/ }).check();
  await form.getByLabel("Mask method").selectOption("SHOW_LAST");
  await form.getByLabel("Characters to keep (n)").fill("4");

  const panel = page.getByTestId("compiled-panel");
  await expect(panel.getByLabel("Sample user")).toHaveValue("alice");
  const sqlBlock = panel.getByLabel(`Compiled SQL of ${VIEW_NAME} for alice`);
  await expect(sqlBlock).toContainText(`greatest(length(CAST("ssn" AS varchar)) - 4, 0)`);
  await expect(sqlBlock).toContainText(`AS varchar ) AS "ssn"`);
  await expect(sqlBlock).toContainText(`FROM "memory"."hr"."journey_staff"`);
  await expect(panel.getByTestId("compiled-status")).toContainText("Applies to alice.");
  await expect(panel.getByTestId("compiled-status")).toContainText("Masks ssn.");
  await expect(panel.getByRole("list", { name: "Conflicts" })).toHaveCount(0);
  await screenshot(page, "journey-2a-gwen-mask-compiled");

  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/\/policies\/[^/]+\?saved=1$/);
  await expect(page.getByText("Saved. The change applies to the very next query.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(MASK_NAME);
  await screenshot(page, "journey-2b-gwen-mask-saved");

  const rows = await sql<{ scope: string; kind: string; who: unknown; action: unknown; ds: string }>(
    `SELECT p.scope, p.kind, p.who, p.action, ds."governedSchema" || '.' || ds.name AS ds FROM "DataPolicy" p JOIN "DataSource" ds ON ds.id = p."dataSourceId" WHERE p.name = $1`,
    [MASK_NAME],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    scope: "LOCAL",
    kind: "MASK",
    ds: VIEW_NAME,
    who: { type: "EVERYONE" },
    action: { type: "MASK", target: { columns: ["ssn"] }, mask: { method: "SHOW_LAST", n: 4 } },
  });
});

test("3. gwen adds a row filter MATCH_ATTRIBUTE region = the user's region; alice's compiled SQL keeps 'EU'", async ({ page }) => {
  await login(page, "gwen");
  const form = await newPolicy(page);
  await form.getByLabel("Name", { exact: true }).fill(FILTER_NAME);
  await form.getByLabel("Data source", { exact: true }).selectOption({ label: VIEW_NAME });
  await form.getByRole("radio", { name: "Everyone", exact: true }).check();
  await form.getByRole("radio", { name: /Filter rows/ }).check();
  await form.getByLabel("Filter", { exact: true }).selectOption("MATCH_ATTRIBUTE");
  await form.getByLabel("Column", { exact: true }).selectOption("region");
  await form.getByLabel("User attribute").fill("region");

  const panel = page.getByTestId("compiled-panel");
  const sqlBlock = panel.getByLabel(`Compiled SQL of ${VIEW_NAME} for alice`);
  await expect(sqlBlock).toContainText(`IN ('EU')`);
  // the saved mask is compiled in too: the panel shows the view as it will be
  await expect(sqlBlock).toContainText(`length(CAST("ssn" AS varchar)) - 4`);
  await expect(panel.getByRole("list", { name: "Row filters" })).toContainText("MATCH_ATTRIBUTE by this policy");
  await screenshot(page, "journey-3a-gwen-filter-compiled");

  // bob's region is US: the same policy keeps other rows for him
  await panel.getByLabel("Sample user").selectOption("bob");
  await expect(panel.getByLabel(`Compiled SQL of ${VIEW_NAME} for bob`)).toContainText(`IN ('US')`);

  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByText("Saved. The change applies to the very next query.")).toBeVisible();
  const rows = await sql<{ scope: string; who: unknown; action: unknown }>(`SELECT scope, who, action FROM "DataPolicy" WHERE name = $1`, [FILTER_NAME]);
  expect(rows).toEqual([
    { scope: "LOCAL", who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } } },
  ]);
});

test("4. gwen previews journey.staff as alice: ssn masked, EU rows only, masked sample rows fetched from Trino", async ({ page }) => {
  const ds = (await journeySource())!;
  await login(page, "gwen");
  await page.goto("/policies");
  await page.getByRole("link", { name: "View as user" }).click();
  await expect(page.getByRole("heading", { name: "View as user", level: 1 })).toBeVisible();
  await page.getByLabel("Data source", { exact: true }).selectOption({ label: VIEW_NAME });
  await page.getByLabel("Username").selectOption("alice");
  await page.getByRole("button", { name: "Preview" }).click();

  // alice herself: the policies that will apply to her, and Trino's answer now (she is not subscribed yet)
  const result = page.getByTestId("preview-result");
  await expect(result.getByTestId("visibility-reason")).toContainText("Not subscribed");
  await expect(result.getByTestId("pv-col-ssn")).toContainText(`SHOW_LAST by “${MASK_NAME}”`);
  await expect(result.getByTestId("pv-col-email")).toContainText("as stored");
  await expect(result.getByRole("list", { name: "Row filters applied" })).toContainText(`MATCH_ATTRIBUTE by “${FILTER_NAME}”`);
  const alert = result.getByRole("alert");
  await expect(alert).toContainText(/does not exist/);
  await expect(alert).toContainText("Expected: the view is not visible to alice");
  await screenshot(page, "journey-4a-gwen-view-as-alice-not-subscribed");

  // the same policies for a user with alice's groups and attributes: the compiled view run on Trino
  await page.goto(`/policies/preview?ds=${ds.id}`);
  await page.getByRole("radio", { name: "A hypothetical user" }).check();
  await page.getByLabel("Groups").fill("analysts");
  await page.getByLabel("Groups").press("Enter");
  await page.getByLabel("Attributes").fill("region=EU");
  await page.getByLabel("Attributes").press("Enter");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(result.getByTestId("sample-source")).toContainText("ran as the service user steward");
  await expect(result.getByTestId("pv-col-ssn")).toContainText(`SHOW_LAST by “${MASK_NAME}”`);
  const shown = await sampleRows(result.getByRole("table", { name: "Sample rows" }));
  expect(shown).toHaveLength(20);
  const raw = await euRowsFromTrino();
  for (const r of shown) {
    expect(r.region).toBe("EU");
    expect(r.ssn).toMatch(SSN_LAST_4);
    expect(r.ssn).toBe(showLast(raw.get(Number(r.id))!.ssn as string, 4));
  }
  await screenshot(page, "journey-4b-gwen-view-as-alice-like-user");
});

test("5. alice gets 'does not exist' from Trino, finds journey.staff in the catalogue and requests access", async ({ page }) => {
  expect(await queryError("alice", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
  expect(await alicesSubscription()).toBeUndefined();

  await login(page, "alice");
  await page.getByRole("searchbox", { name: "Search" }).fill(SCHEMA);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=journey/);
  const row = page.getByTestId(`catalogue-row-${VIEW_NAME}`);
  await expect(row).toContainText("no access");
  await screenshot(page, "journey-5a-alice-catalogue");
  await row.getByRole("button", { name: `Request access to ${VIEW_NAME}` }).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`Request access to ${VIEW_NAME.replace(".", "\\.")}`) });
  await dialog.getByLabel("Why do you need access?").fill(REASON);
  await screenshot(page, "journey-5b-alice-request-dialog");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("requested");
  await screenshot(page, "journey-5c-alice-requested");

  expect(await alicesSubscription()).toMatchObject({ state: "PENDING", reason: REASON });
  // requested is not granted
  expect(await queryError("alice", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
});

test("6. olivia approves alice's request from her inbox", async ({ page }) => {
  await login(page, "olivia");
  await page.getByRole("link", { name: "Subscriptions" }).click();
  const inbox = page.getByRole("table", { name: "Requests to decide" });
  const request = inbox.getByRole("row", { name: /alice/ }).filter({ hasText: VIEW_NAME });
  await expect(request).toContainText(REASON);
  await screenshot(page, "journey-6a-olivia-inbox");
  await request.getByRole("button", { name: `Approve alice's request to ${VIEW_NAME}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`alice sees ${VIEW_NAME} in Trino from their next query`);
  await dialog.getByLabel(/Note for the requester/).fill("Approved: EU rows, SSNs masked.");
  await screenshot(page, "journey-6b-olivia-approve-dialog", { fullPage: false });
  await dialog.getByRole("button", { name: "Approve" }).click();
  await expect(dialog).toBeHidden();
  await expect(request).toHaveCount(0);
  await screenshot(page, "journey-6c-olivia-inbox-after");
  expect(await alicesSubscription()).toMatchObject({ state: "ACTIVE", decisionReason: "Approved: EU rows, SSNs masked." });
});

test("7. alice's query through Trino returns only EU rows, every ssn with its last 4 only", async ({ page }) => {
  const rows = asObjects(await queryAs("alice", `SELECT * FROM ${VIEW}`));
  const raw = await euRowsFromTrino();
  const [[euCount]] = (await queryAs("steward", `SELECT count(*) FROM ${BACKING} WHERE region = 'EU'`)).rows;
  expect(rows.length).toBe(Number(euCount));
  expect(rows.length).toBeGreaterThan(100);
  expect(new Set(rows.map((r) => r.region))).toEqual(new Set(["EU"]));
  for (const r of rows) {
    const stored = raw.get(Number(r.id))!;
    expect(r.ssn).toMatch(SSN_LAST_4);
    expect(r.ssn).toBe(`XXXXXXX${(stored.ssn as string).slice(-4)}`);
    // only what gwen wrote applies: journey.staff carries no tag, so the seed's global e-mail mask does not reach it
    expect(r.email).toBe(stored.email);
    expect(r.name).toBe(stored.name);
  }
  // bob (region US) has not asked: still nothing
  expect(await queryError("bob", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);

  await login(page, "alice");
  await page.goto(`/data-sources?q=${SCHEMA}`);
  const row = page.getByTestId(`catalogue-row-${VIEW_NAME}`);
  await expect(row).toContainText("subscribed");
  await page.getByRole("link", { name: VIEW_NAME, exact: true }).click();
  await expect(page.getByTestId("my-access")).toContainText("subscribed");
  await screenshot(page, "journey-7-alice-subscribed");
});

test("8. gwen's view as alice now shows the rows Trino serves alice through the governed view", async ({ page }) => {
  const ds = (await journeySource())!;
  await login(page, "gwen");
  await page.goto(`/policies/preview?ds=${ds.id}&user=alice`);
  const result = page.getByTestId("preview-result");
  await expect(result.getByTestId("visibility-reason")).toHaveText("Subscribed, no expiry.");
  await expect(result.getByTestId("sample-source")).toContainText("Fetched from Trino as alice through the governed view");
  const shown = await sampleRows(result.getByRole("table", { name: "Sample rows" }));
  expect(shown).toHaveLength(20);
  for (const r of shown) {
    expect(r.region).toBe("EU");
    expect(r.ssn).toMatch(SSN_LAST_4);
  }
  await screenshot(page, "journey-8-gwen-view-as-alice-subscribed");
});

test("9. olivia deletes journey.staff: its policies and alice's access go with it, Trino forgets the view", async ({ page }) => {
  const ds = (await journeySource())!;
  await login(page, "olivia");
  await page.goto(`/data-sources/${ds.id}`);
  await expect(page.getByRole("table", { name: "Subscribers" }).getByRole("row", { name: /alice/ })).toContainText("active");
  await expect(page.getByRole("table", { name: "Columns" }).getByRole("row", { name: /^\d+ ssn / })).toContainText(MASK_NAME);
  await screenshot(page, "journey-9a-olivia-detail-before-delete");
  await deleteThroughUi(page, ds.id);
  expect(await journeySource()).toBeUndefined();
  expect(await sql(`SELECT id FROM "DataPolicy" WHERE name IN ($1, $2)`, [MASK_NAME, FILTER_NAME])).toHaveLength(0);
  expect(await alicesSubscription()).toBeUndefined();
  expect(await queryError("alice", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
  // the seeded table is untouched
  expect(Number((await queryAs("alice", "SELECT count(*) FROM governed.hr.employees")).rows[0][0])).toBeGreaterThan(0);
});
