import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { queryAs } from "./support/trino";

// Security issue #8, item 6 (and item 5 at the API and in the builder), on real Trino: a GLOBAL policy's SQL may
// read no table but its own data source's. Saved while no data source carries its tag, it may contain no query at
// all; once saved against one data source, applying its tag to another data source (registration) runs it
// through Trino for that one too, and a read of a foreign table refuses the registration with 422 naming it.

test.describe.configure({ mode: "serial" });

const SCHEMA = "e2e_reval";
const TAG = "E2eReval";
const POLICY = "e2e reval: codes on the secret list";
// reads the table of the data source it is first saved for; on any other data source that is a foreign table
const READS_SECRETS = `CASE WHEN {col} IN (SELECT code FROM memory.${SCHEMA}.secrets) THEN 'listed' ELSE {col} END`;

let gwen: APIRequestContext;
let policyId: string | undefined;

async function browseTo(page: Page, catalog: string, schema: string) {
  await page.getByRole("list", { name: "Catalogs" }).getByRole("button", { name: catalog, exact: true }).click();
  await page.getByRole("list", { name: "Schemas" }).getByRole("button", { name: schema, exact: true }).click();
}

/** olivia picks memory.e2e_reval.<table>, tags its column `code`, presses Register; the draft card for checks. */
async function registerThroughUi(page: Page, table: string, codeTags: string) {
  await login(page, "olivia");
  await page.goto("/data-sources/register");
  await browseTo(page, "memory", SCHEMA);
  await page.getByRole("checkbox", { name: table, exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  const card = page.getByTestId(`draft-memory.${SCHEMA}.${table}`);
  await expect(card.getByRole("table", { name: `Columns of memory.${SCHEMA}.${table}` }).getByRole("row")).toHaveCount(3);
  if (codeTags) await card.getByLabel("Tags for column code").fill(codeTags);
  await page.getByRole("button", { name: "Register 1 table" }).click();
  return card;
}

const globalMask = (sqlText: string, name = POLICY) => ({
  name,
  scope: "GLOBAL",
  tag: TAG,
  who: { type: "EVERYONE" },
  action: { type: "MASK", target: { tag: TAG }, mask: { method: "CUSTOM", sql: sqlText } },
});

test.beforeAll(async () => {
  gwen = await apiLogin("gwen");
  await queryAs("steward", `CREATE SCHEMA IF NOT EXISTS memory.${SCHEMA}`);
  for (const t of ["secrets", "plain"]) {
    await queryAs("steward", `DROP TABLE IF EXISTS memory.${SCHEMA}.${t}`);
    await queryAs("steward", `CREATE TABLE memory.${SCHEMA}.${t} AS SELECT BIGINT '1' AS id, 'c-1' AS code`);
  }
});

test.afterAll(async () => {
  if (policyId) await gwen.delete(`/api/policies/${policyId}`);
  const left = await sql(`DELETE FROM "DataSource" WHERE "backingSchema" = $1 RETURNING id`, [SCHEMA]);
  if (left.length) await sql(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`);
  // a write behind the console's back: bump the epoch as the console would, or its snapshot keeps the policy
  if ((await sql(`DELETE FROM "DataPolicy" WHERE name LIKE 'e2e reval%' RETURNING id`)).length) await sql(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`);
  await gwen.dispose();
});

test("a GLOBAL policy on a tag no data source carries may read no table: 422, nothing saved", async () => {
  const res = await gwen.post("/api/policies", { data: globalMask(READS_SECRETS) });
  const text = await res.text();
  expect(res.status(), text).toBe(422);
  expect((JSON.parse(text) as { fieldErrors: Record<string, string[]> }).fieldErrors["action.mask.sql"]!.join(" ")).toMatch(/no active data source carries tag E2eReval yet.*no other table/);
  expect(await sql(`SELECT id FROM "DataPolicy" WHERE name = $1`, [POLICY])).toHaveLength(0);
});

test("saved against the data source whose table it reads, it is accepted; edits carry the version (409 on a stale one)", async ({ page }) => {
  await registerThroughUi(page, "secrets", TAG);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${SCHEMA}.secrets`);
  const res = await gwen.post("/api/policies", { data: globalMask(READS_SECRETS) });
  expect(res.status(), await res.text()).toBe(200);
  const created = (await res.json()) as { id: string; version: number };
  policyId = created.id;
  expect(created.version).toBe(1);

  const edit = await gwen.patch(`/api/policies/${policyId}`, { data: { description: "first", version: 1 } });
  expect(edit.status(), await edit.text()).toBe(200);
  expect(await edit.json()).toMatchObject({ version: 2 });
  const stale = await gwen.patch(`/api/policies/${policyId}`, { data: { description: "second", version: 1 } });
  expect(stale.status()).toBe(409);
  expect(((await stale.json()) as { error: string }).error).toBe("This policy was changed by someone else since you opened it (now version 2). Reload to see their change.");
  const noVersion = await gwen.put(`/api/policies/${policyId}/enabled`, { data: { enabled: false } });
  expect(noVersion.status()).toBe(422);
  const [row] = await sql<{ description: string; version: number; enabled: boolean }>(`SELECT description, version, enabled FROM "DataPolicy" WHERE id = $1`, [policyId]);
  expect(row).toEqual({ description: "first", version: 2, enabled: true });
});

test("the builder shows the 409 when someone else saved since it was opened, and offers a reload", async ({ page }) => {
  await login(page, "gwen");
  await page.goto(`/policies/${policyId}`);
  const form = page.getByRole("form", { name: "Edit policy" });
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue(POLICY);
  const other = await gwen.patch(`/api/policies/${policyId}`, { data: { description: "someone else", version: 2 } });
  expect(other.status(), await other.text()).toBe(200);
  await form.getByLabel("Description (optional)").fill("mine");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("This policy was changed by someone else since you opened it (now version 3). Reload to see their change.")).toBeVisible();
  await screenshot(page, "policy-builder-stale-version");
  await page.getByRole("button", { name: "Reload the policy" }).click();
  await expect(form.getByLabel("Description (optional)")).toHaveValue("someone else");
  const [row] = await sql<{ description: string }>(`SELECT description FROM "DataPolicy" WHERE id = $1`, [policyId]);
  expect(row!.description).toBe("someone else");
});

test("registering another table with the tag is refused with 422 naming the policy and the foreign table; nothing registered", async ({ page }) => {
  const before = await sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'datasource.register'`);
  const card = await registerThroughUi(page, "plain", TAG);
  const message = card.getByText(`Tag ${TAG} carries the global policy "${POLICY}", which does not fit ${SCHEMA}.plain`).first();
  await expect(message).toBeVisible();
  await expect(card).toContainText(`reads memory.${SCHEMA}.secrets`);
  await screenshot(page, "register-refused-global-policy");
  expect(await sql(`SELECT id FROM "DataSource" WHERE "backingSchema" = $1 AND "backingTable" = 'plain'`, [SCHEMA])).toHaveLength(0);
  const after = await sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'datasource.register'`);
  expect(after[0]!.n).toBe(before[0]!.n);

  // without the tag it registers, and the policy does not reach it
  await card.getByLabel("Tags for column code").fill("");
  await page.getByRole("button", { name: "Register 1 table" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${SCHEMA}.plain`);
});
