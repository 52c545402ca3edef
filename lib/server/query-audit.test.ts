// Query audit (issue #10.1) on a real, throwaway PostgreSQL: the connector's POST /api/trino/v1/query-events
// (API key like the view API, zod validation: bad input 400 never 500, idempotent on the query id, no epoch bump,
// no governance audit event), the auditors' list with its filters, and the CSV / JSON lines export.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTempConsoleDb } from "./db/test-helpers";
import type { Actor } from "./actor";
import type { PrismaClient } from "./db";

vi.mock("./auth", () => ({ auth: async () => null }));

let close: () => Promise<void>;
let mod: {
  db: PrismaClient;
  queryAudit: typeof import("./query-audit");
  route: typeof import("@/app/api/trino/v1/query-events/route");
};
const actor = (username: string, roles: Actor["roles"]): Actor => ({ id: "", username, roles });
const root = actor("root", ["ADMIN"]);
const olivia = actor("olivia", ["DATA_OWNER"]);
const gwen = actor("gwen", ["GOVERNOR"]);
const audrey = actor("audrey", ["AUDITOR"]);
let apiKey = "";
let dsId = "";
let ssnPolicy = "";
let regionPolicy = "";

beforeAll(async () => {
  const temp = await useTempConsoleDb("steward_query_audit");
  close = temp.close;
  mod = {
    db: temp.db,
    queryAudit: await import("./query-audit"),
    route: await import("@/app/api/trino/v1/query-events/route"),
  };
  const { db } = mod;
  for (const a of [root, olivia, gwen, audrey]) a.id = (await db.user.create({ data: { username: a.username, roles: a.roles } })).id;
  await db.integration.upsert({ where: { id: 1 }, create: { id: 1, trinoUrl: "http://127.0.0.1:9", hashKey: "test-hash-key" }, update: {} });
  const dataSources = await import("./data-sources");
  const policies = await import("./policies");
  const integration = await import("./integration");
  dsId = (
    await dataSources.registerDataSource(olivia, {
      backing: { catalog: "memory", schema: "hr", table: "employees" },
      governedSchema: "hr",
      name: "employees",
      columns: [
        { name: "id", type: "bigint" },
        { name: "ssn", type: "varchar" },
        { name: "region", type: "varchar" },
      ],
      subscription: { type: "OPEN" },
    } as never)
  ).id;
  ssnPolicy = (await policies.createPolicy(gwen, { name: "Hide SSNs outside HR", scope: "LOCAL", dataSourceId: dsId, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["ssn"] }, mask: { method: "NULL" } } })).id;
  regionPolicy = (await policies.createPolicy(gwen, { name: "Rows of the user's own region", scope: "LOCAL", dataSourceId: dsId, who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } } })).id;
  apiKey = (await integration.createApiKey(root, "connector")).key;
});

afterAll(async () => {
  await close?.();
});

const epoch = async () => (await mod.db.epoch.findUnique({ where: { id: 1 } }))?.value ?? 0;

async function post(body: unknown, opts: { key?: string | null; contentType?: string; raw?: string } = {}) {
  const key = opts.key === undefined ? apiKey : opts.key;
  const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const req = new Request("http://127.0.0.1:3000/api/trino/v1/query-events", { method: "POST", headers, body: opts.raw ?? JSON.stringify(body) });
  const res = await mod.route.POST(req, { params: Promise.resolve({}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let seq = 0;
const queryId = () => `20261203_101112_${String(++seq).padStart(5, "0")}_abcde`;

const aliceRead = (id: string, extra: object = {}) => ({
  queryId: id,
  user: "Alice",
  principal: "alice",
  source: "trino-cli",
  project: null,
  epoch: 7,
  state: "SUCCEEDED",
  query: "SELECT * FROM governed.hr.employees",
  createdAt: "2026-12-03T10:11:12.000Z",
  endedAt: "2026-12-03T10:11:13.500Z",
  views: [
    {
      catalog: "governed",
      schema: "hr",
      name: "employees",
      read: true,
      applied: {
        project: "research",
        columns: { ssn: { method: "NULL", policyId: ssnPolicy, policyName: "Hide SSNs outside HR" } },
        rowFilters: [{ kind: "MATCH_ATTRIBUTE", policyId: regionPolicy, policyName: "Rows of the user's own region" }],
      },
    },
  ],
  denials: [],
  ...extra,
});

describe("POST /api/trino/v1/query-events", () => {
  it("needs a valid API key: 401 without one, with a wrong one; nothing stored", async () => {
    const before = await mod.db.queryAudit.count();
    expect(await post(aliceRead(queryId()), { key: null })).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED" } });
    expect(await post(aliceRead(queryId()), { key: "stw_wrong" })).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED" } });
    expect(await mod.db.queryAudit.count()).toBe(before);
  });

  it("stores a record once: a repeat of the query id changes nothing; no epoch bump, no governance audit event", async () => {
    const [epochBefore, eventsBefore] = [await epoch(), await mod.db.auditEvent.count()];
    const id = queryId();
    const first = await post(aliceRead(id));
    expect(first).toMatchObject({ status: 200, body: { recorded: true, queryId: id } });
    const again = await post(aliceRead(id, { query: "something else" }));
    expect(again).toMatchObject({ status: 200, body: { recorded: false, queryId: id } });
    const rows = await mod.db.queryAudit.findMany({ where: { queryId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      username: "alice",
      principal: "alice",
      source: "trino-cli",
      project: "research", // what the console resolved, over the (empty) session property
      epoch: 7,
      state: "SUCCEEDED",
      query: "SELECT * FROM governed.hr.employees",
      queryTruncated: false,
      viewNames: ["hr.employees"],
      dataSourceIds: [dsId],
      policyIds: [ssnPolicy, regionPolicy],
      policyNames: ["hide ssns outside hr", "rows of the user's own region"],
      createdAt: new Date("2026-12-03T10:11:12.000Z"),
      endedAt: new Date("2026-12-03T10:11:13.500Z"),
    });
    expect((rows[0]!.views as { applied: unknown }[])[0]!.applied).toEqual({
      project: "research",
      columns: [{ column: "ssn", method: "NULL", policyId: ssnPolicy, policyName: "Hide SSNs outside HR" }],
      rowFilters: [{ kind: "MATCH_ATTRIBUTE", policyId: regionPolicy, policyName: "Rows of the user's own region" }],
    });
    expect(await epoch()).toBe(epochBefore);
    expect(await mod.db.auditEvent.count()).toBe(eventsBefore);
  });

  it("answers 400 BAD_REQUEST (never 500) for anything that is not a record, and stores nothing", async () => {
    const before = await mod.db.queryAudit.count();
    const bad: [string, unknown, string?][] = [
      ["not JSON", undefined, "{nope"],
      ["an array", [aliceRead(queryId())]],
      ["no query id", { ...aliceRead(""), queryId: undefined }],
      ["a query id with a slash", aliceRead("a/b")],
      ["an unknown state", aliceRead(queryId(), { state: "RUNNING" })],
      ["a bad date", aliceRead(queryId(), { createdAt: "yesterday" })],
      ["a NUL in the SQL", aliceRead(queryId(), { query: "SELECT 1\u0000" })],
      ["an unknown denial", aliceRead(queryId(), { denials: [{ kind: "MAYBE", catalog: "governed" }] })],
      ["a view without its name", aliceRead(queryId(), { views: [{ catalog: "governed", schema: "hr", read: true, applied: null }] })],
      ["a negative epoch", aliceRead(queryId(), { epoch: -1 })],
      ["an empty object", {}],
    ];
    for (const [what, body, raw] of bad) {
      const res = await post(body, raw === undefined ? {} : { raw });
      expect(res.status, what).toBe(400);
      expect(res.body.code, what).toBe("BAD_REQUEST");
      expect(typeof res.body.error, what).toBe("string");
    }
    expect((await post(aliceRead(queryId()), { contentType: "text/plain" })).status).toBe(415);
    expect(await mod.db.queryAudit.count()).toBe(before);
  });

  it("keeps the masked columns in the console's (column) order, which jsonb alone would not", async () => {
    const id = queryId();
    const columns = {
      zeta_long_name: { method: "HASH", policyId: "px", policyName: "x" },
      ab: { method: "NULL", policyId: ssnPolicy, policyName: "Hide SSNs outside HR" },
    };
    const views = [{ catalog: "governed", schema: "hr", name: "employees", read: true, applied: { project: null, columns, rowFilters: [] } }];
    expect((await post(aliceRead(id, { views }))).status).toBe(200);
    const { records } = await mod.queryAudit.listQueryAudits(audrey, { user: "alice", pageSize: 200 });
    const line = records.find((r) => r.queryId === id)!.lines[0]!.map((x) => x.text).join("");
    expect(line).toBe("alice read hr.employees: zeta_long_name HASH by “x”, ab NULL by “Hide SSNs outside HR”; all rows");
  });

  it("cuts the SQL at 20,000 characters and says so; ignores fields it does not know", async () => {
    const id = queryId();
    const long = `SELECT '${"x".repeat(30_000)}'`;
    expect((await post(aliceRead(id, { query: long, somethingNew: { a: 1 } }))).status).toBe(200);
    const row = await mod.db.queryAudit.findUniqueOrThrow({ where: { queryId: id } });
    expect(row.query).toHaveLength(20_000);
    expect(row.queryTruncated).toBe(true);
  });
});

describe("POST /api/trino/v1/query-events, batches (the listener's {\"events\": [...]})", () => {
  it("stores each valid record of a batch in one go and answers each, in order; an invalid one is refused alone", async () => {
    const [a, b, c] = [queryId(), queryId(), queryId()];
    expect((await post(aliceRead(a))).status).toBe(200); // already stored before the batch
    const before = await mod.db.queryAudit.count();
    const res = await post({ events: [aliceRead(a), aliceRead(b), aliceRead(c, { state: "RUNNING" }), { nonsense: true }, aliceRead(c)] });
    expect(res.status).toBe(200);
    const results = res.body.results as Record<string, unknown>[];
    expect(results.map((r) => [r.queryId, r.recorded ?? "error"])).toEqual([
      [a, false],
      [b, true],
      [c, "error"],
      [null, "error"],
      [c, true],
    ]);
    expect(results[2]!.error).toMatch(/state/);
    expect(await mod.db.queryAudit.count()).toBe(before + 2);
    const stored = await mod.db.queryAudit.findUniqueOrThrow({ where: { queryId: b } });
    expect(stored).toMatchObject({ username: "alice", dataSourceIds: [dsId], policyIds: [ssnPolicy, regionPolicy] });
  });

  it("answers 400 for what is not a batch (empty, too long, not an array, extra keys), storing nothing; 401 without a key", async () => {
    const before = await mod.db.queryAudit.count();
    for (const body of [{ events: [] }, { events: "x" }, { events: [aliceRead(queryId())], queryId: queryId() }, { events: Array.from({ length: 1001 }, () => aliceRead(queryId())) }]) {
      expect((await post(body)).status).toBe(400);
    }
    expect((await post({ events: [aliceRead(queryId())] }, { key: null })).status).toBe(401);
    expect(await mod.db.queryAudit.count()).toBe(before);
  });
});

describe("the auditors' list and export", () => {
  let bobId = "";
  let backingId = "";
  beforeAll(async () => {
    bobId = queryId();
    backingId = queryId();
    await post({
      queryId: bobId,
      user: "bob",
      principal: "bob",
      state: "FAILED",
      errorCode: "TABLE_NOT_FOUND",
      errorMessage: "line 1:15: Table 'governed.hr.employees' does not exist",
      query: "SELECT * FROM governed.hr.employees",
      createdAt: "2026-12-04T09:00:00.000Z",
      endedAt: "2026-12-04T09:00:00.100Z",
      denials: [{ kind: "NOT_VISIBLE", catalog: "governed", schema: "hr", name: "employees" }],
    });
    await post({
      queryId: backingId,
      user: "alice",
      state: "FAILED",
      errorCode: "PERMISSION_DENIED",
      errorMessage: "Access Denied: Cannot access catalog memory",
      query: "=cmd|' /C calc'!A0",
      createdAt: "2026-12-05T09:00:00.000Z",
      endedAt: "2026-12-05T09:00:00.100Z",
      denials: [{ kind: "BACKING_CATALOG", catalog: "memory", message: "Access Denied: Cannot access catalog memory" }],
    });
  });

  const ids = async (filter: object) => (await mod.queryAudit.listQueryAudits(audrey, filter)).records.map((r) => r.queryId);

  it("is for auditors only", async () => {
    await expect(mod.queryAudit.listQueryAudits(gwen, {})).rejects.toMatchObject({ status: 403 });
    await expect(mod.queryAudit.exportQueryAudits(olivia, {}, "csv")).rejects.toMatchObject({ status: 403 });
  });

  it("lists newest first, in words, and filters by user, data source (id or name), policy (id or name) and dates", async () => {
    const { records, total } = await mod.queryAudit.listQueryAudits(audrey, {});
    expect(records.map((r) => r.queryId).slice(0, 2)).toEqual([backingId, bobId]);
    expect(total).toBe(await mod.db.queryAudit.count());
    const words = (r: (typeof records)[number]) => r.lines.map((l) => l.map((s) => s.text).join(""));
    expect(words(records[1]!)).toEqual(["bob: hr.employees is not visible to them (not subscribed, not in their project, or no such data source)"]);
    expect(words(records[0]!)).toEqual(["alice: backing catalog memory refused (only the service user reads backing tables)"]);
    expect(words(records.find((r) => r.username === "alice" && r.state === "SUCCEEDED")!)).toEqual([
      "alice read hr.employees: ssn NULL by “Hide SSNs outside HR”; rows filtered by “Rows of the user's own region”",
    ]);

    expect(await ids({ user: "BOB" })).toEqual([bobId]);
    const onEmployees = await ids({ dataSource: dsId });
    expect(onEmployees).toContain(bobId);
    expect(onEmployees).not.toContain(backingId);
    expect(await ids({ dataSource: "HR.Employees" })).toEqual(onEmployees);
    const bySsn = await ids({ policy: ssnPolicy });
    expect(bySsn.length).toBeGreaterThan(0);
    expect(bySsn).not.toContain(bobId);
    expect(await ids({ policy: "hide ssns OUTSIDE hr" })).toEqual(bySsn);
    expect(await ids({ from: "2026-12-04", to: "2026-12-04" })).toEqual([bobId]);
    expect(await ids({ from: "2026-12-05" })).toEqual([backingId]);
    expect(await ids({ user: "nobody" })).toEqual([]);
  });

  it("exports CSV with a header row (formulas defused) and JSON lines, one record per line, with the same filters", async () => {
    const text = async (format: "csv" | "jsonl", filter: object = {}) => new Response(await mod.queryAudit.exportQueryAudits(audrey, filter, format)).text();
    const csv = await text("csv", { user: "alice" });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("queryId,createdAt,endedAt,receivedAt,user,principal,source,project,epoch,state,errorCode,errorMessage,summary,views,denials,query,queryTruncated");
    expect(lines[1]).toContain(backingId);
    expect(lines[1]).toContain(`"'=cmd|' /C calc'!A0"`.replace(/^"|"$/g, "")); // the formula starts with a quote mark
    expect(csv).not.toContain(bobId);
    const jsonl = (await text("jsonl")).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(jsonl).toHaveLength(await mod.db.queryAudit.count());
    expect(jsonl[1]).toMatchObject({ queryId: bobId, user: "bob", state: "FAILED", errorCode: "TABLE_NOT_FOUND", denials: [{ kind: "NOT_VISIBLE", schema: "hr", name: "employees" }] });
    expect(jsonl[1]!.summary).toBe("bob: hr.employees is not visible to them (not subscribed, not in their project, or no such data source)");
  });

  it("streams an export larger than one batch in order, without repeats", async () => {
    for (let i = 0; i < 520; i++) {
      await mod.db.queryAudit.create({
        data: { queryId: `bulk_${i}`, username: "carol", state: "SUCCEEDED", query: "SELECT 1", views: [], denials: [], createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), endedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) },
      });
    }
    const out = await new Response(await mod.queryAudit.exportQueryAudits(audrey, { user: "carol" }, "jsonl")).text();
    const got = out.trimEnd().split("\n").map((l) => (JSON.parse(l) as { queryId: string }).queryId);
    expect(got).toEqual(Array.from({ length: 520 }, (_, i) => `bulk_${519 - i}`));
  });
});
