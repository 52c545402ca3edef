import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { asObjects, queryAs } from "./support/trino";

// Admin manages people in the console; the change reaches Trino on the user's very next query.
const VIEW = "governed.hr.employees";
const suffix = Date.now().toString(36);

async function regionsOf(user: string): Promise<string[]> {
  const rows = asObjects(await queryAs(user, `SELECT DISTINCT region FROM ${VIEW}`));
  return rows.map((r) => String(r.region)).sort();
}

async function userId(username: string): Promise<string> {
  const [row] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE username = $1`, [username]);
  return row.id;
}

async function openUser(page: Page, username: string) {
  await page.goto("/people");
  await page.getByRole("link", { name: `Edit ${username}` }).click();
  await expect(page.getByRole("heading", { name: username, level: 1 })).toBeVisible();
}

test("admin creates a group and a user with an attribute and the group; the new user signs in", async ({ page, browser }) => {
  const group = `e2e-team-${suffix}`;
  const typed = `Dana.${suffix}`;
  const username = typed.toLowerCase();
  const password = "dana-e2e-password";

  await login(page, "admin");
  await page.goto("/people");
  await expect(page.getByRole("table", { name: "Users" })).toContainText("alice");

  // A group first, from the People page.
  const groupForm = page.getByRole("form", { name: "New group" });
  await groupForm.getByLabel("Group name").fill("has space");
  await groupForm.getByRole("button", { name: "Create group" }).click();
  await expect(groupForm.locator("#group-name-error")).toContainText("Use letters, digits");
  await groupForm.getByLabel("Group name").fill(group);
  await groupForm.getByLabel("Description").fill("Created by the e2e journey");
  await groupForm.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("link", { name: group })).toBeVisible();
  await groupForm.getByLabel("Group name").fill(group.toUpperCase());
  await groupForm.getByRole("button", { name: "Create group" }).click();
  await expect(groupForm.getByRole("alert")).toContainText("already exists");
  await screenshot(page, "admin-people");

  // The user, with a mixed-case name that is stored lower-case.
  await page.getByRole("link", { name: "New user" }).click();
  const form = page.getByRole("form", { name: "New user" });
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.locator("#username-error")).toBeVisible();
  await expect(form.locator("#password-error")).toContainText("At least 8 characters");
  await form.getByLabel("Username").fill(typed);
  await form.getByLabel("Display name").fill("Dana E2E");
  await form.getByLabel("Password").fill(password);
  await form.getByRole("checkbox", { name: group }).check();
  await form.getByRole("button", { name: "Add attribute" }).click();
  await form.getByLabel("Attribute 1 key").fill("region");
  await form.getByLabel("Attribute 1 value").fill("EU");
  await screenshot(page, "admin-new-user-form");
  await form.getByRole("button", { name: "Create user" }).click();

  await expect(page).toHaveURL(/\/people\?created=/);
  await expect(page.getByRole("main").getByRole("status")).toContainText(`User ${username} created`);
  const row = page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: username });
  await expect(row).toContainText(group);
  await expect(row).toContainText("region=EU");
  await screenshot(page, "admin-user-created");

  const [stored] = await sql<{ username: string; attrs: string; groups: string }>(
    `SELECT u.username,
            (SELECT string_agg(a.key || '=' || a.value, ',') FROM "UserAttribute" a WHERE a."userId" = u.id) AS attrs,
            (SELECT string_agg(g.name, ',') FROM "GroupMember" m JOIN "Group" g ON g.id = m."groupId" WHERE m."userId" = u.id) AS groups
       FROM "User" u WHERE lower(u.username) = lower($1)`,
    [typed],
  );
  expect(stored).toEqual({ username, attrs: "region=EU", groups: group });

  // The same name again, in another case: 409, shown inline.
  await page.goto("/people/new");
  await page.getByLabel("Username").fill(username.toUpperCase());
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("form", { name: "New user" }).getByRole("alert")).toContainText(`A user named '${username}' already exists`);
  await screenshot(page, "admin-new-user-conflict");

  // The new user signs in, in a browser of their own.
  const dana = await browser.newContext();
  const danaPage = await dana.newPage();
  await danaPage.goto("/login");
  await danaPage.getByLabel("Username").fill(typed);
  await danaPage.getByLabel("Password").fill(password);
  await danaPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(danaPage.getByTestId("current-user")).toHaveText(username);
  await expect(danaPage.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Data sources", "Subscriptions", "Projects"]);
  await screenshot(danaPage, "new-user-signed-in");

  // Group page: remove the member behind a confirmation, then delete the group.
  await page.goto("/people");
  await page.getByRole("link", { name: group, exact: true }).click();
  await expect(page.getByRole("heading", { name: `Group ${group}` })).toBeVisible();
  await page.getByRole("button", { name: `Remove ${username} from ${group}` }).click();
  const dialog = page.getByRole("dialog", { name: `Remove ${username} from ${group}?` });
  await expect(dialog).toBeVisible();
  await screenshot(page, "admin-group-remove-confirm", { fullPage: false });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Members" })).toContainText(username);
  await page.getByRole("button", { name: `Remove ${username} from ${group}` }).click();
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("No members yet.")).toBeVisible();
  await page.getByLabel("Add a member").selectOption(username);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("table", { name: "Members" })).toContainText(username);
  await page.getByRole("button", { name: "Delete group" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete group" }).click();
  await expect(page).toHaveURL(/\/people$/);
  await expect(page.getByRole("table", { name: "Groups" })).not.toContainText(group);

  // Disabling the user ends their session and their sign-in.
  await openUser(page, username);
  await page.getByRole("button", { name: "Disable user" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("main").getByText("disabled", { exact: true })).toBeVisible();
  await danaPage.goto("/data-sources");
  await expect(danaPage).toHaveURL(/\/login/);
  await danaPage.getByLabel("Username").fill(username);
  await danaPage.getByLabel("Password").fill(password);
  await danaPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(danaPage.locator("#login-error")).toHaveText("Wrong username or password.");
  await dana.close();

  const actions = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "actorName" = 'admin' AND (details->>'username' = $1 OR details->>'name' = $2 OR details->>'group' = $2) ORDER BY "createdAt"`, [username, group]);
  expect(actions.map((a) => a.action)).toEqual(["group.create", "user.create", "group.member_remove", "group.member_add", "group.delete", "user.disable"]);
});

test("admin adds region=US to alice: her next Trino query returns EU and US rows; then it is restored", async ({ page }) => {
  expect(await regionsOf("alice")).toEqual(["EU"]);
  await login(page, "admin");
  const aliceId = await userId("alice");
  try {
    await openUser(page, "alice");
    const form = page.getByRole("form", { name: "Edit user" });
    await expect(form.getByLabel("Attribute 1 value")).toHaveValue("EU");
    await form.getByRole("button", { name: "Add attribute" }).click();
    await expect(form.getByLabel("Attribute 2 key")).toHaveValue("region");
    await expect(form.getByLabel("Attribute 2 value")).toBeFocused();
    await page.keyboard.type("US");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByRole("status")).toContainText("Saved");
    await screenshot(page, "admin-alice-region-us");

    expect(await regionsOf("alice")).toEqual(["EU", "US"]);

    await form.getByRole("button", { name: "Remove attribute region=US" }).click();
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByRole("status")).toContainText("Saved");
    expect(await regionsOf("alice")).toEqual(["EU"]);
  } finally {
    // Whatever happened above, alice leaves with region=EU only.
    const res = await page.request.patch(`/api/users/${aliceId}`, { data: { attributes: [{ key: "region", value: "EU" }] } });
    expect(res.status(), await res.text()).toBe(200);
  }
  const changes = await sql<{ details: { changes: { attributes?: { to: string[] } } } }>(
    `SELECT details FROM "AuditEvent" WHERE action = 'user.update' AND "targetId" = $1 ORDER BY "createdAt"`,
    [aliceId],
  );
  expect(changes.map((c) => c.details.changes.attributes?.to).filter(Boolean)).toEqual([["region=EU", "region=US"], ["region=EU"]]);
});
