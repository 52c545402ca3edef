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

test("the builder warns about a group or attribute nobody has yet (a typo applies to nobody), and not about known ones", async ({ page }) => {
  await login(page, "gwen");
  await page.goto("/policies/new");
  const form = page.getByRole("form", { name: "New policy" });
  await form.getByRole("radio", { name: "Everyone except…" }).check();
  await form.getByLabel("Condition 1: group").fill("hr");
  await expect(form.getByTestId("term-0-warning")).toHaveCount(0);
  await form.getByLabel("Condition 1: group").fill("hrr");
  await expect(form.getByTestId("term-0-warning")).toHaveText("No group “hrr” exists yet: check the spelling.");
  await form.getByLabel("Condition 1: kind").selectOption("attribute");
  await form.getByLabel("Condition 1: attribute key").fill("regoin");
  await expect(form.getByTestId("term-0-warning")).toHaveText("No user has the attribute “regoin” yet: check the spelling.");
  await form.getByLabel("Condition 1: attribute key").fill("region");
  await form.getByLabel("Condition 1: attribute value").fill("APAC");
  await expect(form.getByTestId("term-0-warning")).toHaveText("No user has region=APAC yet.");
  await form.getByLabel("Condition 1: attribute value").fill("EU");
  await expect(form.getByTestId("term-0-warning")).toHaveCount(0);
  await screenshot(page, "gwen-builder-known-values");
});
