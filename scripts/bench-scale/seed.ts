// Seeds the scale bench's database through the product's own code (lib/server): users through the bulk import
// (lib/server/people-import.ts, 1,000 per transaction), personas and groups through people.ts, data sources
// through registerDataSource (columns given, as registerFromTrino hands them over after reading Trino) and, for
// the tables the bench queries, registerFromTrino itself; policies through createPolicy, subscriptions through
// addSubscriber. Deterministic for a given scale (seeded PRNG).
import type { Actor } from "../../lib/server/actor";
import type { TrinoTarget } from "./trino";
import { trinoQuery } from "./trino";

export interface SeedPlan {
  scale: number;
  users: number;
  dataSources: number;
  wideViews: number;
  policies: number;
  sampleUsers: number;
  subscriptionsPerSampleUser: number;
}

export function planFor(scale: number): SeedPlan {
  const n = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  const dataSources = n(10_000, 40);
  return {
    scale,
    users: n(100_000, 300),
    dataSources,
    wideViews: Math.min(n(5_000, 20), dataSources - 10),
    policies: n(2_000, 20),
    sampleUsers: Math.min(200, n(100_000, 300)),
    subscriptionsPerSampleUser: 10,
  };
}

export interface SeedManifest {
  plan: SeedPlan;
  database: string;
  seededAt: string;
  seconds: Record<string, number>;
  counts: Record<string, number>;
  personas: { admin: string; governor: string; reader: string; wide: string; owners: string[]; password: string };
  wideSchema: string;
  realSchema: string;
  realViews: string[];
  realDataSourceIds: Record<string, string>;
  tpchView: string;
  /** (user, schema, view) the sample users are subscribed to: the view-definition latency workload */
  samplePairs: [string, string, string][];
}

export const PERSONA_PASSWORD = "bench-scale-password";
export const REAL_SCHEMA = "bench_real";
export const WIDE_SCHEMA = "wide";
export const TPCH_VIEW = "bench_tpch.orders";
const REGIONS = ["EU", "US", "APAC", "LATAM", "MEA", "UK", "NORDICS", "ANZ"];
const CLEARANCE = ["low", "medium", "high"];
const DOMAINS = 40;
const REGULAR_SCHEMAS = 50;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** Runs `fn` over `items` with at most `limit` in flight; fails on the first error. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>, progress?: (done: number) => void): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
      done++;
      if (progress && done % 500 === 0) progress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The backing tables the bench queries: memory tables derived from tpch.tiny.customer (1,500 rows each). */
export function realTableSql(): string[] {
  const out = [`CREATE SCHEMA IF NOT EXISTS memory.${REAL_SCHEMA}`];
  for (const t of ["t1", "t2", "t3"]) {
    out.push(`DROP TABLE IF EXISTS memory.${REAL_SCHEMA}.${t}`);
    out.push(
      `CREATE TABLE memory.${REAL_SCHEMA}.${t} AS SELECT custkey AS id, name, lower(replace(name, '#', '.')) || '@example.com' AS email, phone, ` +
        `element_at(ARRAY['EU', 'US', 'APAC'], CAST(nationkey % 3 AS integer) + 1) AS region, mktsegment AS dept, ` +
        `CAST(acctbal AS decimal(12,2)) AS amount, CAST(TIMESTAMP '2025-01-01 00:00:00.000' + (custkey * 7919) * INTERVAL '1' SECOND AS timestamp(3)) AS created_at, ` +
        `CASE WHEN custkey % 10 = 0 THEN 'inactive' ELSE 'active' END AS status FROM tpch.tiny.customer`,
    );
  }
  return out;
}

export async function createRealTables(trino: TrinoTarget): Promise<void> {
  for (const sql of realTableSql()) {
    for (let attempt = 0; ; attempt++) {
      try {
        await trinoQuery(trino, sql);
        break;
      } catch (e) {
        // right after a start the coordinator may not have announced itself as a worker yet
        if (attempt < 20 && /NO_NODES_AVAILABLE/.test(String(e))) {
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        throw e;
      }
    }
  }
}

type ColumnSpec = { name: string; type: string; tags: string[] };
const VARCHAR_TAGS = ["PII.Address", "PII.SSN", "Internal.Notes", "Internal.Code"];
const NUMBER_TAGS = ["Finance.Account", "Finance.Balance"];
const DATE_TAGS = ["PII.DOB"];
const COLUMN_TAGS = ["PII.Name", "PII.Email", "PII.Phone", "Finance.Amount", ...VARCHAR_TAGS, ...NUMBER_TAGS, ...DATE_TAGS];

function columnsFor(rand: () => number): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    { name: "id", type: "bigint", tags: [] },
    { name: "name", type: "varchar", tags: ["PII.Name"] },
    { name: "email", type: "varchar", tags: ["PII.Email"] },
    { name: "phone", type: "varchar", tags: ["PII.Phone"] },
    { name: "region", type: "varchar", tags: [] },
    { name: "dept", type: "varchar", tags: [] },
    { name: "amount", type: "decimal(12,2)", tags: ["Finance.Amount"] },
    { name: "created_at", type: "timestamp(3)", tags: [] },
    { name: "status", type: "varchar", tags: [] },
  ];
  const extra = Math.floor(rand() * 11);
  for (let k = 1; k <= extra; k++) {
    const r = rand();
    const type = r < 0.45 ? "varchar" : r < 0.65 ? "bigint" : r < 0.8 ? "double" : r < 0.92 ? "date" : "boolean";
    const pool = type === "varchar" ? VARCHAR_TAGS : type === "bigint" || type === "double" ? NUMBER_TAGS : type === "date" ? DATE_TAGS : [];
    const tags = pool.length && rand() < 0.35 ? [pool[Math.floor(rand() * pool.length)]!] : [];
    cols.push({ name: `c_${pad(k, 2)}`, type, tags });
  }
  return cols;
}

const group = (g: string) => ({ kind: "group" as const, group: g });
const attr = (key: string, value: string) => ({ kind: "attribute" as const, key, value });

function globalPolicy(k: number, rand: () => number) {
  const who =
    k % 3 === 0
      ? { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [group(`admins_d${pad(k % DOMAINS, 2)}`)] } }
      : k % 3 === 1
        ? { type: "ONLY", condition: { match: "any", terms: [attr("clearance", "low")] } }
        : { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [group("finance"), attr("clearance", "high")] } };
  if (k % 5 < 3) {
    const tag = COLUMN_TAGS[k % COLUMN_TAGS.length]!;
    const numeric = tag.startsWith("Finance.");
    const date = tag === "PII.DOB";
    const methods = numeric
      ? [{ method: "NULL" }, { method: "ROUND", n: 100 }]
      : date
        ? [{ method: "NULL" }, { method: "ROUND", unit: "year" }]
        : [{ method: "NULL" }, { method: "REDACT" }, { method: "HASH" }, { method: "SHOW_LAST", n: 4 }, { method: "SHOW_FIRST", n: 2 }];
    const mask = methods[Math.floor(rand() * methods.length)]!;
    return { name: `global mask ${k} on ${tag}`, scope: "GLOBAL", tag, who, action: { type: "MASK", target: { tag }, mask } };
  }
  const tag = k % 7 === 0 ? "Sensitivity.High" : `Domain.D${pad(k % DOMAINS, 2)}`;
  const r = rand();
  const filter =
    r < 0.5
      ? { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" }
      : r < 0.75
        ? { kind: "MATCH_GROUP", column: "dept" }
        : { kind: "TIME_WINDOW", column: "created_at", amount: 3650, unit: "day" };
  return { name: `global filter ${k} on ${tag}`, scope: "GLOBAL", tag, who, action: { type: "ROW_FILTER", filter } };
}

function localPolicy(k: number, dataSourceId: string, rand: () => number) {
  const r = rand();
  const who =
    r < 0.4
      ? { type: "EVERYONE" }
      : r < 0.7
        ? { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [group(`dept_${pad(Math.floor(rand() * 50), 2)}`)] } }
        : { type: "ONLY", condition: { match: "all", terms: [attr("clearance", CLEARANCE[Math.floor(rand() * 3)]!)] } };
  const base = { name: `local policy ${k}`, scope: "LOCAL", dataSourceId, who };
  const m = rand();
  if (m < 0.6) {
    const choice = Math.floor(rand() * 5);
    const action =
      choice === 0
        ? { type: "MASK", target: { columns: ["name"] }, mask: { method: "SHOW_FIRST", n: 1 } }
        : choice === 1
          ? { type: "MASK", target: { columns: ["phone"] }, mask: { method: "SHOW_LAST", n: 4 } }
          : choice === 2
            ? { type: "MASK", target: { columns: ["status"] }, mask: { method: "REDACT" } }
            : choice === 3
              ? { type: "MASK", target: { columns: ["amount"] }, mask: { method: "ROUND", n: 10 } }
              : { type: "MASK", target: { columns: ["created_at"] }, mask: { method: "ROUND", unit: "month" } };
    return { ...base, action };
  }
  const f = rand();
  const filter =
    f < 0.5
      ? { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" }
      : f < 0.8
        ? { kind: "MATCH_ATTRIBUTE", column: "dept", key: "dept" }
        : { kind: "TIME_WINDOW", column: "created_at", amount: 365, unit: "day" };
  return { ...base, action: { type: "ROW_FILTER", filter } };
}

export async function seed(opts: { plan: SeedPlan; database: string; trino: TrinoTarget; consoleUrl: string; log: (s: string) => void }): Promise<SeedManifest> {
  const { plan, log } = opts;
  const { getDb } = await import("../../lib/server/db");
  const { governanceWrite } = await import("../../lib/server/governance");
  const people = await import("../../lib/server/people");
  const { importUsers, IMPORT_MAX_USERS } = await import("../../lib/server/people-import");
  const { updateIntegration } = await import("../../lib/server/integration");
  const { registerDataSource } = await import("../../lib/server/data-sources");
  const { registerFromTrino } = await import("../../lib/server/data-source-registration");
  const { createPolicy } = await import("../../lib/server/policies");
  const { addSubscriber } = await import("../../lib/server/subscriptions");
  const { hashPassword } = await import("../../lib/server/passwords");

  const db = await getDb();
  const rand = mulberry32(20261127);
  const seconds: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (step: string) => {
    const t = performance.now();
    seconds[step] = Math.round((t - t0) / 100) / 10;
    log(`seeded ${step} in ${seconds[step]}s`);
    t0 = t;
  };

  // The first administrator, as the product's own demo seed creates its personas (a system write).
  const adminRow = await governanceWrite(
    null,
    { bumpEpoch: true },
    async (tx) => tx.user.create({ data: { username: "bench_admin", roles: ["ADMIN"], passwordHash: await hashPassword(PERSONA_PASSWORD) } }),
    (u) => ({ action: "user.create", targetType: "user", targetId: u.id, details: { username: u.username, source: "bench:scale" } }),
  );
  const admin: Actor = { id: adminRow.id, username: "bench_admin", roles: ["ADMIN"] };
  await updateIntegration(admin, { trinoUrl: opts.trino.url, serviceUser: "steward", governedCatalog: "governed", consoleUrl: opts.consoleUrl });

  for (const g of ["finance", "hr", "analysts", "wide_readers"]) await people.createGroup(admin, { name: g });
  const persona = async (username: string, roles: ("ADMIN" | "DATA_OWNER" | "GOVERNOR")[], groups: string[] = [], attributes: { key: string; value: string }[] = []) => {
    const u = await people.createUser(admin, { username, password: PERSONA_PASSWORD, roles, groups, attributes });
    return { id: u.id, username: u.username, roles } as Actor;
  };
  const governor = await persona("bench_governor", ["GOVERNOR"]);
  const owners: Actor[] = [];
  for (let i = 0; i < 10; i++) owners.push(await persona(`bench_owner_${pad(i, 2)}`, ["DATA_OWNER"]));
  const reader = await persona("bench_reader", [], ["analysts"], [
    { key: "region", value: "EU" },
    { key: "region", value: "US" },
    { key: "clearance", value: "medium" },
    { key: "priority", value: "1-URGENT" },
    { key: "priority", value: "2-HIGH" },
  ]);
  const wide = await persona("bench_wide", [], ["wide_readers", "analysts"], [
    { key: "region", value: "EU" },
    { key: "clearance", value: "medium" },
  ]);
  lap("personas");

  // 100,000 users with groups and attributes, 1,000 per import (one transaction, audit event and epoch bump each).
  const usernames: string[] = [];
  for (let start = 0; start < plan.users; start += IMPORT_MAX_USERS) {
    const users = [];
    for (let i = start; i < Math.min(plan.users, start + IMPORT_MAX_USERS); i++) {
      const username = `user_${pad(i, 6)}`;
      usernames.push(username);
      const dept = Math.floor(rand() * 50);
      const groups = [`dept_${pad(dept, 2)}`];
      const teams = Math.floor(rand() * 3);
      for (let t = 0; t < teams; t++) groups.push(`team_${pad(Math.floor(rand() * 200), 3)}`);
      const r = rand();
      if (r < 0.05) groups.push("finance");
      else if (r < 0.08) groups.push("hr");
      else if (r < 0.3) groups.push("analysts");
      if (rand() < 0.02) groups.push(`admins_d${pad(Math.floor(rand() * DOMAINS), 2)}`);
      const attributes = [
        { key: "region", value: REGIONS[Math.floor(rand() * REGIONS.length)]! },
        { key: "dept", value: `dept_${pad(dept, 2)}` },
        { key: "clearance", value: CLEARANCE[Math.floor(rand() * 3)]! },
      ];
      if (rand() < 0.2) attributes.push({ key: "region", value: REGIONS[Math.floor(rand() * REGIONS.length)]! });
      if (rand() < 0.5) attributes.push({ key: "cost_center", value: `cc-${pad(Math.floor(rand() * 500), 3)}` });
      users.push({ username, displayName: `User ${i}`, groups, attributes });
    }
    await importUsers(admin, { users, createGroups: true });
    if ((start / IMPORT_MAX_USERS) % 10 === 9) log(`  imported ${start + users.length} users`);
  }
  lap("users");

  // GLOBAL policies first: each registration below then checks every one its tags bring (validateGlobalPoliciesFor).
  const nGlobal = Math.round(plan.policies * 0.25);
  for (let k = 0; k < nGlobal; k++) await createPolicy(governor, globalPolicy(k, rand));
  lap("global policies");

  // Data sources: half of them (up to 5,000) in one schema for the SHOW TABLES persona, the rest over 50 schemas.
  const specs = Array.from({ length: plan.dataSources }, (_, i) => {
    const schema = i < plan.wideViews ? WIDE_SCHEMA : `dom_${pad((i - plan.wideViews) % REGULAR_SCHEMAS, 2)}`;
    const name = `t_${pad(i, 5)}`;
    const tags = [`Domain.D${pad(i % DOMAINS, 2)}`, ...(rand() < 0.3 ? ["Sensitivity.High"] : [])];
    const s = rand();
    const subscription =
      s < 0.45
        ? { type: "APPROVAL" as const }
        : s < 0.65
          ? { type: "OPEN" as const }
          : s < 0.9
            ? {
                type: "AUTO" as const,
                condition:
                  rand() < 0.5
                    ? { match: "any", terms: [group(`dept_${pad(Math.floor(rand() * 50), 2)}`)] }
                    : { match: "all", terms: [attr("region", REGIONS[Math.floor(rand() * REGIONS.length)]!), attr("clearance", "high")] },
              }
            : { type: "MANUAL" as const, maxDays: 365 };
    return {
      owner: owners[i % owners.length]!,
      input: {
        backing: { catalog: "memory", schema: `bench_${schema}`, table: name },
        governedSchema: schema,
        name,
        description: `Scale bench data source ${i}`,
        tags,
        columns: columnsFor(rand),
        subscription,
      },
    };
  });
  const ids = await pool(specs, 4, async (s) => (await registerDataSource(s.owner, s.input)).id, (n) => log(`  registered ${n} data sources`));
  lap("data sources");

  // The tables the bench queries: registered from Trino (columns read from Trino by the product).
  const realIds: Record<string, string> = {};
  for (const t of ["t1", "t2", "t3"]) {
    const r = await registerFromTrino(owners[0]!, {
      backing: { catalog: "memory", schema: REAL_SCHEMA, table: t },
      governedSchema: REAL_SCHEMA,
      name: t,
      tags: ["Domain.Real"],
      owners: [],
      columnTags: [
        { name: "name", tags: ["PII.Name"] },
        { name: "email", tags: ["PII.Email"] },
        { name: "amount", tags: ["Finance.Amount"] },
      ],
      subscription: { type: "APPROVAL" },
    });
    realIds[t] = r.id;
  }
  const [tpchSchema, tpchName] = TPCH_VIEW.split(".") as [string, string];
  const tpch = await registerFromTrino(owners[0]!, {
    backing: { catalog: "tpch", schema: "sf1", table: "orders" },
    governedSchema: tpchSchema,
    name: tpchName,
    tags: [],
    owners: [],
    columnTags: [],
    subscription: { type: "MANUAL" },
  });
  await createPolicy(owners[0]!, {
    name: "orders: clerk shows its last 4 characters",
    scope: "LOCAL",
    dataSourceId: tpch.id,
    who: { type: "EVERYONE" },
    action: { type: "MASK", target: { columns: ["clerk"] }, mask: { method: "SHOW_LAST", n: 4 } },
  });
  await createPolicy(owners[0]!, {
    name: "orders: the user's priorities only",
    scope: "LOCAL",
    dataSourceId: tpch.id,
    who: { type: "EVERYONE" },
    action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "orderpriority", key: "priority" } },
  });
  for (const id of [...Object.values(realIds), tpch.id]) await addSubscriber(owners[0]!, id, reader.username);
  lap("queried tables");

  // LOCAL policies on random data sources, by their owners.
  const nLocal = Math.max(0, plan.policies - nGlobal - 2);
  const locals = Array.from({ length: nLocal }, (_, k) => {
    const i = Math.floor(rand() * plan.dataSources);
    return { owner: specs[i]!.owner, policy: localPolicy(k, ids[i]!, rand) };
  });
  await pool(locals, 4, (l) => createPolicy(l.owner, l.policy), (n) => log(`  created ${n} local policies`));
  lap("local policies");

  // The SHOW TABLES persona: subscribed to every view of the wide schema.
  const wideItems = specs.slice(0, plan.wideViews).map((s, i) => ({ owner: s.owner, id: ids[i]! }));
  await pool(wideItems, 4, (w) => addSubscriber(w.owner, w.id, wide.username), (n) => log(`  subscribed the wide persona to ${n} views`));
  lap("wide subscriptions");

  // Ordinary users: a sample, each subscribed to 10 views of the regular schemas (the latency workload).
  const step = Math.max(1, Math.floor(plan.users / plan.sampleUsers));
  const sample = Array.from({ length: plan.sampleUsers }, (_, k) => usernames[k * step]!);
  const pairs: [string, string, string][] = [];
  const subs: { owner: Actor; id: string; user: string }[] = [];
  for (const user of sample) {
    const chosen = new Set<number>();
    while (chosen.size < plan.subscriptionsPerSampleUser) chosen.add(plan.wideViews + Math.floor(rand() * (plan.dataSources - plan.wideViews)));
    for (const i of chosen) {
      subs.push({ owner: specs[i]!.owner, id: ids[i]!, user });
      pairs.push([user, specs[i]!.input.governedSchema, specs[i]!.input.name]);
    }
  }
  await pool(subs, 4, (s) => addSubscriber(s.owner, s.id, s.user), (n) => log(`  subscribed sample users: ${n}`));
  lap("sample subscriptions");

  const counts = {
    users: await db.user.count(),
    groups: await db.group.count(),
    userAttributes: await db.userAttribute.count(),
    groupMemberships: await db.groupMember.count(),
    dataSources: await db.dataSource.count(),
    columns: await db.dataSourceColumn.count(),
    policies: await db.dataPolicy.count(),
    globalPolicies: await db.dataPolicy.count({ where: { scope: "GLOBAL" } }),
    subscriptions: await db.subscription.count(),
    tags: await db.tag.count(),
    auditEvents: await db.auditEvent.count(),
  };
  return {
    plan,
    database: opts.database,
    seededAt: new Date().toISOString(),
    seconds,
    counts,
    personas: { admin: admin.username, governor: governor.username, reader: reader.username, wide: wide.username, owners: owners.map((o) => o.username), password: PERSONA_PASSWORD },
    wideSchema: WIDE_SCHEMA,
    realSchema: REAL_SCHEMA,
    realViews: ["t1", "t2", "t3"],
    realDataSourceIds: realIds,
    tpchView: TPCH_VIEW,
    samplePairs: pairs,
  };
}
