import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";

// Admin creates a project with purposes and members; a member switches to it and acknowledges its purpose.
const suffix = Date.now().toString(36);
const project = `e2e-proj-${suffix}`;
const purpose = `e2e-purpose-${suffix}`;
const statement = "I will use this data only for the end-to-end test.";

async function epoch(): Promise<number> {
  const [row] = await sql<{ value: number }>(`SELECT value FROM "Epoch" WHERE id = 1`);
  return row.value;
}

test("admin creates a project; bob switches to it and acknowledges its purpose; alice, not a member, cannot switch", async ({ page, browser }) => {
  await login(page, "admin");
  await page.goto("/projects");
  await page.getByRole("link", { name: "New project" }).click();
  const form = page.getByRole("form", { name: "New project" });
  await form.getByLabel("Project name").fill("Not Valid");
  await form.getByLabel("Purpose name").fill(purpose);
  await form.getByLabel("Statement members acknowledge").fill("short");
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(form.locator("#name-error")).toContainText("lower-case");
  await expect(form.locator("#purpose-0-statement-error")).toContainText("at least 10 characters");

  await form.getByLabel("Project name").fill(project);
  await form.getByLabel("Description").fill("Created by the e2e journey");
  await form.getByLabel("Statement members acknowledge").fill(statement);
  await form.getByRole("checkbox", { name: "bob" }).check();
  await screenshot(page, "admin-new-project-form");
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: project, level: 1 })).toBeVisible();
  const [{ id: projectId }] = await sql<{ id: string }>(`SELECT id FROM "Project" WHERE name = $1`, [project]);

  // A second purpose, added then removed behind a confirmation.
  const extra = `${purpose}-extra`;
  const add = page.getByRole("form", { name: "Add purpose" });
  await add.getByLabel("Purpose name").fill(extra);
  await add.getByLabel("Statement members acknowledge").fill("A second statement for the test.");
  await add.getByRole("button", { name: "Add purpose" }).click();
  await expect(page.getByRole("table", { name: "Purposes" })).toContainText(extra);
  await screenshot(page, "admin-manage-project");
  await page.getByRole("button", { name: `Remove purpose ${extra}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove purpose" }).click();
  await expect(page.getByRole("table", { name: "Purposes" })).not.toContainText(extra);

  // bob: a member. He switches to the project and acknowledges its purpose.
  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await login(bob, "bob");
  await bob.goto("/projects");
  const card = bob.getByRole("listitem").filter({ has: bob.getByRole("heading", { name: project }) });
  await expect(card.getByRole("blockquote")).toHaveText(statement);
  const before = await epoch();
  await bob.getByLabel("Current project", { exact: true }).selectOption({ label: project });
  await bob.getByRole("button", { name: "Switch" }).click();
  await expect(card.getByText("current", { exact: true })).toBeVisible();
  await expect(bob.getByTestId("active-purposes")).toContainText("none");
  await card.getByRole("button", { name: `Acknowledge the purpose ${purpose}` }).click();
  await expect(card.getByText(/^Acknowledged/)).toBeVisible();
  await expect(bob.getByTestId("active-purposes")).toContainText(purpose);
  expect(await epoch()).toBeGreaterThanOrEqual(before + 2);
  await screenshot(bob, "bob-projects-acknowledged");
  const [bobRow] = await sql<{ currentProjectId: string; acks: string }>(
    `SELECT u."currentProjectId", (SELECT count(*)::text FROM "PurposeAcknowledgement" a JOIN "Purpose" p ON p.id = a."purposeId" WHERE a."userId" = u.id AND p.name = $1) AS acks
       FROM "User" u WHERE username = 'bob'`,
    [purpose],
  );
  expect(bobRow).toEqual({ currentProjectId: projectId, acks: "1" });

  // alice is not a member: no acknowledge button, and switching directly is refused with nothing changed.
  const aliceContext = await browser.newContext();
  const alice = await aliceContext.newPage();
  await login(alice, "alice");
  await alice.goto("/projects");
  const aliceCard = alice.getByRole("listitem").filter({ has: alice.getByRole("heading", { name: project }) });
  await expect(aliceCard).toBeVisible();
  await expect(aliceCard.getByRole("button")).toHaveCount(0);
  const [aliceBefore] = await sql<{ currentProjectId: string | null }>(`SELECT "currentProjectId" FROM "User" WHERE username = 'alice'`);
  const epochBefore = await epoch();
  const res = await alice.request.put("/api/me/current-project", { data: { projectId } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error).toContain(`not a member of ${project}`);
  const [aliceAfter] = await sql<{ currentProjectId: string | null }>(`SELECT "currentProjectId" FROM "User" WHERE username = 'alice'`);
  expect(aliceAfter).toEqual(aliceBefore);
  expect(await epoch()).toBe(epochBefore);
  await aliceContext.close();

  // Deleting the project (confirmed) leaves bob without a current project.
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "Delete project" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete project" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("heading", { name: project })).toHaveCount(0);
  const [bobAfter] = await sql<{ currentProjectId: string | null }>(`SELECT "currentProjectId" FROM "User" WHERE username = 'bob'`);
  expect(bobAfter.currentProjectId).toBeNull();
  await bob.goto("/projects");
  await expect(bob.getByLabel("Current project", { exact: true })).toHaveValue("");
  await bobContext.close();
});
