import { expect, test, type Locator, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs } from "./support/trino";

// Gwen (GOVERNOR) writes a mask and a row filter in the builder, sees the compiled SQL and a conflict, checks
// the result as alice through "view as user" (rows from real Trino), and alice's own Trino query agrees.
// Everything she creates is deleted at the end: other specs rely on the seed as it is.

test.describe.configure({ mode: "serial" });

const VIEW = "governed.hr.employees";
const MASK_NAME = "e2e-pol: phone and e-mail, last 4";
const FILTER_NAME = "e2e-pol: active employees of the user's region";
const PREFIX = "e2e-pol:";

async function dataSourceId(): Promise<string> {
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
  return ds.id;
}

async function policyCount(): Promise<number> {
  const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "DataPolicy"`);
  return Number(row.n);
}

/** The sample rows table of the preview as objects keyed by column name. */
async function sampleRows(table: Locator): Promise<Record<string, string>[]> {
  const headers = await table.locator("thead th").allTextContents();
  const rows = await table.locator("tbody tr").all();
  const out: Record<string, string>[] = [];
  for (const r of rows) {
    const cells = await r.locator("td").allTextContents();
    out.push(Object.fromEntries(headers.map((h, i) => [h.trim(), cells[i]?.trim() ?? ""])));
  }
  return out;
}

async function newPolicy(page: Page) {
  await page.goto("/policies/new");
  await expect(page.getByRole("heading", { name: "New policy", level: 1 })).toBeVisible();
  return page.getByRole("form", { name: "New policy" });
}

test.afterAll(async ({ browser }) => {
  // Whatever happened above, leave the seed as it was.
  const leftovers = await sql<{ id: string }>(`SELECT id FROM "DataPolicy" WHERE name LIKE $1`, [`${PREFIX}%`]);
  if (!leftovers.length) return;
  const page = await browser.newPage();
  await login(page, "gwen");
  for (const { id } of leftovers) await page.request.delete(`/api/policies/${id}`);
  await page.close();
});

test("alice (no GOVERNOR) cannot reach the policies pages", async ({ page }) => {
  await login(page, "alice");
  for (const path of ["/policies", "/policies/new", "/policies/preview"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "You are not allowed to see this page" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Policies" })).toHaveCount(0);
  }
  await screenshot(page, "gwen-policies-0-alice-403");
});

test("gwen lists the policies, filters and sorts them", async ({ page }) => {
  await login(page, "gwen");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policies" }).click();
  const table = page.getByRole("table", { name: "Policies" });
  await expect(table.getByRole("row")).toHaveCount((await policyCount()) + 1);
  await expect(table).toContainText("Hide SSNs outside HR");
  await expect(table).toContainText("tag PII.Email");
  await screenshot(page, "gwen-policies-1-list");

  await page.getByLabel("Scope").selectOption("GLOBAL");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/scope=GLOBAL/);
  const [globals] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "DataPolicy" WHERE scope = 'GLOBAL'`);
  await expect(table.getByRole("row")).toHaveCount(Number(globals.n) + 1);
  await expect(table).toContainText("Redact e-mail addresses");

  await page.goto("/policies?q=own+region");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Rows of the user's own region");
  await expect(page.getByText(/of \d+ policies match/)).toBeVisible();

  await page.goto("/policies");
  await table.getByRole("link", { name: /^Name/ }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(table.getByRole("row").nth(1)).toContainText("Hide SSNs outside HR");
  await table.getByRole("link", { name: /^Name/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(table.getByRole("row").nth(1)).toContainText("Rows of the user's own region");
});

test("inline validation: a negative n and an empty CUSTOM show at their field and save nothing", async ({ page }) => {
  await login(page, "gwen");
  const before = await policyCount();
  const form = await newPolicy(page);
  await form.getByLabel("Name", { exact: true }).fill(`${PREFIX} invalid`);
  await form.getByLabel("Data source", { exact: true }).selectOption({ label: "hr.employees" });
  await form.getByRole("checkbox", { name: /^phone/ }).check();
  await form.getByLabel("Mask method").selectOption("SHOW_FIRST");
  await form.getByLabel("Characters to keep (n)").fill("-3");
  await form.getByRole("button", { name: "Create policy" }).click();

  const n = form.getByLabel("Characters to keep (n)");
  await expect(n).toHaveAttribute("aria-invalid", "true");
  await expect(n).toBeFocused();
  await expect(page.locator('[id="action.mask.n-error"]')).toHaveText("Must be at least 0.");
  await expect(page.getByText("Fix the highlighted field first; nothing was saved.")).toBeVisible();
  await screenshot(page, "gwen-policies-2-invalid-n");
  expect(await policyCount()).toBe(before);

  await form.getByLabel("Mask method").selectOption("CUSTOM");
  await form.getByRole("button", { name: "Create policy" }).click();
  const expr = form.getByLabel("Expression");
  await expect(expr).toHaveAttribute("aria-invalid", "true");
  await expect(expr).toBeFocused();
  await expect(page.locator('[id="action.mask.sql-error"]')).toHaveText("Required.");
  await screenshot(page, "gwen-policies-3-empty-custom");
  expect(await policyCount()).toBe(before);

  // Fixing the field clears its error.
  await expr.fill("substr({col}, 1, 2)");
  await expect(expr).not.toHaveAttribute("aria-invalid", "true");

  // What only Trino can tell (an unknown function) comes back as a 422 and lands on the same field.
  await expr.fill("no_such_function({col})");
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(expr).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[id="action.mask.sql-error"]')).toContainText(/no_such_function/i);
  await expect(page.getByRole("alert").filter({ hasText: "Trino rejected" })).toBeVisible();
  await screenshot(page, "gwen-policies-3b-trino-rejects-custom");
  expect(await policyCount()).toBe(before);
});

test("gwen builds a mask: compiled SQL live, with the conflict against the global e-mail mask", async ({ page }) => {
  await login(page, "gwen");
  const form = await newPolicy(page);
  await form.getByLabel("Name", { exact: true }).fill(MASK_NAME);
  await form.getByLabel("Data source", { exact: true }).selectOption({ label: "hr.employees" });
  await form.getByRole("radio", { name: "Everyone except…" }).check();
  await form.getByLabel("Condition 1: group").fill("hr");
  await form.getByRole("checkbox", { name: /^phone/ }).check();
  await form.getByRole("checkbox", { name: /^email/ }).check();
  await form.getByLabel("Mask method").selectOption("SHOW_LAST");
  await form.getByLabel("Characters to keep (n)").fill("4");

  const panel = page.getByTestId("compiled-panel");
  await expect(panel.getByLabel("Sample user")).toHaveValue("alice");
  const sqlBlock = panel.getByLabel("Compiled SQL of hr.employees for alice");
  await expect(sqlBlock).toContainText(`greatest(length(CAST("phone" AS varchar)) - 4, 0)`);
  await expect(sqlBlock).toContainText(`IN ('EU')`);
  await expect(panel.getByTestId("compiled-status")).toContainText("Applies to alice.");
  await expect(panel.getByTestId("compiled-status")).toContainText("Masks email, phone.");
  const conflicts = panel.getByRole("list", { name: "Conflicts" });
  await expect(conflicts).toContainText(`email: “Redact e-mail addresses” is overridden by “${MASK_NAME}”`);
  await screenshot(page, "gwen-policies-4-mask-compiled");

  // carol (group hr) is exempt: the draft does not apply to her
  await panel.getByLabel("Sample user").selectOption("carol");
  await expect(panel.getByTestId("compiled-status")).toContainText("Does not apply to carol");
  await expect(panel.getByLabel("Compiled SQL of hr.employees for carol")).not.toContainText("rpad(");

  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/\/policies\/[^/]+\?saved=1$/);
  await expect(page.getByText("Saved. The change applies to the very next query.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(MASK_NAME);

  const [row] = await sql<{ scope: string; kind: string; who: unknown; action: unknown }>(`SELECT scope, kind, who, action FROM "DataPolicy" WHERE name = $1`, [MASK_NAME]);
  expect(row).toMatchObject({
    scope: "LOCAL",
    kind: "MASK",
    who: { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "group", group: "hr" }] } },
    action: { type: "MASK", target: { columns: ["phone", "email"] }, mask: { method: "SHOW_LAST", n: 4 } },
  });
  const audits = await sql(`SELECT id FROM "AuditEvent" WHERE action = 'policy.create' AND details->>'name' = $1`, [MASK_NAME]);
  expect(audits).toHaveLength(1);

  // the saved policy opens in the builder with its values
  await page.reload();
  const edit = page.getByRole("form", { name: "Edit policy" });
  await expect(edit.getByLabel("Characters to keep (n)")).toHaveValue("4");
  await expect(edit.getByRole("checkbox", { name: /^email/ })).toBeChecked();
  await expect(edit.getByLabel("Condition 1: group")).toHaveValue("hr");
  await expect(page.getByTestId("compiled-panel").getByRole("list", { name: "Conflicts" })).toContainText("is overridden by");
  await screenshot(page, "gwen-policies-5-mask-saved");
});

test("gwen builds a row filter with a WHERE predicate using @attribute('region')", async ({ page }) => {
  await login(page, "gwen");
  const form = await newPolicy(page);
  await form.getByLabel("Name", { exact: true }).fill(FILTER_NAME);
  await form.getByLabel("Data source", { exact: true }).selectOption({ label: "hr.employees" });
  await form.getByRole("radio", { name: "Everyone except…" }).check();
  await form.getByLabel("Condition 1: group").fill("hr");
  await form.getByRole("radio", { name: /Filter rows/ }).check();
  await form.getByLabel("Filter", { exact: true }).selectOption("WHERE");
  await form.getByLabel("WHERE predicate").fill("contains(@attribute('region'), region) AND active = true");

  const panel = page.getByTestId("compiled-panel");
  const sqlBlock = panel.getByLabel("Compiled SQL of hr.employees for alice");
  await expect(sqlBlock).toContainText("contains(ARRAY['EU'], region)");
  await expect(sqlBlock).toContainText("active = true");
  await screenshot(page, "gwen-policies-6-filter-compiled");

  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByText("Saved. The change applies to the very next query.")).toBeVisible();
  const rows = await sql<{ action: unknown }>(`SELECT action FROM "DataPolicy" WHERE name = $1`, [FILTER_NAME]);
  expect(rows).toEqual([{ action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "contains(@attribute('region'), region) AND active = true" } } }]);
});

test("view as alice: masks and filters with their policies, rows from real Trino; alice's own query agrees", async ({ page, browser }) => {
  await login(page, "gwen");
  await page.goto("/policies");
  await page.getByRole("link", { name: "View as user" }).click();
  await expect(page.getByRole("heading", { name: "View as user", level: 1 })).toBeVisible();
  await page.getByLabel("Data source", { exact: true }).selectOption({ label: "hr.employees" });
  await page.getByLabel("Username").selectOption("alice");
  const actionRequest = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByRole("button", { name: "Preview" }).click();
  const captured = await actionRequest;

  const result = page.getByTestId("preview-result");
  await expect(result.getByTestId("visibility-reason")).toHaveText("Subscribed, no expiry.");
  await expect(result.getByTestId("pv-col-phone")).toContainText(`SHOW_LAST by “${MASK_NAME}”`);
  await expect(result.getByTestId("pv-col-email")).toContainText(`“Redact e-mail addresses” is overridden by “${MASK_NAME}”`);
  await expect(result.getByTestId("pv-col-ssn")).toContainText("NULL by “Hide SSNs outside HR”");
  await expect(result.getByTestId("pv-col-name")).toContainText("as stored");
  const filters = result.getByRole("list", { name: "Row filters applied" });
  await expect(filters).toContainText("MATCH_ATTRIBUTE by “Rows of the user's own region”");
  await expect(filters).toContainText(`WHERE by “${FILTER_NAME}”`);
  await expect(result.getByTestId("sample-source")).toContainText("Fetched from Trino as alice through the governed view");

  const table = result.getByRole("table", { name: "Sample rows" });
  await expect(table.locator("tbody tr")).toHaveCount(20);
  const shown = await sampleRows(table);
  for (const r of shown) {
    expect(r.phone).toMatch(/^X{11}\d{4}$/);
    expect(r.email).toMatch(/^X+\.com$/);
    expect(r.ssn).toBe("NULL");
    expect(r.region).toBe("EU");
    expect(r.active).toBe("true");
  }
  await screenshot(page, "gwen-policies-7-view-as-alice");

  // alice's own query through Trino: the same enforcement
  const own = asObjects(await queryAs("alice", `SELECT phone, email, ssn, region, active FROM ${VIEW}`));
  const euActive = await queryAs("steward", "SELECT count(*) FROM memory.hr.employees WHERE region = 'EU' AND active");
  expect(own.length).toBe(Number(euActive.rows[0][0]));
  for (const r of own) {
    expect(r.phone).toMatch(/^X{11}\d{4}$/);
    expect(r.email).toMatch(/^X+\.com$/);
    expect(r.ssn).toBeNull();
    expect(r.region).toBe("EU");
    expect(r.active).toBe(true);
  }

  // the preview action itself refuses alice (server actions are public endpoints: it checks her roles)
  const alice = await browser.newPage();
  await login(alice, "alice");
  const res = await alice.request.post("/policies/preview", {
    headers: { "next-action": captured.headers()["next-action"], accept: "text/x-component", "content-type": captured.headers()["content-type"] ?? "text/plain;charset=UTF-8" },
    data: captured.postData() ?? "",
  });
  const body = await res.text();
  expect(body).toContain('"status":403');
  expect(body).toContain("GOVERNOR");
  expect(body).not.toContain("XXXXXXXXXXX");
  expect(body).not.toContain("memory");
  await alice.close();
});

test("view as a hypothetical member of hr: compiled SQL run as the service user, nothing masked", async ({ page }) => {
  await login(page, "gwen");
  await page.goto(`/policies/preview?ds=${await dataSourceId()}`);
  await page.getByRole("radio", { name: "A hypothetical user" }).check();
  await page.getByLabel("Groups").fill("hr");
  await page.getByLabel("Groups").press("Enter");
  await page.getByLabel("Attributes").fill("region");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator('[id="pv-attributes-error"]')).toHaveText("Write each attribute as key=value.");
  await page.getByRole("button", { name: "Remove attribute region" }).click();
  await page.getByRole("button", { name: "Preview" }).click();

  const result = page.getByTestId("preview-result");
  await expect(result.getByTestId("visibility-reason")).toContainText("A hypothetical user has no subscription");
  await expect(result.getByTestId("sample-source")).toContainText("ran as the service user steward");
  await expect(result.getByTestId("pv-col-phone")).toContainText("as stored");
  await expect(result.getByRole("list", { name: "Policies on this data source" })).toContainText("does not apply");
  const shown = await sampleRows(result.getByRole("table", { name: "Sample rows" }));
  expect(shown).toHaveLength(20);
  expect(shown.every((r) => /^\d{2}-\d{3}-\d{3}-\d{4}$/.test(r.phone))).toBe(true);
  expect(new Set(shown.map((r) => r.region)).size).toBeGreaterThan(1);
  await screenshot(page, "gwen-policies-8-view-as-hypothetical");
});

test("view as bob (not subscribed): Trino's answer is shown as an error, with why", async ({ page }) => {
  await login(page, "gwen");
  await page.goto(`/policies/preview?ds=${await dataSourceId()}&user=bob`);
  const result = page.getByTestId("preview-result");
  await expect(result.getByTestId("visibility-reason")).toHaveText(/^(Not subscribed|Access requested|The access request was denied|The subscription)/);
  await expect(result.getByText("not visible", { exact: true })).toBeVisible();
  const alert = result.getByRole("alert");
  await expect(alert).toContainText("Trino answered with an error");
  await expect(alert).toContainText(/does not exist/);
  await expect(alert).toContainText("Expected: the view is not visible to bob");
  await screenshot(page, "gwen-policies-9-view-as-bob");
});

test("olivia (data owner) reads global policies, manages the local ones of her source, and may preview it", async ({ page }) => {
  await login(page, "olivia");
  await page.goto("/policies");
  const table = page.getByRole("table", { name: "Policies" });
  await expect(table.getByRole("link", { name: "Edit policy Hide SSNs outside HR" })).toBeVisible();
  await expect(table.getByRole("link", { name: "View policy Redact e-mail addresses" })).toBeVisible();
  await expect(table.getByRole("button", { name: "Delete policy Redact e-mail addresses" })).toHaveCount(0);

  await table.getByRole("link", { name: "View policy Redact e-mail addresses" }).click();
  await expect(page.getByText("Read only: global policies are changed by governors.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Edit policy" }).getByLabel("Tag", { exact: true })).toBeDisabled();

  await page.goto("/policies/new");
  await expect(page.getByRole("radio", { name: "Global: every data source with a tag" })).toBeDisabled();

  await page.goto(`/policies/preview?ds=${await dataSourceId()}&user=alice`);
  await expect(page.getByTestId("preview-result").getByTestId("visibility-reason")).toHaveText("Subscribed, no expiry.");
});

test("gwen deletes her policies with a confirmation; alice is back to the seed's enforcement", async ({ page }) => {
  await login(page, "gwen");
  await page.goto("/policies");
  const table = page.getByRole("table", { name: "Policies" });
  const rowsBefore = (await policyCount()) + 1;
  await expect(table.getByRole("row")).toHaveCount(rowsBefore);
  await expect(table).toContainText(MASK_NAME);

  // from the list
  await table.getByRole("button", { name: `Delete policy ${FILTER_NAME}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(FILTER_NAME);
  await screenshot(page, "gwen-policies-10-delete-confirm", { fullPage: false });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(table.getByRole("row")).toHaveCount(rowsBefore);
  await table.getByRole("button", { name: `Delete policy ${FILTER_NAME}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete policy" }).click();
  await expect(table.getByRole("row")).toHaveCount(rowsBefore - 1);

  // from the builder
  await table.getByRole("link", { name: MASK_NAME, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(MASK_NAME);
  await page.getByRole("button", { name: "Delete policy", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete policy" }).click();
  await expect(page).toHaveURL(/\/policies\?deleted=/);
  await expect(page.getByText(`Deleted “${MASK_NAME}”.`)).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(rowsBefore - 2);

  expect(await sql(`SELECT id FROM "DataPolicy" WHERE name LIKE $1`, [`${PREFIX}%`])).toHaveLength(0);
  const rows = asObjects(await queryAs("alice", `SELECT phone, email, region FROM ${VIEW} LIMIT 20`));
  expect(rows.every((r) => /^\d{2}-\d{3}-\d{3}-\d{4}$/.test(r.phone as string))).toBe(true);
  expect(rows.every((r) => /^x+\.x+@x+\.xxx$/.test(r.email as string))).toBe(true);
  expect(rows.every((r) => r.region === "EU")).toBe(true);
});
