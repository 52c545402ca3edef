import { expect, test } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { queryAs, queryError } from "./support/trino";

// Project-scoped data sources (issue 10.3): a project holds data sources; a user working in a project (their
// current project, or SET SESSION governed.project) sees only those in real Trino. The demo project
// fraud-analytics holds hr.employees; alice is a member and subscribed to it.

test.describe.configure({ mode: "serial" });
const PROJECT = "fraud-analytics";
const inProject = { session: { "governed.project": PROJECT } };
const tables = async (opts = {}) => (await queryAs("alice", "SHOW TABLES FROM governed.hr", opts)).rows.flat();

test("switching project changes what Trino returns to alice: session project, current project, the project's data sources", async ({ page }) => {
  const [{ id: projectId }] = (await sql<{ id: string }>(`SELECT id FROM "Project" WHERE name = $1`, [PROJECT])) as [{ id: string }];
  const alice = await apiLogin("alice");
  try {
    // no project: every subscribed data source; in the project that holds hr.employees: it too
    expect(await tables()).toContain("employees");
    expect(await tables(inProject)).toEqual(["employees"]);

    // the admin takes hr.employees out of the project, in the browser
    await login(page, "admin");
    await page.goto(`/projects/${projectId}`);
    const held = page.getByRole("table", { name: "Data sources of the project" });
    await expect(held).toContainText("hr.employees");
    await page.getByRole("button", { name: `Remove hr.employees from ${PROJECT}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove data source" }).click();
    await expect(page.getByText("No data sources yet: members working in this project see nothing.")).toBeVisible();

    // working in the project, alice sees nothing now; without a project she still does
    expect(await queryError("alice", "SHOW TABLES FROM governed.hr", inProject)).toMatch(/Schema 'hr' does not exist/);
    expect(await tables()).toContain("employees");
    // her current project counts too (no session project named)
    expect((await alice.put("/api/me/current-project", { data: { projectId } })).status()).toBe(200);
    expect(await queryError("alice", "SELECT count(*) FROM governed.hr.employees")).toMatch(/does not exist/);

    // the admin puts it back: alice's next query sees it again, in her current project
    await page.getByLabel("Data source", { exact: true }).selectOption({ label: "hr.employees" });
    await page.getByRole("button", { name: "Add to project" }).click();
    await expect(held).toContainText("hr.employees");
    await screenshot(page, "admin-project-data-sources");
    expect(await tables()).toEqual(["employees"]);
    expect(Number((await queryAs("alice", "SELECT count(*) FROM governed.hr.employees")).rows[0]![0])).toBeGreaterThan(0);

    // a project she is not a member of holds nothing for her
    expect(await queryError("alice", "SHOW TABLES FROM governed.hr", { session: { "governed.project": "someone-elses" } })).toMatch(/Schema 'hr' does not exist/);
    const audit = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "targetId" = $1 AND action LIKE 'project.datasource%' ORDER BY "createdAt" DESC LIMIT 2`, [projectId]);
    expect(audit.map((a) => a.action)).toEqual(["project.datasource_add", "project.datasource_remove"]);
  } finally {
    expect((await alice.put("/api/me/current-project", { data: { projectId: null } })).status()).toBe(200);
    await alice.dispose();
  }
  expect(await tables()).toContain("employees");
});
