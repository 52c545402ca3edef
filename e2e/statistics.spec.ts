import { expect, test } from "@playwright/test";
import { queryAs, trinoHeaders, TRINO_URL } from "./support/trino";

// Statistics leak (issue 8.9): EXPLAIN and SHOW STATS on a governed view used to show the backing table's
// estimates — alice (EU rows only) read "rows: 1500", the whole table. The project's Trino runs with the stats
// calculator off (config enable-stats-calculator=false) and only the service user may turn it on per session.

/** One statement with extra session properties (X-Trino-Session); Trino's error as `error`. */
async function run(user: string, sql: string, session?: string): Promise<{ rows: unknown[][]; error?: string }> {
  const headers = { ...trinoHeaders(user), "X-Trino-Source": "steward-e2e-stats", ...(session ? { "X-Trino-Session": session } : {}) };
  let res = await fetch(`${TRINO_URL}/v1/statement`, { method: "POST", body: sql, headers });
  expect(res.status, await res.clone().text()).toBe(200);
  const rows: unknown[][] = [];
  for (;;) {
    const body = (await res.json()) as { nextUri?: string; data?: unknown[][]; error?: { errorName: string; message: string } };
    rows.push(...(body.data ?? []));
    if (body.error) return { rows, error: `${body.error.errorName}: ${body.error.message}` };
    if (!body.nextUri) return { rows };
    res = await fetch(body.nextUri, { headers });
  }
}

const VIEW = "governed.hr.employees";

test("a row-filtered user sees no estimates in EXPLAIN or SHOW STATS, and cannot turn statistics on", async () => {
  // alice really is filtered: fewer rows than the backing table has
  const visible = Number((await queryAs("alice", `SELECT count(*) FROM ${VIEW}`)).rows[0]![0]);
  const total = Number((await queryAs("steward", "SELECT count(*) FROM memory.hr.employees")).rows[0]![0]);
  expect(visible).toBeLessThan(total);

  // the control: with statistics on, Trino does know the backing table's row count (what would leak)
  const known = await run("steward", "SHOW STATS FOR memory.hr.employees", "enable_stats_calculator=true");
  expect(known.error).toBeUndefined();
  expect(Number(known.rows.at(-1)![4])).toBe(total);

  const explain = await run("alice", `EXPLAIN SELECT * FROM ${VIEW}`);
  expect(explain.error).toBeUndefined();
  const plan = JSON.stringify(explain.rows);
  expect(plan).toContain("ScanFilterProject"); // the plan itself is hers to read (it is her view's SQL)
  expect(plan).not.toMatch(/rows: \d/);
  expect(plan).not.toContain(String(total));

  for (const q of [`SHOW STATS FOR ${VIEW}`, `SHOW STATS FOR (SELECT * FROM ${VIEW})`, `SHOW STATS FOR (SELECT * FROM ${VIEW} WHERE region = 'US')`]) {
    const stats = await run("alice", q);
    expect(stats.error, q).toBeUndefined();
    expect(stats.rows.length, q).toBeGreaterThan(1);
    // every statistic unknown: no row count, no distinct counts, no null fractions, no low/high values
    for (const row of stats.rows) expect(row.slice(1), `${q}: ${JSON.stringify(row)}`).toEqual([null, null, null, null, null, null]);
  }

  for (const session of ["enable_stats_calculator=true"]) {
    const r = await run("alice", `EXPLAIN SELECT * FROM ${VIEW}`, session);
    expect(r.error).toBe("PERMISSION_DENIED: Access Denied: Cannot set system session property enable_stats_calculator");
  }
  const set = await run("alice", "SET SESSION enable_stats_calculator = true");
  expect(set.error).toBe("PERMISSION_DENIED: Access Denied: Cannot set system session property enable_stats_calculator");
});
