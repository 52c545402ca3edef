import { expect, test } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";

// A readable audit for auditors (issue 10.2): entries in words with links to the user, data source and policy;
// policy changes with before and after; approvals saying who got what; auditors read policies, never write them.

test("audrey reads who got what and how a policy changed, follows the links, and reads the policy without changing it", async ({ page }) => {
  const suffix = Date.now().toString(36);
  const username = `audit-${suffix}`;
  const policyName = `e2e audit words ${suffix}`;
  const [{ id: dsId }] = (await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`)) as [{ id: string }];

  const admin = await apiLogin("admin");
  expect((await admin.post("/api/users", { data: { username, password: "audit-password-1" } })).status()).toBe(200);
  const requester = await apiLogin(username, "audit-password-1");
  const asked = await requester.post("/api/subscriptions", { data: { dataSourceId: dsId, reason: "quarterly report" } });
  expect(asked.status(), await asked.text()).toBe(200);
  const { id: subId } = (await asked.json()) as { id: string };
  const olivia = await apiLogin("olivia");
  expect((await olivia.post(`/api/subscriptions/${subId}/approve`, { data: { reason: "fine for Q4" } })).status()).toBe(200);

  const gwen = await apiLogin("gwen");
  const created = await gwen.post("/api/policies", {
    data: { name: policyName, scope: "LOCAL", dataSourceId: dsId, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["phone"] }, mask: { method: "NULL" } } },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { id: policyId, version } = (await created.json()) as { id: string; version: number };
  const changed = await gwen.patch(`/api/policies/${policyId}`, {
    data: { version, name: `${policyName} v2`, action: { type: "MASK", target: { columns: ["phone"] }, mask: { method: "SHOW_LAST", n: 4 } } },
  });
  expect(changed.status(), await changed.text()).toBe(200);

  try {
    await login(page, "audrey");
    await page.goto(`/audit?actor=olivia&action=subscription.approve`);
    const approval = page.getByTestId("audit-sentence").filter({ hasText: username }).first();
    await expect(approval).toHaveText(new RegExp(`^olivia approved: ${username} gets hr\\.employees — “fine for Q4”$`));
    await screenshot(page, "audrey-audit-approval-in-words");
    await approval.getByRole("link", { name: "hr.employees" }).click();
    await expect(page).toHaveURL(new RegExp(`/data-sources/${dsId}$`));

    await page.goto(`/audit?actor=gwen&action=policy.update`);
    const update = page.getByTestId("audit-sentence").filter({ hasText: `${policyName} v2` }).first();
    await expect(update).toContainText(`gwen changed policy “${policyName} v2” (now version 2)`);
    const diff = update.getByRole("definition");
    await expect(diff.first()).toContainText("mask phone with NULL for everyone → mask phone with SHOW_LAST 4 for everyone");
    await expect(update).toContainText(`${policyName} → ${policyName} v2`);
    await screenshot(page, "audrey-audit-policy-diff");

    // the policy, read-only: no save, no delete, no live compile of users' views
    await update.getByRole("link", { name: `“${policyName} v2”` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${policyName} v2`);
    await expect(page.getByRole("form", { name: "Edit policy" }).getByLabel("Name", { exact: true })).toBeDisabled();
    await expect(page.getByRole("button", { name: /Save|Delete/ })).toHaveCount(0);
    await expect(page.getByTestId("compiled-panel")).toHaveCount(0);
    await screenshot(page, "audrey-policy-read-only");
    // and the list, without the buttons that write
    await page.goto("/policies");
    await expect(page.getByRole("link", { name: `View policy ${policyName} v2` })).toBeVisible();
    await expect(page.getByRole("link", { name: "New policy" })).toHaveCount(0);

    // reading is not writing: the API refuses her change
    const audrey = await apiLogin("audrey");
    expect((await audrey.get("/api/policies")).status()).toBe(200);
    expect((await audrey.patch(`/api/policies/${policyId}`, { data: { version: 2, name: "audrey was here" } })).status()).toBe(403);
    expect((await audrey.delete(`/api/policies/${policyId}`)).status()).toBe(403);
    await audrey.dispose();
  } finally {
    expect((await gwen.delete(`/api/policies/${policyId}`)).status()).toBe(200);
    expect((await olivia.post(`/api/subscriptions/${subId}/revoke`, { data: {} })).status()).toBe(200);
    await Promise.all([admin, requester, olivia, gwen].map((c) => c.dispose()));
  }
});
