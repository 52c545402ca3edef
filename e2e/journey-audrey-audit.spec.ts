import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";

// audrey (AUDITOR) reads the audit log: filters by actor, action, target type and dates, and pages through it.
const suffix = Date.now().toString(36);
const today = new Date().toISOString().slice(0, 10);

test("audrey filters the audit log and pages through it, with the filters kept", async ({ page, browser }) => {
  // Known events first: admin creates 27 groups (more than one page of 25) through the API.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, "admin");
  const names = Array.from({ length: 27 }, (_, i) => `audit-${suffix}-${String(i).padStart(2, "0")}`);
  for (const name of names) expect((await admin.request.post("/api/groups", { data: { name } })).status()).toBe(200);

  await login(page, "audrey");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Audit events" });
  await expect(table.getByRole("row")).toHaveCount(26); // header + 25
  await screenshot(page, "audrey-audit");

  const filters = page.getByRole("form", { name: "Filter audit events" });
  await filters.getByLabel("Actor").selectOption("admin");
  await filters.getByLabel("Action").selectOption("group.create");
  await filters.getByLabel("Target type").selectOption("group");
  await filters.getByLabel("From").fill(today);
  await filters.getByLabel("To (inclusive)").fill(today);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=admin&action=group\.create&targetType=group/);

  const [{ n }] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE "actorName" = 'admin' AND action = 'group.create'`);
  const total = Number(n);
  expect(total).toBeGreaterThanOrEqual(27);
  await expect(page.getByTestId("audit-count")).toHaveText(`Events 1–25 of ${total} matching the filters.`);
  const rows = table.getByRole("row");
  await expect(rows).toHaveCount(26);
  for (const cells of await rows.allInnerTexts()) if (!cells.startsWith("Time")) expect(cells).toMatch(/admin created group audit-\S+\s+group\.create\s/);
  await expect(table).toContainText(names[26]); // newest first
  await screenshot(page, "audrey-audit-filtered");

  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/action=group\.create.*page=2/);
  await expect(page.getByTestId("audit-count")).toHaveText(`Events 26–${total} of ${total} matching the filters.`);
  await expect(filters.getByLabel("Action")).toHaveValue("group.create");
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(page.getByTestId("audit-count")).toContainText("Events 1–25");

  // A family filter (group.*) and a date range in the past.
  await filters.getByLabel("Action").selectOption("group.*");
  await filters.getByLabel("From").fill("2001-01-01");
  await filters.getByLabel("To (inclusive)").fill("2001-01-31");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await expect(page.getByTestId("audit-count")).toHaveText("No events matching the filters.");

  // A reversed range is explained, not silently empty.
  await filters.getByLabel("From").fill(today);
  await filters.getByLabel("To (inclusive)").fill("2001-01-01");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("The start date is after the end date.");
  await expect(filters.locator("#to-error")).toBeVisible();
  await screenshot(page, "audrey-audit-bad-range");

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(filters.getByLabel("Actor")).toHaveValue("");

  // Events written by the system (the demo seed) are there too.
  await filters.getByLabel("Actor").selectOption("system");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(table).toContainText("seed.personas");

  // An auditor reads; she cannot act as an admin.
  const res = await page.request.post("/api/groups", { data: { name: `audrey-${suffix}` } });
  expect(res.status()).toBe(403);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "You are not allowed to see this page" })).toBeVisible();

  const created = await sql<{ id: string }>(`SELECT id FROM "Group" WHERE name LIKE $1`, [`audit-${suffix}-%`]);
  for (const { id } of created) expect((await admin.request.delete(`/api/groups/${id}`)).status()).toBe(200);
  await adminContext.close();
});
