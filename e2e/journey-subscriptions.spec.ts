import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs, queryError } from "./support/trino";

// Bob asks for hr.employees, Olivia decides in her inbox, and real Trino follows each step. Alice, who owns
// nothing and governs nothing, cannot decide for her. Ends with bob without access (other specs expect it).

test.describe.configure({ mode: "serial" });

const VIEW = "governed.hr.employees";

async function bobsSubscription() {
  const rows = await sql<{ id: string; state: string; reason: string | null; decisionReason: string | null; decidedById: string | null }>(
    `SELECT s.id, s.state, s.reason, s."decisionReason", s."decidedById" FROM "Subscription" s
     JOIN "User" u ON u.id = s."userId" JOIN "DataSource" ds ON ds.id = s."dataSourceId"
     WHERE u.username = 'bob' AND ds."governedSchema" = 'hr' AND ds.name = 'employees'`,
  );
  return rows[0];
}

async function counts() {
  const [row] = await sql<{ audit: string; epoch: number }>(
    `SELECT (SELECT count(*) FROM "AuditEvent")::text AS audit, (SELECT value FROM "Epoch" WHERE id = 1) AS epoch`,
  );
  return { audit: Number(row.audit), epoch: Number(row.epoch) };
}

test("bob finds hr.employees in the catalogue and requests access with a reason", async ({ page }) => {
  expect(await bobsSubscription()).toBeUndefined();
  await login(page, "bob");
  const row = page.getByTestId("catalogue-row-hr.employees");
  await expect(row).toContainText("no access");
  await screenshot(page, "bob-catalogue");
  // Keyboard: Enter opens the dialog with focus in the reason, Escape closes it and focus returns.
  const requestButton = row.getByRole("button", { name: "Request access to hr.employees" });
  await requestButton.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog").getByLabel("Why do you need access?")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(requestButton).toBeFocused();
  await requestButton.click();

  const dialog = page.getByRole("dialog", { name: /Request access to hr\.employees/ });
  const reason = dialog.getByLabel("Why do you need access?");
  await expect(reason).toBeFocused();
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog.getByText("Say why you need access.")).toBeVisible();
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "bob-request-inline-error");
  expect(await bobsSubscription()).toBeUndefined();

  await reason.fill("Quarterly headcount report for the US office.");
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("requested");
  const sub = await bobsSubscription();
  expect(sub).toMatchObject({ state: "PENDING", reason: "Quarterly headcount report for the US office." });

  await page.getByRole("link", { name: "hr.employees" }).click();
  await expect(page.getByTestId("my-access")).toContainText("requested");
  await expect(page.getByTestId("my-access")).toContainText("Waiting for an owner or a governor.");
  // Not an owner: no subscribers, no audit trail, no management buttons.
  await expect(page.getByRole("table", { name: "Subscribers" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await screenshot(page, "bob-detail-requested");

  expect(await queryError("bob", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
});

test("alice cannot approve or deny bob's request: 403 and nothing changes", async ({ page }) => {
  await login(page, "alice");
  const sub = await bobsSubscription();
  const before = await counts();
  for (const decision of ["approve", "deny", "revoke"]) {
    const res = await page.request.post(`/api/subscriptions/${sub.id}/${decision}`, { data: { reason: "let me" } });
    expect(res.status(), decision).toBe(403);
    expect((await res.json()).error).toMatch(/owner of this data source or a governor/);
  }
  expect(await bobsSubscription()).toEqual(sub);
  expect(await counts()).toEqual(before);
  // Her inbox shows nothing to decide either.
  await page.goto("/subscriptions");
  await expect(page.getByRole("table", { name: "Requests to decide" })).toHaveCount(0);
  expect(await queryError("bob", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
});

test("olivia approves in her inbox; bob's query through Trino then returns only US rows with ssn NULL", async ({ page }) => {
  await login(page, "olivia");
  await page.getByRole("link", { name: "Subscriptions" }).click();
  const inbox = page.getByRole("table", { name: "Requests to decide" });
  const request = inbox.getByRole("row", { name: /bob/ });
  await expect(request).toContainText("Quarterly headcount report for the US office.");
  await screenshot(page, "olivia-inbox");
  await request.getByRole("button", { name: "Approve bob's request to hr.employees" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("bob sees hr.employees in Trino from their next query");
  await dialog.getByLabel(/Note for the requester/).fill("Approved for the US report.");
  await dialog.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("No pending requests for the data sources you own.")).toBeVisible();
  await screenshot(page, "olivia-inbox-empty");
  expect(await bobsSubscription()).toMatchObject({ state: "ACTIVE", decisionReason: "Approved for the US report." });

  const rows = asObjects(await queryAs("bob", `SELECT * FROM ${VIEW}`));
  const usRows = await queryAs("steward", "SELECT count(*) FROM memory.hr.employees WHERE region = 'US'");
  expect(rows.length).toBe(Number(usRows.rows[0][0]));
  expect(rows.length).toBeGreaterThan(100);
  expect(new Set(rows.map((r) => r.region))).toEqual(new Set(["US"]));
  expect(rows.every((r) => r.ssn === null)).toBe(true);
  expect(rows.every((r) => typeof r.name === "string")).toBe(true);

  // The detail page shows olivia the subscriber and the trail of events.
  await page.goto("/data-sources");
  await page.getByRole("link", { name: "hr.employees", exact: true }).click();
  await expect(page.getByRole("table", { name: "Subscribers" }).getByRole("row", { name: /bob/ })).toContainText("active");
  await expect(page.getByRole("table", { name: "Activity" })).toContainText("subscription.approve");
  await expect(page.getByRole("table", { name: "Columns" }).getByRole("row", { name: /ssn/ })).toContainText("Hide SSNs outside HR");
  await screenshot(page, "olivia-detail-subscribers");
});

test("bob sees his access without expiry and gives it up; Trino stops serving him", async ({ page }) => {
  await login(page, "bob");
  await page.getByRole("link", { name: "Subscriptions" }).click();
  const mine = page.getByRole("table", { name: "My access" });
  const row = mine.getByRole("row", { name: /hr\.employees/ });
  await expect(row).toContainText("subscribed");
  await expect(row).toContainText("never");
  await expect(row).toContainText("Approved for the US report.");
  await screenshot(page, "bob-my-access");
  await row.getByRole("button", { name: "Revoke your access to hr.employees" }).click();
  await expect(page.getByRole("dialog")).toContainText("You lose access to hr.employees at once");
  await page.getByRole("dialog").getByRole("button", { name: "Revoke access" }).click();
  await expect(row).toContainText("revoked");
  expect((await bobsSubscription()).state).toBe("REVOKED");
  expect(await queryError("bob", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
});

test("bob asks again, olivia must give a reason to deny, and bob reads it", async ({ page }) => {
  await login(page, "bob");
  await page.goto("/data-sources");
  const row = page.getByTestId("catalogue-row-hr.employees");
  await row.getByRole("button", { name: "Request again to hr.employees" }).click();
  await page.getByRole("dialog").getByLabel("Why do you need access?").fill("One more report.");
  await page.getByRole("dialog").getByRole("button", { name: "Send request" }).click();
  await expect(row).toContainText("requested");

  await page.context().clearCookies();
  await login(page, "olivia");
  await page.goto("/subscriptions");
  const request = page.getByRole("table", { name: "Requests to decide" }).getByRole("row", { name: /bob/ });
  await request.getByRole("button", { name: "Deny bob's request to hr.employees" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Deny" }).click();
  await expect(dialog.getByText("Say why, so the requester knows.")).toBeVisible();
  await screenshot(page, "olivia-deny-needs-reason");
  expect((await bobsSubscription()).state).toBe("PENDING");
  await dialog.getByLabel("Why not?").fill("Use the aggregated dashboard instead.");
  await dialog.getByRole("button", { name: "Deny" }).click();
  await expect(dialog).toBeHidden();
  expect(await bobsSubscription()).toMatchObject({ state: "DENIED", decisionReason: "Use the aggregated dashboard instead." });

  await page.context().clearCookies();
  await login(page, "bob");
  await page.goto("/subscriptions");
  const mine = page.getByRole("table", { name: "My access" }).getByRole("row", { name: /hr\.employees/ });
  await expect(mine).toContainText("denied");
  await expect(mine).toContainText("Use the aggregated dashboard instead.");
  expect(await queryError("bob", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
});
