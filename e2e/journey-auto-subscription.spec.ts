import { expect, test, type Page } from "@playwright/test";
import { apiLogin, CONSOLE_URL } from "./support/api-session";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { queryAs, queryError } from "./support/trino";

// Olivia (DATA_OWNER) registers tpch.tiny.region as auto.regions, then changes its access after the fact:
// automatic for group analysts, then for attribute region=US. Users matching the condition read the view
// through real Trino without asking; the epoch bump makes each change immediate. A governed view of its own,
// so the seeded hr.employees that other specs rely on is left alone; it is deleted at the end.

test.describe.configure({ mode: "serial" });

// AUTO is a reserved word in Trino SQL: the schema name is quoted.
const COUNT = `SELECT count(*) FROM governed."auto".regions`;
let dataSourceId = "";
/** Olivia's server-action request, replayed as alice to check the server refuses her. */
let captured: { headers: Record<string, string>; body: string; url: string } | null = null;

async function epoch(): Promise<number> {
  const [row] = await sql<{ value: number }>(`SELECT value FROM "Epoch" WHERE id = 1`);
  return Number(row?.value ?? 0);
}

async function stored() {
  const [row] = await sql<{ type: string; condition: unknown; maxDays: number | null }>(
    `SELECT type, condition, "maxDays" FROM "SubscriptionPolicy" WHERE "dataSourceId" = $1`,
    [dataSourceId],
  );
  return row;
}

async function count(user: string): Promise<number> {
  const r = await queryAs(user, COUNT);
  return Number(r.rows[0][0]);
}

async function openEditor(page: Page) {
  await page.getByRole("button", { name: "Change access" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  return dialog;
}

test.afterAll(async () => {
  // Safety net when a test failed before the UI deleted it.
  const left = await sql(`DELETE FROM "DataSource" WHERE "governedSchema" = 'auto' AND name = 'regions' RETURNING id`);
  if (left.length) await sql(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`);
});

test("olivia registers tpch.tiny.region as auto.regions (on approval by default)", async ({ page }) => {
  await login(page, "olivia");
  await page.goto("/data-sources/register");
  await page.getByRole("list", { name: "Catalogs" }).getByRole("button", { name: "tpch", exact: true }).click();
  await page.getByRole("list", { name: "Schemas" }).getByRole("button", { name: "tiny", exact: true }).click();
  await page.getByRole("checkbox", { name: "region", exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  const card = page.getByTestId("draft-tpch.tiny.region");
  await card.getByLabel("Governed schema").fill("auto");
  await card.getByLabel("View name").fill("regions");
  await page.getByRole("button", { name: "Register 1 table" }).click();
  await expect(page).toHaveURL(/\/data-sources\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("auto.regions");
  dataSourceId = page.url().split("/").pop()!;
  expect(await stored()).toMatchObject({ type: "APPROVAL", condition: null });
  await expect(page.getByTestId("access-policy")).toContainText("On approval");
  expect(await queryError("alice", COUNT)).toMatch(/does not exist/i);
});

test("olivia makes it automatic for group analysts: alice reads it without asking, bob does not see it", async ({ page }) => {
  await login(page, "olivia");
  await page.goto(`/data-sources/${dataSourceId}`);
  const before = await epoch();
  const dialog = await openEditor(page);
  await dialog.getByRole("radio", { name: /Automatic/ }).check();
  await expect(dialog.getByLabel("Condition 1: kind")).toHaveValue("group");
  await dialog.getByLabel("Condition 1: group").fill("analysts");
  await screenshot(page, "auto-1-editor-group");
  await dialog.getByRole("button", { name: "Save access" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("access-policy")).toContainText("Automatic — users matching a condition: group analysts");

  expect(await stored()).toEqual({ type: "AUTO", condition: { match: "any", terms: [{ kind: "group", group: "analysts" }] }, maxDays: null });
  expect(await epoch()).toBeGreaterThan(before);
  const events = await sql<{ actorName: string; details: Record<string, unknown> }>(
    `SELECT "actorName", details FROM "AuditEvent" WHERE action = 'datasource.subscription_policy' AND "targetId" = $1`,
    [dataSourceId],
  );
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ actorName: "olivia", details: { type: "AUTO", from: "APPROVAL", view: "auto.regions" } });
  await expect(page.getByRole("table", { name: "Activity" })).toContainText("datasource.subscription_policy");
  await screenshot(page, "auto-2-detail-group");

  expect(await count("alice")).toBe(5);
  expect(await queryError("bob", COUNT)).toMatch(/does not exist/i);
  // Nothing was requested: the condition is the grant.
  expect(await sql(`SELECT id FROM "Subscription" WHERE "dataSourceId" = $1`, [dataSourceId])).toHaveLength(0);
});

test("alice's page says she is subscribed automatically; she cannot change the access", async ({ page }) => {
  await login(page, "alice");
  await page.goto(`/data-sources/${dataSourceId}`);
  await expect(page.getByTestId("my-access")).toContainText(/auto/i);
  await expect(page.getByRole("button", { name: "Change access" })).toHaveCount(0);
  await screenshot(page, "auto-3-alice-detail");
});

test("olivia switches the condition to attribute region = US: bob sees it at once, alice no longer", async ({ page }) => {
  await login(page, "olivia");
  await page.goto(`/data-sources/${dataSourceId}`);
  const dialog = await openEditor(page);
  await dialog.getByLabel("Condition 1: kind").selectOption("attribute");
  await dialog.getByLabel("Condition 1: attribute key").fill("region");
  await dialog.getByLabel("Condition 1: attribute value").fill("US");
  await dialog.getByLabel("Access expires after (days)").fill("30");
  const request = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await dialog.getByRole("button", { name: "Save access" }).click();
  const req = await request;
  captured = { headers: req.headers(), body: req.postData() ?? "", url: req.url() };
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("access-policy")).toContainText("region=US; grants expire after 30 days");
  expect(await stored()).toEqual({ type: "AUTO", condition: { match: "any", terms: [{ kind: "attribute", key: "region", value: "US" }] }, maxDays: 30 });
  await screenshot(page, "auto-4-detail-attribute");

  expect(await count("bob")).toBe(5);
  expect(await queryError("alice", COUNT)).toMatch(/does not exist/i);
});

test("AUTO without a condition is refused inline and changes nothing", async ({ page }) => {
  await login(page, "olivia");
  await page.goto(`/data-sources/${dataSourceId}`);
  const before = { policy: await stored(), epoch: await epoch() };
  const dialog = await openEditor(page);
  // Back to an empty group row: no condition at all.
  await dialog.getByLabel("Condition 1: kind").selectOption("group");
  await dialog.getByRole("button", { name: "Save access" }).click();
  await expect(dialog.getByText("AUTO needs a condition")).toBeVisible();
  await expect(dialog.getByText("Check the fields marked in red.")).toBeVisible();
  await expect(dialog.getByRole("group", { name: "Users matching" })).toHaveAttribute("aria-describedby", "condition-error");
  await screenshot(page, "auto-5-inline-error");

  // A term left half-filled is pointed at its own field.
  await dialog.getByLabel("Condition 1: kind").selectOption("attribute");
  await dialog.getByLabel("Condition 1: attribute key").fill("region");
  await dialog.getByRole("button", { name: "Save access" }).click();
  await expect(dialog.getByLabel("Condition 1: attribute value")).toHaveAttribute("aria-invalid", "true");

  // maxDays out of range, with a valid condition.
  await dialog.getByLabel("Condition 1: attribute value").fill("US");
  await dialog.getByLabel("Access expires after (days)").fill("0");
  await dialog.getByRole("button", { name: "Save access" }).click();
  await expect(dialog.getByLabel("Access expires after (days)")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "auto-6-maxdays-error");

  expect(await stored()).toEqual(before.policy);
  expect(await epoch()).toBe(before.epoch);
  expect(await sql(`SELECT id FROM "AuditEvent" WHERE action = 'datasource.subscription_policy' AND "targetId" = $1`, [dataSourceId])).toHaveLength(2);
  expect(await count("bob")).toBe(5);
});

test("alice (not an owner) replaying olivia's server action gets 403 and changes nothing", async () => {
  expect(captured).not.toBeNull();
  const before = { policy: await stored(), epoch: await epoch() };
  const alice = await apiLogin("alice");
  try {
    const pick = (k: string) => (captured!.headers[k] ? { [k]: captured!.headers[k] } : {});
    const res = await alice.post(captured!.url, {
      headers: { ...pick("next-action"), ...pick("next-router-state-tree"), ...pick("content-type"), accept: "text/x-component", origin: CONSOLE_URL },
      data: captured!.body.replace('"region"', '"department"'),
    });
    const text = await res.text();
    expect(text).toContain('"status":403');
    expect(text).toContain("Only an owner of this data source or a governor may do this.");
  } finally {
    await alice.dispose();
  }
  expect(await stored()).toEqual(before.policy);
  expect(await epoch()).toBe(before.epoch);
});

test("olivia deletes auto.regions; nobody sees it any more", async ({ page }) => {
  await login(page, "olivia");
  await page.goto(`/data-sources/${dataSourceId}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const del = page.getByRole("dialog");
  await del.getByLabel(/to confirm/).fill("auto.regions");
  await del.getByRole("button", { name: "Delete data source" }).click();
  await expect(page).toHaveURL(/\/data-sources$/);
  expect(await sql(`SELECT id FROM "DataSource" WHERE id = $1`, [dataSourceId])).toHaveLength(0);
  expect(await queryError("bob", COUNT)).toMatch(/does not exist/i);
});
