import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";

// Governor safety (issue 10.5): a policy name tells policies apart in lists, conflicts and the audit, so a name
// is taken once, ignoring case; the builder says so at the name field and saves nothing.

test("gwen cannot save a second policy under a taken name (any case): the name field says so, nothing is saved", async ({ page }) => {
  const [{ name: taken }] = (await sql<{ name: string }>(`SELECT name FROM "DataPolicy" WHERE name = 'Hide SSNs outside HR'`)) as [{ name: string }];
  const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "DataPolicy"`);
  await login(page, "gwen");
  await page.goto("/policies/new");
  const form = page.getByRole("form", { name: "New policy" });
  await form.getByLabel("Name", { exact: true }).fill(taken.toUpperCase());
  await form.getByLabel("Data source", { exact: true }).selectOption({ label: "hr.employees" });
  await form.getByRole("checkbox", { name: /^phone/ }).check();
  await form.getByLabel("Mask method").selectOption("NULL");
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(form.locator("#name-error, [id$='name-error']").first()).toContainText("This name is taken.");
  await expect(page.getByRole("alert").filter({ hasText: "already exists" }).first()).toContainText(`A policy named “${taken}” already exists: choose another name.`);
  await expect(page.getByRole("button", { name: "Reload the policy" })).toHaveCount(0);
  await screenshot(page, "gwen-policy-name-taken");
  expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "DataPolicy"`)).toEqual(before);
});
