import { expect, test, type Page } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs } from "./support/trino";

// Tags are editable after registration (issue 10.5), and applying a tag re-validates the GLOBAL policies it
// brings (issue 8.6): the owner re-tags hr.employees in the browser and alice's very next Trino query follows.

test.describe.configure({ mode: "serial" });
const VIEW = "governed.hr.employees";

/** The tag editor of hr.employees, as olivia (signed in once per page). */
async function openEditor(page: Page) {
  const [{ id }] = (await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`)) as [{ id: string }];
  if (!(await page.getByTestId("current-user").isVisible().catch(() => false))) await login(page, "olivia");
  await page.goto(`/data-sources/${id}`);
  await page.getByRole("button", { name: "Edit tags" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Tags of hr.employees");
  return dialog;
}

test("olivia tags the name column PII.Email: alice's next query redacts names; removing the tag shows them again", async ({ page }) => {
  const names = async () => asObjects(await queryAs("alice", `SELECT name FROM ${VIEW} ORDER BY id LIMIT 5`)).map((r) => String(r.name));
  const plain = await names();
  expect(plain.every((n) => /[A-Za-z]/.test(n))).toBe(true);

  let dialog = await openEditor(page);
  const nameTags = dialog.locator("#col-tags-name");
  await nameTags.fill("PII.Email");
  await nameTags.press("Enter");
  await screenshot(page, "olivia-tags-editor");
  await dialog.getByRole("button", { name: "Save tags" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Columns" }).getByRole("row", { name: /^\d+ name varchar/ })).toContainText("PII.Email");

  // the global "Redact e-mail addresses" (PII.Email, everyone but hr) now masks alice's names
  const redacted = await names();
  expect(redacted).toHaveLength(plain.length);
  for (const [i, n] of redacted.entries()) expect(n).toBe(plain[i]!.replace(/[A-Z]/g, "X").replace(/[a-z]/g, "x").replace(/[0-9]/g, "0"));
  const [event] = await sql<{ details: Record<string, unknown> }>(`SELECT details FROM "AuditEvent" WHERE action = 'datasource.tags' ORDER BY "createdAt" DESC LIMIT 1`);
  expect(event!.details).toMatchObject({ view: "hr.employees", columns: { name: { before: ["PII.Name"], after: ["PII.Email", "PII.Name"] } } });

  dialog = await openEditor(page);
  await dialog.getByRole("button", { name: "Remove tag of name PII.Email" }).click();
  await dialog.getByRole("button", { name: "Save tags" }).click();
  await expect(dialog).toBeHidden();
  expect(await names()).toEqual(plain);
});

test("a tag whose GLOBAL policy does not fit the column is refused in the dialog, naming the policy; nothing changes", async ({ page }) => {
  const gwen = await apiLogin("gwen");
  const created = await gwen.post("/api/policies", {
    data: {
      name: "e2e: add one to what carries E2E.Numeric",
      scope: "GLOBAL",
      tag: "E2E.Numeric",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { tag: "E2E.Numeric" }, mask: { method: "CUSTOM", sql: "{col} + 1" } },
    },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  try {
    const before = await sql(`SELECT c.name, t.name AS tag FROM "ColumnTag" ct JOIN "DataSourceColumn" c ON c.id = ct."columnId" JOIN "Tag" t ON t.id = ct."tagId" ORDER BY 1, 2`);
    const dialog = await openEditor(page);
    const nameTags = dialog.locator("#col-tags-name");
    await nameTags.fill("E2E.Numeric");
    await nameTags.press("Enter");
    await dialog.getByRole("button", { name: "Save tags" }).click();
    await expect(dialog.getByRole("alert").first()).toContainText('Tag E2E.Numeric carries the global policy "e2e: add one to what carries E2E.Numeric", which does not fit hr.employees');
    await screenshot(page, "olivia-tags-refused");
    await expect(dialog).toBeVisible();
    expect(await sql(`SELECT c.name, t.name AS tag FROM "ColumnTag" ct JOIN "DataSourceColumn" c ON c.id = ct."columnId" JOIN "Tag" t ON t.id = ct."tagId" ORDER BY 1, 2`)).toEqual(before);
  } finally {
    expect((await gwen.delete(`/api/policies/${id}`)).status()).toBe(200);
    await gwen.dispose();
  }
});
