import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs } from "./support/trino";

// Disabling a policy keeps it saved but lifts it at the very next query; enabling restores it.
test.describe.configure({ mode: "serial" });

const POLICY = "Hide SSNs outside HR";
const ssnsOfAlice = async () => asObjects(await queryAs("alice", "SELECT ssn FROM governed.hr.employees LIMIT 20")).map((r) => r.ssn);

test("gwen disables and re-enables a mask from the list; alice's next queries follow", async ({ page }) => {
  expect((await ssnsOfAlice()).every((s) => s === null)).toBe(true);
  await login(page, "gwen");
  await page.goto("/policies");
  await page.getByRole("button", { name: `Disable policy ${POLICY}` }).click();
  const row = page.getByRole("row").filter({ hasText: POLICY });
  await expect(row.getByText("disabled", { exact: true })).toBeVisible();
  await screenshot(page, "gwen-policy-disabled");
  try {
    const [stored] = await sql<{ enabled: boolean }>(`SELECT enabled FROM "DataPolicy" WHERE name = $1`, [POLICY]);
    expect(stored.enabled).toBe(false);
    expect((await ssnsOfAlice()).every((s) => typeof s === "string" && /^\d{3}-\d{2}-\d{4}$/.test(s))).toBe(true);
    const [audit] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE action = 'policy.disable'`);
    expect(Number(audit.n)).toBeGreaterThan(0);
  } finally {
    await page.getByRole("button", { name: `Enable policy ${POLICY}` }).click();
    await expect(row.getByText("disabled", { exact: true })).toHaveCount(0);
  }
  expect((await ssnsOfAlice()).every((s) => s === null)).toBe(true);
});

test("alice cannot disable a policy (403) and nothing changes", async ({ page }) => {
  const [policy] = await sql<{ id: string }>(`SELECT id FROM "DataPolicy" WHERE name = $1`, [POLICY]);
  const [{ value: before }] = await sql<{ value: number }>(`SELECT value FROM "Epoch" WHERE id = 1`);
  await login(page, "alice");
  const res = await page.request.put(`/api/policies/${policy.id}/enabled`, { data: { enabled: false } });
  expect(res.status()).toBe(403);
  const [stored] = await sql<{ enabled: boolean }>(`SELECT enabled FROM "DataPolicy" WHERE id = $1`, [policy.id]);
  expect(stored.enabled).toBe(true);
  const [{ value: after }] = await sql<{ value: number }>(`SELECT value FROM "Epoch" WHERE id = 1`);
  expect(after).toBe(before);
});
