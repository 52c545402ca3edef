import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { startRelay } from "./support/proxy";
import { login } from "./support/session";
import { asObjects, GOVERNED, queryAs, queryError } from "./support/trino";

// Real Trino with our connector, the console on real PostgreSQL: the enforcement path end to end.
const VIEW = `${GOVERNED}.hr.employees`;
const consolePort = Number(process.env.STEWARD_TEST_PORT ?? 3917);
const apiKey = process.env.STEWARD_API_KEY ?? "";

test.describe.configure({ mode: "serial" });

test("alice (subscribed, region=EU) gets ssn masked and only EU rows, with the declared types", async () => {
  const result = await queryAs("alice", `SELECT * FROM ${VIEW}`);
  const rows = asObjects(result);
  const euRows = await queryAs("steward", "SELECT count(*) FROM memory.hr.employees WHERE region = 'EU'");
  expect(rows.length).toBe(Number(euRows.rows[0][0]));
  expect(rows.length).toBeGreaterThan(100);
  expect(new Set(rows.map((r) => r.region))).toEqual(new Set(["EU"]));
  expect(rows.every((r) => r.ssn === null)).toBe(true);
  expect(rows.some((r) => typeof r.name === "string" && r.name.length > 0)).toBe(true);
  // The SELECT itself proves the declared types match (else Trino fails it as stale); DESCRIBE shows them.
  const described = asObjects(await queryAs("alice", `DESCRIBE ${VIEW}`));
  const types = Object.fromEntries(described.map((c) => [c.Column, c.Type]));
  expect(types).toEqual({
    id: "bigint",
    name: "varchar",
    email: "varchar",
    ssn: "varchar",
    phone: "varchar",
    salary: "decimal(12,2)",
    region: "varchar",
    department: "varchar",
    hire_date: "date",
    updated_at: "timestamp(3)",
    active: "boolean",
    rating: "double",
    level: "integer",
  });
});

test("carol (group hr, exempt from the mask and the filter) sees real ssn values in every region", async () => {
  const rows = asObjects(await queryAs("carol", `SELECT ssn, region FROM ${VIEW}`));
  expect(rows.length).toBe(1500);
  expect(rows.every((r) => typeof r.ssn === "string" && /^\d{3}-\d{2}-\d{4}$/.test(r.ssn as string))).toBe(true);
});

test("bob (not subscribed) does not see the view and cannot query it", async () => {
  const schemas = await queryAs("bob", `SHOW SCHEMAS FROM ${GOVERNED}`);
  expect(schemas.rows.flat()).not.toContain("hr");
  const tables = await queryAs("bob", `SELECT table_schema, table_name FROM ${GOVERNED}.information_schema.tables WHERE table_schema <> 'information_schema'`);
  expect(tables.rows).toEqual([]);
  const aliceTables = await queryAs("alice", `SHOW TABLES FROM ${GOVERNED}.hr`);
  expect(aliceTables.rows.flat()).toContain("employees");
  const message = await queryError("bob", `SELECT * FROM ${VIEW}`);
  expect(message).toMatch(/does not exist/i);
});

test("alice querying the backing table directly is denied", async () => {
  const message = await queryError("alice", "SELECT * FROM memory.hr.employees");
  expect(message).toMatch(/Access Denied/i);
});

test("a user unknown to Steward sees nothing", async () => {
  const schemas = await queryAs("mallory", `SHOW SCHEMAS FROM ${GOVERNED}`);
  expect(schemas.rows.flat()).not.toContain("hr");
});

test("a policy change made through the console shows in alice's very next query", async ({ page }) => {
  const before = asObjects(await queryAs("alice", `SELECT email FROM ${VIEW} LIMIT 5`));
  expect(before.every((r) => typeof r.email === "string")).toBe(true);

  await login(page, "gwen");
  const ds = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
  const created = await page.request.post("/api/policies", {
    data: {
      name: "e2e: hide emails",
      scope: "LOCAL",
      dataSourceId: ds[0].id,
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["email"] }, mask: { method: "NULL" } },
    },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  try {
    const after = asObjects(await queryAs("alice", `SELECT email FROM ${VIEW} LIMIT 5`));
    expect(after.length).toBe(5);
    expect(after.every((r) => r.email === null)).toBe(true);
  } finally {
    const removed = await page.request.delete(`/api/policies/${id}`);
    expect(removed.status()).toBe(200);
  }
  const restored = asObjects(await queryAs("alice", `SELECT email FROM ${VIEW} LIMIT 5`));
  expect(restored.every((r) => typeof r.email === "string")).toBe(true);
});

test("console stopped: alice's query fails with a clear message and returns no rows", async () => {
  const relay = await startRelay(consolePort);
  const catalog = `${GOVERNED}_relay_${Date.now()}`;
  await queryAs(
    "steward",
    `CREATE CATALOG ${catalog} USING steward WITH ("steward.console-url" = 'http://127.0.0.1:${relay.port}', "steward.api-key" = '${apiKey}', "steward.request-timeout" = '2s')`,
  );
  try {
    const ok = await queryAs("alice", `SELECT count(*) FROM ${catalog}.hr.employees`);
    expect(Number(ok.rows[0][0])).toBeGreaterThan(0);
    await relay.close();
    let rows: unknown[][] | undefined;
    let message = "";
    try {
      rows = (await queryAs("alice", `SELECT * FROM ${catalog}.hr.employees`)).rows;
    } catch (e) {
      message = (e as Error).message;
    }
    expect(rows).toBeUndefined();
    expect(message).toMatch(/Steward/);
    expect(message).toMatch(/unreachable|refused|connect/i);
  } finally {
    await relay.close();
    await queryAs("steward", `DROP CATALOG ${catalog}`);
  }
});

test("a wrong API key in the catalog: queries fail closed", async () => {
  const catalog = `${GOVERNED}_badkey_${Date.now()}`;
  await queryAs(
    "steward",
    `CREATE CATALOG ${catalog} USING steward WITH ("steward.console-url" = 'http://127.0.0.1:${consolePort}', "steward.api-key" = 'stw_wrong_key')`,
  );
  try {
    const message = await queryError("alice", `SELECT * FROM ${catalog}.hr.employees`);
    expect(message).toMatch(/Steward/);
    expect(message).toMatch(/API key/i);
    expect(message).not.toContain("stw_wrong_key");
  } finally {
    await queryAs("steward", `DROP CATALOG ${catalog}`);
  }
});

test("olivia, an owner without a subscription, reads her own data source; the policies apply to her as to anyone", async () => {
  const [sub] = await sql<{ n: string }>(
    `SELECT count(*)::text AS n FROM "Subscription" s JOIN "User" u ON u.id = s."userId" JOIN "DataSource" d ON d.id = s."dataSourceId"
     WHERE u.username = 'olivia' AND d."governedSchema" = 'hr' AND d.name = 'employees' AND s.state = 'ACTIVE'`,
  );
  expect(sub!.n).toBe("0");
  expect((await queryAs("olivia", `SHOW TABLES FROM ${GOVERNED}.hr`)).rows.flat()).toContain("employees");
  // olivia is in group hr: the seed's masks and region filter exempt hr, so she gets real ssn values in every region
  const rows = asObjects(await queryAs("olivia", `SELECT ssn, region FROM ${VIEW}`));
  expect(rows.length).toBeGreaterThan(1000);
  expect(new Set(rows.map((r) => r.region)).size).toBeGreaterThan(1);
  // bob owns nothing and is not subscribed: still nothing
  expect(await queryError("bob", `SELECT count(*) FROM ${VIEW}`)).toMatch(/does not exist/);
});
