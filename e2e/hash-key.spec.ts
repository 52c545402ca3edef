import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { login } from "./support/session";
import { GOVERNED, queryAs, queryError } from "./support/trino";
import { hmacHex, queryTyped } from "./support/trino-typed";

// HASH key secrecy (policy-model.md: "the key is per installation and never shown to users"): the view reads the
// key from the connector's table governed.steward_internal.hash_key, which only the service user may read; the
// key is in no SQL or metadata alice can read, and hashes still join and group consistently.

test.describe.configure({ mode: "serial" });

const VIEW = `${GOVERNED}.hr.employees`;
let gwen: APIRequestContext;
let policyId: string;
let key: string;

test.beforeAll(async () => {
  gwen = await apiLogin("gwen");
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
  [{ hashKey: key }] = (await sql<{ hashKey: string }>(`SELECT "hashKey" FROM "Integration" WHERE id = 1`)) as [{ hashKey: string }];
  expect(key.length).toBeGreaterThan(16);
  const res = await gwen.post("/api/policies", {
    data: {
      name: "e2e: hash e-mails and names",
      scope: "LOCAL",
      dataSourceId: ds!.id,
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["email", "name"] }, mask: { method: "HASH" } },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  policyId = ((await res.json()) as { id: string }).id;
});

test.afterAll(async () => {
  if (policyId) expect((await gwen.delete(`/api/policies/${policyId}`)).status()).toBe(200);
  await gwen?.dispose();
});

/** the key in any spelling a leak could take: as is, hex of its UTF-8 (a varbinary literal), base64 */
const spellings = () => [key, Buffer.from(key, "utf8").toString("hex"), Buffer.from(key, "utf8").toString("hex").toUpperCase(), Buffer.from(key).toString("base64")];
const expectNoKey = (what: string, text: string) => {
  for (const s of spellings()) expect(text.includes(s), `${what} contains the key`).toBe(false);
};

test("alice's HASH values are the keyed SHA-256 of the value", async () => {
  const got = await queryTyped("alice", `SELECT id, email, name FROM ${VIEW} ORDER BY id LIMIT 20`);
  const ids = got.rows.map((r) => Number(r[0]));
  const raw = await queryTyped("steward", `SELECT id, email, name FROM memory.hr.employees WHERE id IN (${ids.join(", ")}) ORDER BY id`);
  expect(got.rows).toEqual(raw.rows.map(([id, email, name]) => [id, hmacHex(key, String(email)), hmacHex(key, String(name))]));
});

test("the key is in nothing alice can read: view SQL, column metadata, EXPLAIN, her query history, error messages", async () => {
  const views = await queryAs("alice", `SELECT table_schema, table_name, view_definition FROM ${GOVERNED}.information_schema.views`);
  expect(views.rows.length).toBeGreaterThan(0);
  const definition = views.rows.map((r) => String(r[2])).join("\n");
  expect(definition).toContain("hmac_sha256");
  expect(definition).toContain("steward_internal");
  expectNoKey("information_schema.views", definition);

  for (const q of [
    `SELECT * FROM ${GOVERNED}.information_schema.columns`,
    `SELECT * FROM ${GOVERNED}.information_schema.tables`,
    `SELECT * FROM ${GOVERNED}.information_schema.schemata`,
    `SHOW SCHEMAS FROM ${GOVERNED}`,
    `DESCRIBE ${VIEW}`,
    `SELECT * FROM system.metadata.table_comments WHERE catalog_name = '${GOVERNED}'`,
    `EXPLAIN SELECT email, name FROM ${VIEW}`,
    `EXPLAIN (TYPE DISTRIBUTED) SELECT count(DISTINCT email) FROM ${VIEW}`,
    `EXPLAIN ANALYZE SELECT count(DISTINCT email) FROM ${VIEW}`,
  ]) {
    const text = JSON.stringify((await queryAs("alice", q)).rows);
    expectNoKey(q, text);
    if (q.includes("information_schema") || q.startsWith("SHOW")) expect(text, `${q} lists the internal schema`).not.toContain("steward_internal");
  }
  // her own query history holds her SQL, not the view's
  const history = await queryAs("alice", `SELECT query FROM system.runtime.queries`);
  expectNoKey("system.runtime.queries", JSON.stringify(history.rows));

  // the key table itself: denied to alice, in any spelling, and the refusal does not carry the key
  for (const q of [
    `SELECT * FROM ${GOVERNED}.steward_internal.hash_key`,
    `SELECT * FROM ${GOVERNED}."steward_internal"."hash_key"`,
    `SHOW COLUMNS FROM ${GOVERNED}.steward_internal.hash_key`,
  ]) {
    const message = await queryError("alice", q);
    expect(message, q).toMatch(/Access Denied|does not exist/);
    expectNoKey(q, message);
  }
  // SHOW CREATE VIEW stays denied (file-based rules: OWNERSHIP only)
  expect(await queryError("alice", `SHOW CREATE VIEW ${VIEW}`)).toMatch(/Access Denied/);
});

test("HASH values join and group consistently, across queries and across users", async () => {
  const groups = await queryTyped("alice", `SELECT email, count(*) FROM ${VIEW} GROUP BY email HAVING count(*) > 1`);
  expect(groups.rows).toEqual([]); // e-mails are distinct, so are their hashes
  const self = await queryTyped("alice", `SELECT count(*) FROM ${VIEW} a JOIN ${VIEW} b ON a.email = b.email`);
  const all = await queryTyped("alice", `SELECT count(*) FROM ${VIEW}`);
  expect(self.rows[0]![0]).toBe(all.rows[0]![0]);
  // carol (all regions) and alice (EU) get the same hash for the same row
  const a = await queryTyped("alice", `SELECT id, email FROM ${VIEW} ORDER BY id LIMIT 50`);
  const ids = a.rows.map((r) => Number(r[0]));
  const c = await queryTyped("carol", `SELECT id, email FROM ${VIEW} WHERE id IN (${ids.join(", ")}) ORDER BY id`);
  expect(c.rows).toEqual(a.rows);
  // equal inputs, equal outputs: as many distinct hashes as distinct names
  const hashed = await queryTyped("carol", `SELECT count(DISTINCT name) FROM ${VIEW}`);
  const raw = await queryTyped("steward", `SELECT count(DISTINCT name) FROM memory.hr.employees`);
  expect(hashed.rows).toEqual(raw.rows);
});

test("View as a hypothetical user runs the view with the key read from the key table: no key in Trino's query history", async ({ page }) => {
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
  await login(page, "gwen");
  await page.goto(`/policies/preview?ds=${ds!.id}`);
  await page.getByRole("radio", { name: "A hypothetical user" }).check();
  await page.getByLabel("Attributes").fill("region=EU"); // the region filter leaves rows for an EU user
  await page.getByLabel("Attributes").press("Enter");
  await page.getByRole("button", { name: "Preview" }).click();
  const result = page.getByTestId("preview-result");
  await expect(result.getByTestId("sample-source")).toContainText("ran as the service user steward");
  // the sample is hashed with the real key (the same values alice gets), not with a placeholder
  const sample = result.getByRole("table", { name: "Sample rows" });
  await expect(sample.locator("tbody tr").first()).toBeVisible();
  const headers = await sample.locator("thead th").allTextContents();
  const emails = await sample.locator(`tbody tr td:nth-child(${headers.indexOf("email") + 1})`).allTextContents();
  expect(emails.length).toBeGreaterThan(0);
  const raw = await queryTyped("steward", `SELECT email FROM memory.hr.employees`);
  const real = new Set(raw.rows.map((r) => hmacHex(key, String(r[0]))));
  for (const e of emails) expect(real.has(e), `${e} is the keyed hash of an e-mail`).toBe(true);
  // the compiled SQL shown reads the key table too
  await expect(result.getByLabel(/^View SQL for/)).toContainText("steward_internal");
  // whatever the console sent Trino: nothing holds the key (steward sees every user's queries)
  const history = await queryAs("steward", `SELECT query FROM system.runtime.queries WHERE source LIKE 'steward-console%'`);
  const text = JSON.stringify(history.rows);
  expect(text).toContain("hmac_sha256");
  expectNoKey("system.runtime.queries (console previews)", text);
});
