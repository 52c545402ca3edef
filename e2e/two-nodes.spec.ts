import { expect, test, type APIRequestContext } from "@playwright/test";
import { Trino } from "trino-client";
import { apiLogin } from "./support/api-session";
import { sql } from "./support/db";
import { GOVERNED, queryAs, queryError, TRINO_URL, trinoHeaders, type QueryResult } from "./support/trino";
import { hmacHex } from "./support/trino-typed";

// Enforcement on a coordinator + worker cluster (TRINO_WORKERS=1 scripts/trino/start.sh; scripts/test-all.sh runs
// this with STEWARD_TEST_TRINO_WORKERS=1 next to trino-enforcement, hash-key and policy-matrix). The coordinator
// schedules no splits on itself, so the backing table's scan runs on the worker: the view's filters and masks must
// hold there, the worker must get the governed catalog from the coordinator, and the worker's plain-HTTP port must
// not be a way around authentication. Skipped on a single node.

const WORKERS = Number(process.env.STEWARD_TEST_TRINO_WORKERS ?? 0);
const VIEW = `${GOVERNED}.hr.employees`;
const BACKING_ROWS = 1500;

test.describe.configure({ mode: "serial" });
test.skip(WORKERS === 0, "single-node Trino (STEWARD_TEST_TRINO_WORKERS unset)");

interface Node {
  node_id: string;
  http_uri: string;
  coordinator: boolean;
  state: string;
}
let nodes: Node[] = [];
let coordinatorId = "";

/** Runs `query` as `user` and returns the rows and Trino's query id (to look up where its tasks ran). */
async function run(user: string, query: string): Promise<QueryResult & { id: string }> {
  const trino = Trino.create({ server: TRINO_URL, source: "steward-e2e", extraHeaders: trinoHeaders(user) });
  const iter = await trino.query(query);
  let id = "";
  let columns: QueryResult["columns"] | undefined;
  const rows: unknown[][] = [];
  for await (const page of iter) {
    if (page.error) throw new Error(page.error.message);
    id ||= page.id;
    columns ??= page.columns as QueryResult["columns"] | undefined;
    rows.push(...((page.data as unknown[][] | undefined) ?? []));
  }
  return { id, columns: columns ?? [], rows };
}

/** The query's tasks (system.runtime.tasks, read as the service user): node and rows read. */
async function tasksOf(queryId: string): Promise<{ node: string; rawInputRows: number }[]> {
  expect(queryId).toMatch(/^\d{8}_\d{6}_\d{5}_\w+$/);
  const r = await queryAs("steward", `SELECT node_id, raw_input_rows FROM system.runtime.tasks WHERE query_id = '${queryId}'`);
  return r.rows.map(([node, rows]) => ({ node: String(node), rawInputRows: Number(rows) }));
}

/** The backing table was scanned on a worker (a worker task read every row of it) and never on the coordinator. */
async function expectScannedOnWorker(queryId: string, opts: { coordinatorTasksAllowed?: boolean } = {}) {
  const tasks = await tasksOf(queryId);
  const onWorkers = tasks.filter((t) => t.node !== coordinatorId);
  const onCoordinator = tasks.filter((t) => t.node === coordinatorId);
  expect(onWorkers.length, JSON.stringify(tasks)).toBeGreaterThan(0);
  expect(Math.max(...onWorkers.map((t) => t.rawInputRows)), JSON.stringify(tasks)).toBeGreaterThanOrEqual(BACKING_ROWS);
  expect(onCoordinator.every((t) => t.rawInputRows < BACKING_ROWS), JSON.stringify(tasks)).toBe(true);
  if (!opts.coordinatorTasksAllowed) expect(onCoordinator, JSON.stringify(tasks)).toEqual([]);
}

test.beforeAll(async () => {
  const r = await queryAs("steward", "SELECT node_id, http_uri, coordinator, state FROM system.runtime.nodes ORDER BY node_id");
  nodes = r.rows.map(([node_id, http_uri, coordinator, state]) => ({ node_id, http_uri, coordinator, state }) as Node);
  coordinatorId = nodes.find((n) => n.coordinator)?.node_id ?? "";
});

test("the cluster: one coordinator and the expected workers, all active", async () => {
  expect(nodes.every((n) => n.state === "active"), JSON.stringify(nodes)).toBe(true);
  expect(nodes.filter((n) => n.coordinator).length).toBe(1);
  const workers = nodes.filter((n) => !n.coordinator);
  expect(workers.length).toBe(WORKERS);
  for (const w of workers) expect(w.node_id).toMatch(/-worker-\d+$/);
  // the seed itself (CREATE TABLE AS) ran on a worker: the memory connector keeps the rows where they were written
  const seeded = await run("steward", "SELECT count(*) FROM memory.hr.employees");
  expect(Number(seeded.rows[0]![0])).toBe(BACKING_ROWS);
  await expectScannedOnWorker(seeded.id);
});

test("a worker's plain-HTTP port is no way in: no statements, task API refused without the shared secret", async () => {
  for (const w of nodes.filter((n) => !n.coordinator)) {
    const statement = await fetch(`${w.http_uri}/v1/statement`, { method: "POST", body: "SELECT 1", headers: { "X-Trino-User": "steward" } });
    expect(statement.status, `${w.http_uri}/v1/statement`).toBe(404);
    const tasks = await fetch(`${w.http_uri}/v1/task`, { headers: { "X-Trino-User": "steward" } });
    expect(tasks.status, `${w.http_uri}/v1/task`).toBe(403);
    const create = await fetch(`${w.http_uri}/v1/task/20260101_000000_00000_aaaaa.0.0.0`, {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/json", "X-Trino-User": "steward" },
    });
    expect(create.status, `POST ${w.http_uri}/v1/task/...`).toBe(403);
  }
});

test("alice on the worker: ssn masked, EU rows only", async () => {
  const result = await run("alice", `SELECT id, ssn, region FROM ${VIEW}`);
  const eu = await queryAs("steward", "SELECT count(*) FROM memory.hr.employees WHERE region = 'EU'");
  expect(result.rows.length).toBe(Number(eu.rows[0]![0]));
  expect(result.rows.length).toBeGreaterThan(100);
  expect(new Set(result.rows.map((r) => r[2]))).toEqual(new Set(["EU"]));
  expect(result.rows.every((r) => r[1] === null)).toBe(true);
  await expectScannedOnWorker(result.id);
  // an aggregate is split across stages (partial on the worker): still only her rows
  const agg = await run("alice", `SELECT region, count(*), count(ssn) FROM ${VIEW} GROUP BY region`);
  expect(agg.rows).toEqual([["EU", result.rows.length, 0]]);
  await expectScannedOnWorker(agg.id);
});

test("bob sees nothing, the backing table stays denied, an unknown user sees nothing", async () => {
  expect((await queryAs("bob", `SHOW SCHEMAS FROM ${GOVERNED}`)).rows.flat()).not.toContain("hr");
  expect(await queryError("bob", `SELECT * FROM ${VIEW}`)).toMatch(/does not exist/i);
  expect(await queryError("alice", "SELECT * FROM memory.hr.employees")).toMatch(/Access Denied/i);
  expect(await queryError("alice", "SELECT count(*) FROM memory.hr.employees")).toMatch(/Access Denied/i);
  expect((await queryAs("mallory", `SHOW SCHEMAS FROM ${GOVERNED}`)).rows.flat()).not.toContain("hr");
});

test.describe("HASH", () => {
  let gwen: APIRequestContext;
  let policyId = "";
  let key = "";

  test.beforeAll(async () => {
    gwen = await apiLogin("gwen");
    const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" WHERE "governedSchema" = 'hr' AND name = 'employees'`);
    [{ hashKey: key }] = (await sql<{ hashKey: string }>(`SELECT "hashKey" FROM "Integration" WHERE id = 1`)) as [{ hashKey: string }];
    const res = await gwen.post("/api/policies", {
      data: {
        name: "e2e two nodes: hash e-mails",
        scope: "LOCAL",
        dataSourceId: ds!.id,
        who: { type: "EVERYONE" },
        action: { type: "MASK", target: { columns: ["email"] }, mask: { method: "HASH" } },
      },
    });
    expect(res.status(), await res.text()).toBe(200);
    policyId = ((await res.json()) as { id: string }).id;
  });

  test.afterAll(async () => {
    if (policyId) expect((await gwen.delete(`/api/policies/${policyId}`)).status()).toBe(200);
    await gwen?.dispose();
  });

  test("alice's e-mails are hashed with the key from the key table, computed on the worker", async () => {
    const got = await run("alice", `SELECT id, email FROM ${VIEW} ORDER BY id`);
    expect(got.rows.length).toBeGreaterThan(100);
    const raw = await queryAs("steward", `SELECT id, email FROM memory.hr.employees WHERE region = 'EU' ORDER BY id`);
    expect(got.rows).toEqual(raw.rows.map(([id, email]) => [id, hmacHex(key, String(email))]));
    // the key table (steward_internal.hash_key) is a coordinator-only system table; the employees scan is on the worker
    await expectScannedOnWorker(got.id, { coordinatorTasksAllowed: true });
    expect(await queryError("alice", `SELECT * FROM ${GOVERNED}.steward_internal.hash_key`)).toMatch(/Access Denied|does not exist/);
  });
});
