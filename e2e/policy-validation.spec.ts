import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { asObjects, queryAs } from "./support/trino";
import { queryTyped } from "./support/trino-typed";

// Validation at save (issue 4 item 7), through the console's JSON API as gwen (governor), no browser:
// governor-written SQL is checked against real Trino before anything is written.

test.describe.configure({ mode: "serial" });

const VIEW = "governed.hr.employees";
let gwen: APIRequestContext;
let admin: APIRequestContext;
let dsId: string;

const customMask = (sqlText: string, column = "email") => ({
  name: `e2e validation ${sqlText}`.replace(/\s+/g, " ").slice(0, 200),
  scope: "LOCAL",
  dataSourceId: dsId,
  who: { type: "EVERYONE" },
  action: { type: "MASK", target: { columns: [column] }, mask: { method: "CUSTOM", sql: sqlText } },
});

const snapshot = async () => {
  const [p] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "DataPolicy"`);
  const [e] = await sql<{ v: number }>(`SELECT value AS v FROM "Epoch" WHERE id = 1`);
  const [a] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent" WHERE action LIKE 'policy.%'`);
  return { policies: Number(p!.n), epoch: Number(e!.v), audit: Number(a!.n) };
};

async function expectRejected(body: object, field: string, message: RegExp, method: "post" | "patch" = "post", id?: string, summary = /Trino rejected/) {
  const before = await snapshot();
  const res = method === "post" ? await gwen.post("/api/policies", { data: body }) : await gwen.patch(`/api/policies/${id}`, { data: body });
  const text = await res.text();
  expect(res.status(), text).toBe(422);
  const json = JSON.parse(text) as { error: string; fieldErrors?: Record<string, string[]> };
  expect(Object.keys(json.fieldErrors ?? {}), text).toContain(field);
  expect(json.fieldErrors![field]!.join(" "), text).toMatch(message);
  expect(json.error).toMatch(summary);
  expect(await snapshot(), "nothing was saved, no epoch bump, no audit event").toEqual(before);
  return json;
}

test.beforeAll(async () => {
  gwen = await apiLogin("gwen");
  admin = await apiLogin("admin");
  const ds = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
  dsId = ds[0]!.id;
});

test.afterAll(async () => {
  // a write behind the console's back: bump the epoch as the console would, or its snapshot keeps the policy
  if ((await sql(`DELETE FROM "DataPolicy" WHERE name LIKE 'e2e validation%' RETURNING id`)).length) await sql(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`);
  await gwen?.dispose();
  await admin?.dispose();
});

test("a CUSTOM mask that does not parse is refused with 422 naming action.mask.sql and Trino's message", async () => {
  await expectRejected(customMask("{col} +"), "action.mask.sql", /line 1, column 8: mismatched input.*SYNTAX_ERROR/);
});

test("an unknown function is refused, with the position in the governor's text", async () => {
  const json = await expectRejected(customMask("concat('x',\n  nosuchfn({col}))"), "action.mask.sql", /line 2, column 3: Function 'nosuchfn' not registered/);
  expect(json.fieldErrors!["action.mask.sql"]!.join(" ")).toMatch(/hr\.employees, column email/);
});

test("a WHERE filter on an unknown column, or one that is not a condition, is refused", async () => {
  const where = (s: string) => ({ ...customMask("x"), name: `e2e validation where ${s}`, action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: s } } });
  await expectRejected(where("region = @username AND nope = 1"), "action.filter.sql", /column 24: Column 'nope' cannot be resolved/);
  await expectRejected(where("level + 1"), "action.filter.sql", /must be a condition \(boolean\).*integer/);
  await expectRejected(where("region = 1"), "action.filter.sql", /Cannot apply operator: varchar = integer/);
});

test("a cell predicate, a regex pattern and a regex replacement Trino rejects are refused", async () => {
  const mask = (m: object, onlyWhere?: string) => ({ ...customMask("x", "phone"), name: "e2e validation mask", action: { type: "MASK", target: { columns: ["phone"] }, mask: m, ...(onlyWhere ? { onlyWhere } : {}) } });
  await expectRejected(mask({ method: "REDACT" }, "{col} LIKE"), "action.onlyWhere", /mismatched input/);
  await expectRejected(mask({ method: "REGEX", pattern: "(", replacement: "x" }), "action.mask.pattern", /unmatched parenthesis/);
  // '$5' fails only where the pattern matches: found on the sample rows of the table
  await expectRejected(mask({ method: "REGEX", pattern: "[0-9]", replacement: "$5" }), "action.mask.replacement", /unknown group 5/);
});

test("an expression reading another table is refused (the view runs as the service user)", async () => {
  await expectRejected(customMask("(SELECT max(name) FROM tpch.tiny.nation)"), "action.mask.sql", /reads tpch\.tiny\.nation/);
  await expectRejected(
    { ...customMask("x"), name: "e2e validation exists", action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "EXISTS (SELECT 1 FROM tpch.tiny.region)" } } },
    "action.filter.sql",
    /reads tpch\.tiny\.region/,
  );
});

test("a column the policy names that the data source lacks is refused", async () => {
  await expectRejected({ ...customMask("x"), action: { type: "MASK", target: { columns: ["no_such_column"] }, mask: { method: "NULL" } } }, "action.target.columns", /no column 'no_such_column'/, "post", undefined, /does not fit its data source/);
});

test("a good CUSTOM mask saves with the type Trino reports, and the governed query uses it", async () => {
  // what Trino says of the expression, asked independently of the console
  const reported = await queryTyped("steward", `SELECT date_add('day', 1, updated_at) FROM memory.hr.employees LIMIT 0`);
  expect(reported.columns[0]!.type).toBe("timestamp(3)");
  const res = await gwen.post("/api/policies", { data: customMask("date_add('day', 1, {col})", "updated_at") });
  expect(res.status(), await res.text()).toBe(200);
  const { id } = (await res.json()) as { id: string };
  try {
    const [row] = await sql<{ customType: string }>(`SELECT "customType" FROM "DataPolicy" WHERE id = $1`, [id]);
    expect(row!.customType).toBe("timestamp(3)");
    const described = asObjects(await queryAs("carol", `DESCRIBE ${VIEW}`));
    expect(described.find((c) => c.Column === "updated_at")?.Type).toBe("timestamp(3)");
    const got = await queryTyped("carol", `SELECT id, updated_at FROM ${VIEW} WHERE id IN (1, 2, 3) ORDER BY id`);
    const want = await queryTyped("steward", `SELECT id, date_add('day', 1, updated_at) FROM memory.hr.employees WHERE id IN (1, 2, 3) ORDER BY id`);
    expect(got.rows).toEqual(want.rows);
    expect(got.columns[1]!.type).toBe("timestamp(3)");

    // an update that breaks it is refused, and the saved policy stays as it was
    // an edit names the version it was based on (a fresh policy: 1); a refused one leaves it there
    await expectRejected({ action: { type: "MASK", target: { columns: ["updated_at"] }, mask: { method: "CUSTOM", sql: "date_add('day', 1)" } }, version: 1 }, "action.mask.sql", /date_add/, "patch", id);
    const [after] = await sql<{ customType: string; action: { mask: { sql: string } } }>(`SELECT "customType", action FROM "DataPolicy" WHERE id = $1`, [id]);
    expect(after!.action.mask.sql).toBe("date_add('day', 1, {col})");
    // an update to another type records the new type
    const patched = await gwen.patch(`/api/policies/${id}`, {
      data: { action: { type: "MASK", target: { columns: ["salary"] }, mask: { method: "CUSTOM", sql: "{col} * 2" } }, version: 1 },
    });
    expect(patched.status(), await patched.text()).toBe(200);
    const twice = await queryTyped("steward", `SELECT salary * 2 FROM memory.hr.employees LIMIT 0`);
    const [row2] = await sql<{ customType: string }>(`SELECT "customType" FROM "DataPolicy" WHERE id = $1`, [id]);
    expect(row2!.customType).toBe(twice.columns[0]!.type);
    const salaries = await queryTyped("carol", `SELECT salary FROM ${VIEW} WHERE id = 1`);
    const base = await queryTyped("steward", `SELECT salary * 2 FROM memory.hr.employees WHERE id = 1`);
    expect(salaries.rows).toEqual(base.rows);
    expect(salaries.columns[0]!.type).toBe(twice.columns[0]!.type);
  } finally {
    expect((await gwen.delete(`/api/policies/${id}`)).status()).toBe(200);
  }
});

test("Trino unreachable: a policy with SQL is refused (502, nothing saved); one without SQL still saves", async () => {
  const current = (await (await admin.get("/api/integration")).json()) as Record<string, string>;
  const put = await admin.put("/api/integration", { data: { ...current, trinoUrl: "https://127.0.0.1:9" } });
  expect(put.status(), await put.text()).toBe(200);
  try {
    const before = await snapshot();
    const res = await gwen.post("/api/policies", { data: customMask("upper({col})") });
    const text = await res.text();
    expect(res.status(), text).toBe(502);
    expect(text).toMatch(/not reachable.*Nothing was saved/);
    expect(await snapshot()).toEqual(before);
    const plain = await gwen.post("/api/policies", {
      data: { ...customMask("x"), name: "e2e validation plain", action: { type: "MASK", target: { columns: ["phone"] }, mask: { method: "SHOW_LAST", n: 4 } } },
    });
    expect(plain.status(), await plain.text()).toBe(200);
    expect((await gwen.delete(`/api/policies/${((await plain.json()) as { id: string }).id}`)).status()).toBe(200);
  } finally {
    const restore = await admin.put("/api/integration", { data: current });
    expect(restore.status(), await restore.text()).toBe(200);
  }
});
