import { expect, test } from "@playwright/test";
import { sql } from "./support/db";

// A real OpenID Connect provider (e2e/support/oidc-provider.mjs) signs olga in; Steward creates her
// with the groups of the `groups` claim and a lower-cased username.
test("a user signs in with single sign-on and gets the groups of the IdP's claim", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await page.locator('input[name="login"]').fill("olga");
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("olga");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Data sources", "Subscriptions", "Projects"]);
  await page.screenshot({ path: `${process.env.STEWARD_RESULTS_DIR ?? "test-results"}/screenshots/sso-olga.png` });
  const groups = await sql<{ name: string }>(
    `SELECT g.name FROM "GroupMember" m JOIN "Group" g ON g.id = m."groupId" JOIN "User" u ON u.id = m."userId" WHERE u.username = 'olga' ORDER BY g.name`,
  );
  expect(groups.map((g) => g.name)).toEqual(["analysts", "sso-users"]);
  const [audit] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE action = 'user.oidc_sync'`);
  expect(Number(audit.n)).toBeGreaterThan(0);
});

test("an account the IdP does not know cannot sign in", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await page.locator('input[name="login"]').fill("nobody");
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  expect(await sql(`SELECT id FROM "User" WHERE username = 'nobody'`)).toHaveLength(0);
});
