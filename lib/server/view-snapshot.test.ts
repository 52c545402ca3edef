// The view API's snapshot (issue #9) on a real, throwaway PostgreSQL: answers equal a fresh compile from the
// database, a write through one console process is seen by another at its next request, a revoked key is refused
// at once, subscriptions expire on the clock without any write, the bulk listing equals the per-view answers,
// concurrent first requests load once, and a warm definition request makes one query: the epoch read.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compile } from "@/lib/policy";
import { createTempPgDatabase } from "./db/test-helpers";
import type { Actor } from "./actor";
import type { PrismaClient } from "./db";

// Sessions are not under test here (each function takes its actor); next-auth does not load outside Next.
vi.mock("./auth", () => ({ auth: async () => null }));

type Mod = {
  db: PrismaClient;
  closeDb: typeof import("./db").closeDb;
  people: typeof import("./people");
  projects: typeof import("./projects");
  dataSources: typeof import("./data-sources");
  dataSourceTags: typeof import("./data-source-tags");
  policies: typeof import("./policies");
  subscriptions: typeof import("./subscriptions");
  integration: typeof import("./integration");
  bootstrap: typeof import("./bootstrap");
  userContext: typeof import("./user-context");
  viewApi: typeof import("./view-api");
  snap: typeof import("./view-snapshot");
  routes: {
    epoch: typeof import("@/app/api/trino/v1/epoch/route");
    hashKey: typeof import("@/app/api/trino/v1/hash-key/route");
    schemas: typeof import("@/app/api/trino/v1/users/[user]/schemas/route");
    views: typeof import("@/app/api/trino/v1/users/[user]/schemas/[schema]/views/route");
    view: typeof import("@/app/api/trino/v1/users/[user]/schemas/[schema]/views/[view]/route");
    listing: typeof import("@/app/api/trino/v1/users/[user]/views/route");
  };
};
let mod: Mod;
let drop: () => Promise<void>;
let databaseUrl: string;
const readers: { close(): Promise<void> }[] = [];
const states: { close(): void }[] = [];

const actor = (username: string, roles: Actor["roles"]): Actor => ({ id: "", username, roles });
const root = actor("root", ["ADMIN"]);
const olivia = actor("olivia", ["DATA_OWNER"]);
const gwen = actor("gwen", ["GOVERNOR"]);
const alice = actor("alice", []);
const bob = actor("bob", []);
const carol = actor("carol", []);
const ids: Record<string, string> = {};
let apiKey = "";

const USERS = ["alice", "bob", "carol", "olivia", "nobody"];
const VIEWS = [
  ["hr", "employees"],
  ["hr", "salaries"],
  ["sales", "orders"],
  ["sales", "leads"],
  ["ops", "logs"],
  ["ops", "archive"],
] as const;

beforeAll(async () => {
  const temp = await createTempPgDatabase("steward_snapshot");
  drop = temp.drop;
  databaseUrl = temp.url;
  process.env.DATABASE_URL = temp.url;
  process.env.STEWARD_DB_QUIET = "1";
  const dbModule = await import("./db");
  mod = {
    db: await dbModule.getDb(),
    closeDb: dbModule.closeDb,
    people: await import("./people"),
    projects: await import("./projects"),
    dataSources: await import("./data-sources"),
    dataSourceTags: await import("./data-source-tags"),
    policies: await import("./policies"),
    subscriptions: await import("./subscriptions"),
    integration: await import("./integration"),
    bootstrap: await import("./bootstrap"),
    userContext: await import("./user-context"),
    viewApi: await import("./view-api"),
    snap: await import("./view-snapshot"),
    routes: {
      epoch: await import("@/app/api/trino/v1/epoch/route"),
      hashKey: await import("@/app/api/trino/v1/hash-key/route"),
      schemas: await import("@/app/api/trino/v1/users/[user]/schemas/route"),
      views: await import("@/app/api/trino/v1/users/[user]/schemas/[schema]/views/route"),
      view: await import("@/app/api/trino/v1/users/[user]/schemas/[schema]/views/[view]/route"),
      listing: await import("@/app/api/trino/v1/users/[user]/views/route"),
    },
  };
  const { db, people, projects, dataSources, policies, subscriptions, integration } = mod;
  for (const a of [root, olivia, gwen]) a.id = (await db.user.create({ data: { username: a.username, roles: a.roles } })).id;
  // Nothing here may need Trino: point the console at a port where nothing listens (a call would be a 502).
  await db.integration.upsert({ where: { id: 1 }, create: { id: 1, trinoUrl: "http://127.0.0.1:9", hashKey: "test-hash-key" }, update: {} });
  await people.createGroup(root, { name: "analysts" });
  alice.id = (await people.createUser(root, { username: "alice", password: "long-enough", groups: ["analysts"], attributes: [{ key: "region", value: "EU" }] })).id;
  bob.id = (await people.createUser(root, { username: "bob", password: "long-enough", attributes: [{ key: "region", value: "US" }] })).id;
  carol.id = (await people.createUser(root, { username: "carol", password: "long-enough" })).id;

  const register = async (schema: string, name: string, columns: { name: string; type: string; tags?: string[] }[], subscription: object, extra: object = {}) => {
    const ds = await dataSources.registerDataSource(olivia, {
      backing: { catalog: "memory", schema: "src", table: `${schema}_${name}` },
      governedSchema: schema,
      name,
      columns,
      subscription,
      ...extra,
    } as never);
    ids[`${schema}.${name}`] = ds.id;
  };
  await register(
    "hr",
    "employees",
    [
      { name: "id", type: "bigint" },
      { name: "email", type: "varchar", tags: ["PII.Email"] },
      { name: "region", type: "varchar(8)" },
      { name: "hired", type: "timestamp(3)" },
    ],
    { type: "OPEN" },
    { tags: ["HR"], description: "Employees with PII." },
  );
  await register("hr", "salaries", [{ name: "id", type: "bigint" }, { name: "salary", type: "decimal(12,2)", tags: ["PII.Salary"] }], { type: "APPROVAL" });
  await register("sales", "orders", [{ name: "id", type: "bigint" }, { name: "region", type: "varchar" }, { name: "amount", type: "double" }], {
    type: "AUTO",
    condition: { match: "any", terms: [{ kind: "group", group: "analysts" }] },
  });
  await register("sales", "leads", [{ name: "id", type: "bigint" }, { name: "email", type: "varchar", tags: ["PII.Email"] }], { type: "OPEN", maxDays: 1 });
  await register("ops", "logs", [{ name: "id", type: "bigint" }, { name: "msg", type: "varchar" }], { type: "MANUAL" });
  await register("ops", "archive", [{ name: "id", type: "bigint" }], { type: "OPEN" });

  const policy = (p: object) => policies.createPolicy(gwen, p);
  await policy({ name: "null pii", scope: "GLOBAL", tag: "PII", who: { type: "EVERYONE" }, action: { type: "MASK", target: { tag: "PII" }, mask: { method: "NULL" } } });
  await policy({
    name: "hash email for analysts",
    scope: "GLOBAL",
    tag: "PII.Email",
    who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "analysts" }] } },
    action: { type: "MASK", target: { tag: "PII.Email" }, mask: { method: "HASH" } },
  });
  await policy({ name: "unused tag", scope: "GLOBAL", tag: "Finance", who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["id"] }, mask: { method: "NULL" } } });
  await policy({ name: "own region", scope: "LOCAL", dataSourceId: ids["hr.employees"], who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } } });
  await policy({ name: "recent hires", scope: "LOCAL", dataSourceId: ids["hr.employees"], who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "TIME_WINDOW", column: "hired", amount: 30, unit: "day" } } });
  await policy({
    name: "hr for auditors",
    scope: "GLOBAL",
    tag: "HR",
    who: { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "purpose", purpose: "audit" }] } },
    action: { type: "MASK", target: { columns: ["region"] }, mask: { method: "REDACT" } },
  });
  await policy({ name: "archived off", scope: "LOCAL", dataSourceId: ids["ops.archive"], who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "PURPOSE_RESTRICT", purposes: ["audit"] } } });

  for (const a of [alice, bob, carol]) await subscriptions.requestSubscription(a, ids["hr.employees"]);
  await subscriptions.requestSubscription(bob, ids["sales.leads"]);
  await subscriptions.requestSubscription(carol, ids["ops.archive"]);
  const pending = await subscriptions.requestSubscription(alice, ids["hr.salaries"], "payroll");
  await subscriptions.approveSubscription(olivia, pending.id);
  await subscriptions.requestSubscription(bob, ids["hr.salaries"], "curious"); // stays PENDING
  await subscriptions.addSubscriber(olivia, ids["ops.logs"], "carol");
  const project = await projects.createProject(root, { name: "research", purposes: [{ name: "audit", statement: "I audit the records." }], members: ["carol"] });
  const purpose = await db.purpose.findUniqueOrThrow({ where: { name: "audit" } });
  await projects.acknowledgePurpose(carol, { purposeId: purpose.id });
  ids.research = project.id;
  // the project holds one data source: working in it, carol sees only that one
  await projects.addProjectDataSource(root, { projectId: project.id, dataSourceId: ids["ops.archive"] });
  apiKey = (await integration.createApiKey(root, "connector")).key;
});

afterAll(async () => {
  for (const s of states) s.close();
  for (const r of readers) await r.close().catch(() => {});
  await mod?.closeDb();
  await drop?.();
});

// ---------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------

/** A console process's view state over the test database, counting the queries it makes. */
function processState(opts: Partial<import("./view-snapshot").ViewStateOptions> = {}, listen = false) {
  const calls: string[] = [];
  const log: unknown[] = [];
  let epochReads = 0;
  const prisma = mod.db.$extends({
    query: {
      $allOperations({ model, operation, args, query }) {
        calls.push(`${model ?? "$"}.${operation}`);
        log.push(args);
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  const reader = mod.snap.epochReader(mod.db, databaseUrl);
  readers.push(reader);
  const state = new mod.snap.ViewState(
    {
      prisma,
      isolation: "RepeatableRead",
      readEpoch: () => {
        epochReads++;
        return reader.read();
      },
      ...(listen ? { listenEpoch: reader.listen } : {}),
    },
    opts,
  );
  states.push(state);
  return {
    state,
    calls,
    /** the arguments of each call, as `calls` */
    log,
    /** the queries made, but for the once-a-minute lastUsedAt write of the key (fired, never waited for) */
    queries: () => calls.filter((c) => c !== "ApiKey.update"),
    get epochReads() {
      return epochReads;
    },
    /** What one request answers: the epoch read, auth, then the body (or the error code). */
    async request<T>(fn: (s: import("./view-snapshot").Snapshot, now: Date) => Promise<T>, key = apiKey) {
      const { epoch, snapshot } = await state.begin();
      if (!(await snapshot.authenticate(mod.viewApi.hashApiKey(key)))) return { epoch, code: "UNAUTHORIZED" as const };
      try {
        return { epoch, ...(await fn(snapshot, state.now())) };
      } catch (e) {
        if (e instanceof mod.snap.ViewApiError) return { epoch, code: e.code };
        throw e;
      }
    },
  };
}

const epochNow = async () => (await mod.db.epoch.findUnique({ where: { id: 1 } }))?.value ?? 0;

/** The view API before snapshots: everything from the database, compiled on the spot. */
async function freshView(username: string, schema: string, view: string, project: string | null, now: Date) {
  const { db, viewApi, userContext, integration } = mod;
  const user = await userContext.loadUserContext(db, username, project);
  if (!user) return { code: "UNKNOWN_USER" };
  const sources = await db.dataSource.findMany({ where: { status: "ACTIVE", governedSchema: schema, name: view }, include: viewApi.dataSourceInclude });
  const subs = await db.subscription.findMany({ where: { userId: user.id } });
  const owned = new Set((await db.dataSourceOwner.findMany({ where: { userId: user.id } })).map((o) => o.dataSourceId));
  const ds = sources.find(
    (s) =>
      (user.scope === null || user.scope.includes(s.id)) &&
      (owned.has(s.id) || viewApi.isVisible(s, subs.find((x) => x.dataSourceId === s.id), user.context, now)),
  );
  if (!ds) return { code: "NO_SUCH_VIEW" };
  const row = await integration.getIntegration(db);
  const compiled = compile(viewApi.toDataSourceInput(ds), await viewApi.loadPolicyInputs(db, ds.id), user.context, {
    hashKeyFrom: { ...viewApi.HASH_KEY_TABLE, catalog: row.governedCatalog },
  });
  return {
    view: {
      sql: compiled.sql,
      columns: compiled.columns,
      owner: row.serviceUser,
      comment: ds.description ?? `Steward data source ${ds.governedSchema}.${ds.name}`,
      applied: mod.snap.toAppliedRules(compiled.applied, user.project),
    },
  };
}

async function freshSchemas(username: string, project: string | null, now: Date) {
  const out = new Set<string>();
  for (const [schema, view] of VIEWS) {
    const r = await freshView(username, schema, view, project, now);
    if (r.code === "UNKNOWN_USER") return { code: "UNKNOWN_USER" };
    if (r.view) out.add(schema);
  }
  return { schemas: [...out].sort() };
}

const withoutEpoch = <T extends { epoch?: number }>({ epoch: _epoch, ...rest }: T) => rest;

type Params = Record<string, string>;
async function call(handler: (req: Request, ctx: { params: Promise<Params> }) => Promise<Response>, path: string, params: Params, key: string | null = apiKey) {
  const req = new Request(`http://127.0.0.1:3000${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, cacheControl: res.headers.get("cache-control"), body: (await res.json()) as Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------------------

describe("owners", () => {
  it("an owner reads their own data sources without a subscription (MANUAL and APPROVAL ones included), with no end in time", async () => {
    const p = processState();
    const all = VIEWS.map(([s, n]) => `${s}.${n}`);
    const listed = await p.request((s, t) => s.listing("olivia", null, null, t));
    expect("views" in listed ? listed.views.map((v) => `${v.schema}.${v.name}`).sort() : listed).toEqual([...all].sort());
    expect(await p.request((s, t) => s.view("olivia", "ops", "logs", null, t))).toMatchObject({ validUntil: null });
    // not someone else's: gwen (a governor, owning nothing, subscribed to nothing) sees none of them
    expect(await p.request((s, t) => s.view("gwen", "ops", "logs", null, t))).toMatchObject({ code: "NO_SUCH_VIEW" });
  });
});

describe("project-scoped data sources", () => {
  it("working in a project (session or current), a member sees only its data sources; a non-member naming it sees nothing", async () => {
    const p = processState();
    const schemas = async (user: string, project: string | null) => {
      const r = await p.request((s, t) => s.schemas(user, project, t));
      return "schemas" in r ? r.schemas : r.code;
    };
    expect(await schemas("carol", null)).toEqual(["hr", "ops"]);
    expect(await schemas("carol", "research")).toEqual(["ops"]);
    expect(await p.request((s, t) => s.views("carol", "ops", "research", t))).toMatchObject({ views: ["archive"] });
    expect(await p.request((s, t) => s.view("carol", "ops", "logs", "research", t))).toMatchObject({ code: "NO_SUCH_VIEW" });
    expect(await schemas("alice", "research")).toEqual([]);
    // the current project counts when no session project is named, from the next request (epoch bump)
    await mod.projects.switchCurrentProject(carol, { projectId: ids.research! });
    expect(await schemas("carol", null)).toEqual(["ops"]);
    await mod.projects.switchCurrentProject(carol, { projectId: null });
    expect(await schemas("carol", null)).toEqual(["hr", "ops"]);
    // adding a data source to the project shows it at once; removing hides it again
    await mod.projects.addProjectDataSource(root, { projectId: ids.research!, dataSourceId: ids["hr.employees"]! });
    expect(await schemas("carol", "research")).toEqual(["hr", "ops"]);
    await expect(mod.projects.addProjectDataSource(root, { projectId: ids.research!, dataSourceId: ids["hr.employees"]! })).rejects.toMatchObject({ status: 409 });
    await mod.projects.removeProjectDataSource(root, { projectId: ids.research!, dataSourceId: ids["hr.employees"]! });
    expect(await schemas("carol", "research")).toEqual(["ops"]);
    await expect(mod.projects.addProjectDataSource(olivia, { projectId: ids.research!, dataSourceId: ids["hr.employees"]! })).rejects.toMatchObject({ status: 403 });
  });
});

describe("answers from the snapshot", () => {
  it("equal a fresh compile from the database, for every user, view and session project (404s included)", async () => {
    const p = processState();
    const now = new Date();
    let compared = 0;
    for (const username of USERS) {
      for (const project of [null, "research"]) {
        for (const [schema, view] of VIEWS) {
          const got = withoutEpoch(await p.request((s, t) => s.view(username, schema, view, project, t)));
          const want = await freshView(username, schema, view, project, now);
          if ("view" in got) expect({ view: got.view }, `${username} ${project} ${schema}.${view}`).toEqual(want);
          else expect(got, `${username} ${project} ${schema}.${view}`).toEqual(want);
          compared++;
        }
        const schemas = withoutEpoch(await p.request((s, t) => s.schemas(username, project, t)));
        const want = await freshSchemas(username, project, now);
        const got: unknown = "schemas" in schemas ? { schemas: schemas.schemas } : schemas;
        expect(got, `${username} ${project} schemas`).toEqual(want);
      }
    }
    expect(compared).toBe(USERS.length * 2 * VIEWS.length);
    // the fixture exercises what it should: masks, row filters, purposes, AUTO, approvals, MANUAL
    const alicesEmployees = await freshView("alice", "hr", "employees", null, now);
    expect(alicesEmployees.view?.sql).toContain("hash_key");
    expect(alicesEmployees.view?.sql).toContain("'EU'");
    expect((await freshView("alice", "sales", "orders", null, now)).view).toBeDefined();
    expect((await freshView("bob", "sales", "orders", null, now)).code).toBe("NO_SUCH_VIEW");
    expect((await freshView("bob", "hr", "salaries", null, now)).code).toBe("NO_SUCH_VIEW");
    expect((await freshView("carol", "ops", "archive", "research", now)).view?.sql).not.toBe((await freshView("carol", "ops", "archive", null, now)).view?.sql);
  });

  it("TIME_WINDOW compiles to SQL that reads the clock in Trino: nothing time-driven for the console", async () => {
    const p = processState();
    const r = await p.request((s, t) => s.view("bob", "hr", "employees", null, t));
    expect(r).toMatchObject({ validUntil: null });
    expect("view" in r && r.view.sql).toContain("current_timestamp");
  });

  it("a warm definition request makes one query, the epoch read (and nothing for another user's first request but their own rows)", async () => {
    const p = processState();
    await p.request((s, t) => s.view("alice", "hr", "employees", null, t));
    const [calls, reads] = [p.queries().length, p.epochReads];
    for (let i = 0; i < 5; i++) await p.request((s, t) => s.view("alice", "hr", "employees", null, t));
    await p.request((s, t) => s.schemas("alice", null, t));
    await p.request((s, t) => s.listing("alice", null, null, t));
    expect(p.queries().length).toBe(calls);
    expect(p.epochReads).toBe(reads + 7);
    // bob's first request loads bob (his user row and subscriptions), nothing shared
    await p.request((s, t) => s.view("bob", "hr", "employees", null, t));
    const bobs = p.queries().slice(calls);
    expect(bobs.length).toBeGreaterThan(0);
    expect(bobs.every((c) => /^(User|Subscription|DataSourceOwner)\./.test(c)), bobs.join()).toBe(true);
  });

  it("concurrent first requests of a new epoch build the snapshot once and load each user once", async () => {
    const p = processState();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => p.request((s, t) => s.view(i % 2 ? "alice" : "bob", "hr", "employees", null, t))),
    );
    expect(new Set(answers.map((a) => a.epoch)).size).toBe(1);
    const count = (prefix: string) => p.calls.filter((c) => c.startsWith(prefix)).length;
    expect(count("DataPolicy.findMany")).toBe(1); // the data part: once
    expect(count("ApiKey.findMany")).toBe(1); // the key set: once
    expect(count("Subscription.findMany")).toBe(2); // one per user
    expect(count("DataSource.findMany")).toBe(2); // the (id, version) index and the details, once
  });

  it("labels a snapshot with the epoch read before it was loaded, never a later one", async () => {
    const p = processState();
    const before = await epochNow();
    const first = await p.state.begin();
    expect(first.epoch).toBe(before);
    await mod.people.createGroup(root, { name: "labelling" }); // bumps the epoch
    const second = await p.state.begin();
    expect(second.epoch).toBe(before + 1);
    expect(second.snapshot).not.toBe(first.snapshot);
    expect(first.snapshot.epoch).toBe(before);
    expect(second.snapshot.epoch).toBe(before + 1);
    // a request that read the older epoch after the newer snapshot exists gets the newer (fresher) one
    expect(p.state.at(before)).toBe(second.snapshot);
  });
});

describe("two console processes over one database", () => {
  it("a write through one is seen by the other at its next request; unchanged data sources are reused", async () => {
    const a = processState();
    const b = processState();
    const ask = (p: ReturnType<typeof processState>) => p.request((s, t) => s.view("bob", "hr", "salaries", null, t));
    expect(await ask(a)).toMatchObject({ code: "NO_SUCH_VIEW" });
    expect(await ask(b)).toMatchObject({ code: "NO_SUCH_VIEW" });
    // approved through "process A"'s code path (any writer): both see it on their next request
    const pending = await mod.db.subscription.findFirstOrThrow({ where: { userId: bob.id, dataSourceId: ids["hr.salaries"] } });
    await mod.subscriptions.approveSubscription(olivia, pending.id);
    const [fromA, fromB] = [await ask(a), await ask(b)];
    expect(fromA).toMatchObject({ view: { columns: [{ name: "id" }, { name: "salary", type: "decimal(12,2)" }] } });
    expect(withoutEpoch(fromB)).toEqual(withoutEpoch(fromA));
    expect(fromA.epoch).toBe(await epochNow());

    // a policy change reaches the SQL in both
    const salaryBefore = "view" in fromA ? fromA.view.sql : "";
    const mask = await mod.policies.createPolicy(gwen, {
      name: "round salaries",
      scope: "LOCAL",
      dataSourceId: ids["hr.salaries"],
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["id"] }, mask: { method: "NULL" } },
    });
    b.calls.length = 0;
    const [afterA, afterB] = [await ask(a), await ask(b)];
    expect("view" in afterA && afterA.view.sql).not.toBe(salaryBefore);
    expect(withoutEpoch(afterB)).toEqual(withoutEpoch(afterA));
    expect(withoutEpoch(afterA)).toEqual({ ...(await freshView("bob", "hr", "salaries", null, new Date())), validUntil: null });
    // no data source changed: only the (id, version) index was read, no columns or tags
    expect(b.calls.filter((c) => /^(DataSourceColumn|ColumnTag|DataSourceTag)\./.test(c))).toEqual([]);
    await mod.policies.deletePolicy(gwen, mask.id);

    // a data source disabled through one disappears from the other's listings
    const orders = await mod.db.dataSource.findUniqueOrThrow({ where: { id: ids["sales.orders"] } });
    expect(await a.request((s, t) => s.views("alice", "sales", null, t))).toMatchObject({ views: ["orders"] });
    await mod.dataSources.setDataSourceStatus(olivia, orders.id, "DISABLED");
    expect(await b.request((s, t) => s.views("alice", "sales", null, t))).toMatchObject({ views: [] });
    expect(await a.request((s, t) => s.views("alice", "sales", null, t))).toMatchObject({ views: [] });
    await mod.dataSources.setDataSourceStatus(olivia, orders.id, "ACTIVE");
    expect(await a.request((s, t) => s.views("alice", "sales", null, t))).toMatchObject({ views: ["orders"] });
    expect(await b.request((s, t) => s.view("alice", "sales", "orders", null, t))).toEqual({
      epoch: await epochNow(),
      validUntil: null,
      ...(await freshView("alice", "sales", "orders", null, new Date())),
    });
  });

  it("a data source at a new version (re-sync: columns, tags) is reloaded in full; the others are reused", async () => {
    const a = processState();
    const ask = () => a.request((s, t) => s.view("carol", "ops", "logs", null, t));
    expect(await ask()).toMatchObject({ view: { columns: [{ name: "id" }, { name: "msg", type: "varchar" }] } });
    const { governanceWrite } = await import("./governance");
    const ds = await mod.db.dataSource.findUniqueOrThrow({ where: { id: ids["ops.logs"] } });
    // what applyResync and the tag editor do: claim the next version, change columns and tags, bump the epoch
    await governanceWrite(olivia, { bumpEpoch: true }, async (tx) => {
      await mod.dataSources.bumpDataSourceVersion(tx, ds.id, ds.version);
      await tx.dataSourceColumn.updateMany({ where: { dataSourceId: ds.id, name: "msg" }, data: { type: "varchar(200)" } });
      const tag = await tx.tag.upsert({ where: { name: "PII" }, create: { name: "PII" }, update: {} });
      const msg = await tx.dataSourceColumn.findFirstOrThrow({ where: { dataSourceId: ds.id, name: "msg" } });
      await tx.columnTag.create({ data: { columnId: msg.id, tagId: tag.id } });
    }, () => ({ action: "datasource.resync", targetType: "dataSource", targetId: ds.id }));
    a.calls.length = 0;
    a.log.length = 0;
    const after = await ask();
    // the GLOBAL NULL mask on PII now reaches msg, typed as the new column
    expect(after).toMatchObject({ view: { columns: [{ name: "id" }, { name: "msg", type: "varchar(200)" }] } });
    expect("view" in after && after.view.sql).toContain('CAST(NULL AS varchar(200)) AS "msg"');
    expect(withoutEpoch(after)).toEqual({ validUntil: null, ...(await freshView("carol", "ops", "logs", null, new Date())) });
    // details were read for that one data source only
    const columnReads = a.log.filter((_, i) => a.calls[i] === "DataSourceColumn.findMany");
    expect(columnReads).toEqual([expect.objectContaining({ where: { dataSource: { id: { in: [ds.id] } } } })]);
    const details = await a.state.at(await epochNow()).data();
    expect(details.byId.size).toBe(await mod.db.dataSource.count({ where: { status: "ACTIVE" } }));
  });

  it("a revoked key is refused at once by every process; a new key is accepted at once", async () => {
    const a = processState();
    const b = processState();
    const warm = await a.request(async () => ({})); // a snapshot with this epoch's key set
    const created = await mod.integration.createApiKey(root, "short-lived");
    const epoch = (p: ReturnType<typeof processState>) => p.request(async () => ({}), created.key);
    // adding a key moves no epoch (nobody's compiled views are dropped): the snapshot looks the new hash up once
    expect(await epoch(a)).toEqual({ epoch: warm.epoch });
    expect(await epoch(a)).not.toHaveProperty("code");
    expect(await epoch(b)).not.toHaveProperty("code");
    await mod.integration.revokeApiKey(root, created.id);
    expect(await epoch(a)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await epoch(b)).toMatchObject({ code: "UNAUTHORIZED" });
    // the HTTP route says 401 with the existing message
    expect(await call(mod.routes.epoch.GET, "/api/trino/v1/epoch", {}, created.key)).toMatchObject({
      status: 401,
      body: { error: "The API key is not valid or was revoked.", code: "UNAUTHORIZED" },
    });
  });

  it("a key created without an epoch bump (another process's bootstrap key) is still accepted, and still revocable", async () => {
    const a = processState();
    await a.request(async () => ({})); // warm: the key set of this epoch is loaded
    const key = "stw_bootstrap_key_for_snapshot_test";
    expect(await mod.bootstrap.ensureBootstrapApiKey(key)).toBe("created");
    expect(await a.request(async () => ({}), key)).not.toHaveProperty("code");
    const row = await mod.db.apiKey.findUniqueOrThrow({ where: { hash: mod.viewApi.hashApiKey(key) } });
    await mod.integration.revokeApiKey(root, row.id);
    expect(await a.request(async () => ({}), key)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await a.request(async () => ({}), "stw_never_issued")).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("time-driven changes", () => {
  it("an expired subscription disappears at its expiry without any write; validUntil names it beforehand", async () => {
    let clock = new Date();
    const p = processState({ now: () => clock });
    const sub = await mod.db.subscription.findFirstOrThrow({ where: { userId: bob.id, dataSourceId: ids["sales.leads"] } });
    const expiry = sub.expiresAt!;
    expect(expiry.getTime()).toBeGreaterThan(clock.getTime()); // OPEN with maxDays 1: a day from the request
    const iso = expiry.toISOString();

    expect(await p.request((s, t) => s.view("bob", "sales", "leads", null, t))).toMatchObject({ validUntil: iso, view: {} });
    expect(await p.request((s, t) => s.views("bob", "sales", null, t))).toMatchObject({ validUntil: iso, views: ["leads"] });
    // bob's hr.employees has no expiry: the hr listing has nothing time-driven
    expect(await p.request((s, t) => s.views("bob", "hr", null, t))).toMatchObject({ validUntil: null });
    const schemas = await p.request((s, t) => s.schemas("bob", null, t));
    // hr stays (employees has no expiry), sales ends with leads
    expect(schemas).toMatchObject({ validUntil: iso, schemas: ["hr", "sales"] });
    const bulk = await p.request((s, t) => s.listing("bob", null, null, t));
    expect(bulk).toMatchObject({ validUntil: iso });

    const [epoch, calls] = [await epochNow(), p.queries().length];
    clock = new Date(expiry.getTime() - 1);
    expect(await p.request((s, t) => s.view("bob", "sales", "leads", null, t))).toMatchObject({ view: {} });
    clock = expiry;
    expect(await p.request((s, t) => s.view("bob", "sales", "leads", null, t))).toMatchObject({ code: "NO_SUCH_VIEW" });
    expect(await p.request((s, t) => s.views("bob", "sales", null, t))).toMatchObject({ validUntil: null, views: [] });
    expect(await p.request((s, t) => s.schemas("bob", null, t))).toMatchObject({ validUntil: null, schemas: ["hr"] });
    const after = await p.request((s, t) => s.listing("bob", null, null, t));
    expect("views" in after && after.views.map((v) => `${v.schema}.${v.name}`)).not.toContain("sales.leads");
    // no write, no reload: the clock alone did it
    expect(await epochNow()).toBe(epoch);
    expect(p.queries().length).toBe(calls);
    // and a fresh compile agrees
    expect(await freshView("bob", "sales", "leads", null, expiry)).toEqual({ code: "NO_SUCH_VIEW" });
  });

  it("a view shown by an AUTO condition has no end in time, even with an expiring subscription beside it", async () => {
    const p = processState();
    expect(await p.request((s, t) => s.view("alice", "sales", "orders", null, t))).toMatchObject({ validUntil: null });
    expect(await p.request((s, t) => s.views("alice", "sales", null, t))).toMatchObject({ validUntil: null, views: ["orders"] });
  });
});

describe("bulk listing", () => {
  it("equals the per-view answers, sorted by schema then name; ?schema narrows it", async () => {
    const p = processState();
    for (const username of ["alice", "bob", "carol"]) {
      for (const project of [null, "research"]) {
        const bulk = await p.request((s, t) => s.listing(username, project, null, t));
        if (!("views" in bulk)) throw new Error(`no listing for ${username}`);
        const names = bulk.views.map((v) => [v.schema, v.name]);
        expect(names).toEqual([...names].sort((x, y) => (x[0] + "\u0000" + x[1] < y[0] + "\u0000" + y[1] ? -1 : 1)));
        const schemas = await p.request((s, t) => s.schemas(username, project, t));
        expect("schemas" in schemas && schemas.schemas).toEqual([...new Set(names.map((n) => n[0]))]);
        for (const v of bulk.views) {
          const single = await p.request((s, t) => s.view(username, v.schema, v.name, project, t));
          expect({ schema: v.schema, name: v.name, ...("view" in single ? single.view : {}) }).toEqual(v);
        }
        for (const schema of ["hr", "sales", "ops", "none"]) {
          const narrowed = await p.request((s, t) => s.listing(username, project, schema, t));
          const views = await p.request((s, t) => s.views(username, schema, project, t));
          expect("views" in narrowed && narrowed.views).toEqual(bulk.views.filter((v) => v.schema === schema));
          expect("views" in views && views.views).toEqual(bulk.views.filter((v) => v.schema === schema).map((v) => v.name));
        }
      }
    }
    expect(await p.request((s, t) => s.listing("nobody", null, null, t))).toMatchObject({ code: "UNKNOWN_USER" });
  });
});

describe("the HTTP routes", () => {
  it("answer with the epoch, validUntil and no-store; the bulk route has the connector's contract", async () => {
    const epoch = await epochNow();
    const bulk = await call(mod.routes.listing.GET, "/api/trino/v1/users/Bob/views", { user: "Bob" });
    expect(bulk.status).toBe(200);
    expect(bulk.cacheControl).toBe("no-store");
    expect(Object.keys(bulk.body)).toEqual(["epoch", "validUntil", "views"]);
    expect(bulk.body.epoch).toBe(epoch);
    const views = bulk.body.views as Record<string, unknown>[];
    expect(views.map((v) => `${v.schema}.${v.name}`)).toEqual(["hr.employees", "hr.salaries", "sales.leads"]);
    expect(Object.keys(views[0]!)).toEqual(["schema", "name", "sql", "columns", "owner", "comment", "applied"]);
    expect(views[0]).toMatchObject({ owner: "steward", comment: "Employees with PII." });
    // what the compile applied, for the connector's query audit: the winning mask per column, the row filters
    const policyId = async (name: string) => (await mod.db.dataPolicy.findUniqueOrThrow({ where: { name } })).id;
    expect(views[0]!.applied).toEqual({
      project: null,
      columns: {
        email: { method: "NULL", policyId: await policyId("null pii"), policyName: "null pii" },
        region: { method: "REDACT", policyId: await policyId("hr for auditors"), policyName: "hr for auditors" },
      },
      rowFilters: [
        { policyId: await policyId("own region"), policyName: "own region", kind: "MATCH_ATTRIBUTE" },
        { policyId: await policyId("recent hires"), policyName: "recent hires", kind: "TIME_WINDOW" },
      ],
    });
    expect(bulk.body.validUntil).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const narrowed = await call(mod.routes.listing.GET, "/api/trino/v1/users/bob/views?schema=HR", { user: "bob" });
    expect((narrowed.body.views as { name: string }[]).map((v) => v.name)).toEqual(["employees", "salaries"]);
    expect(narrowed.body.validUntil).toBeNull();

    const single = await call(mod.routes.view.GET, "/api/trino/v1/users/bob/schemas/hr/views/employees", { user: "bob", schema: "hr", view: "employees" });
    expect(Object.keys(single.body)).toEqual(["epoch", "validUntil", "view"]);
    expect(single.body.view).toEqual(views[0] && { sql: views[0].sql, columns: views[0].columns, owner: views[0].owner, comment: views[0].comment, applied: views[0].applied });
    const schemas = await call(mod.routes.schemas.GET, "/api/trino/v1/users/bob/schemas", { user: "bob" });
    expect(schemas.body).toEqual({ epoch, validUntil: bulk.body.validUntil, schemas: ["hr", "sales"] });
    const inSales = await call(mod.routes.views.GET, "/api/trino/v1/users/bob/schemas/sales/views", { user: "bob", schema: "sales" });
    expect(inSales.body).toEqual({ epoch, validUntil: bulk.body.validUntil, views: ["leads"] });
    expect((await call(mod.routes.hashKey.GET, "/api/trino/v1/hash-key", {})).body).toEqual({ epoch, hashKey: "test-hash-key" });
    expect((await call(mod.routes.epoch.GET, "/api/trino/v1/epoch", {})).body).toEqual({ epoch });
  });

  it("keep the errors: 404 UNKNOWN_USER / NO_SUCH_VIEW, 401 without a key, 400 BAD_REQUEST before any query", async () => {
    expect(await call(mod.routes.listing.GET, "/api/trino/v1/users/mallory/views", { user: "mallory" })).toMatchObject({
      status: 404,
      body: { error: "user 'mallory' is not known to Steward", code: "UNKNOWN_USER" },
    });
    expect(await call(mod.routes.view.GET, "/api/trino/v1/users/bob/schemas/sales/views/orders", { user: "bob", schema: "sales", view: "orders" })).toMatchObject({
      status: 404,
      body: { error: "view sales.orders does not exist for 'bob'", code: "NO_SUCH_VIEW" },
    });
    expect(await call(mod.routes.listing.GET, "/api/trino/v1/users/bob/views", { user: "bob" }, null)).toMatchObject({
      status: 401,
      body: { error: "An API key is required (Authorization: Bearer <key>).", code: "UNAUTHORIZED" },
    });
    expect(await call(mod.routes.listing.GET, "/api/trino/v1/users/bob/views", { user: "bob" }, "stw_wrong")).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED" } });
    const bad = await call(mod.routes.listing.GET, "/api/trino/v1/users/bob/views?project=%00", { user: "bob" }, "stw_wrong");
    expect(bad).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
    const badParam = await call(mod.routes.schemas.GET, "/api/trino/v1/users/x/schemas", { user: "a\u0000b" }, "stw_wrong");
    expect(badParam).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
  });
});

describe("the fast lane (scripts/serve.mjs answers the connector's GETs before Next's router)", () => {
  /** A Node server like serve.mjs: the fast lane first, 599 for whatever it leaves to Next. */
  async function fastLane() {
    const { serveViewApi } = await import("./view-api-endpoints");
    const http = await import("node:http");
    const server = http.createServer((req, res) => {
      if (!serveViewApi(req, res)) res.writeHead(599).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
    const get = async (path: string, key: string | null = apiKey, init: RequestInit = {}) => {
      const res = await fetch(base + path, { ...init, headers: key === null ? {} : { authorization: `Bearer ${key}` } });
      const text = await res.text();
      return { status: res.status, cacheControl: res.headers.get("cache-control"), body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
    };
    return { base, get, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it("answers every GET path exactly as the route does (errors included), and leaves everything else to Next", async () => {
    const lane = await fastLane();
    try {
      const cases: [keyof Mod["routes"], string, Params, string | null][] = [
        ["listing", "/api/trino/v1/users/Bob/views", { user: "Bob" }, apiKey],
        ["listing", "/api/trino/v1/users/bob/views?schema=HR", { user: "bob" }, apiKey],
        ["view", "/api/trino/v1/users/bob/schemas/hr/views/employees", { user: "bob", schema: "hr", view: "employees" }, apiKey],
        ["view", "/api/trino/v1/users/carol/schemas/ops/views/archive?project=research", { user: "carol", schema: "ops", view: "archive" }, apiKey],
        ["view", "/api/trino/v1/users/bob/schemas/sales/views/orders", { user: "bob", schema: "sales", view: "orders" }, apiKey],
        ["schemas", "/api/trino/v1/users/al%69ce/schemas", { user: "alice" }, apiKey],
        ["views", "/api/trino/v1/users/bob/schemas/sales/views", { user: "bob", schema: "sales" }, apiKey],
        ["hashKey", "/api/trino/v1/hash-key", {}, apiKey],
        ["epoch", "/api/trino/v1/epoch", {}, apiKey],
        ["listing", "/api/trino/v1/users/mallory/views", { user: "mallory" }, apiKey],
        ["listing", "/api/trino/v1/users/bob/views", { user: "bob" }, null],
        ["listing", "/api/trino/v1/users/bob/views", { user: "bob" }, "stw_wrong"],
        ["listing", "/api/trino/v1/users/bob/views?project=%00", { user: "bob" }, apiKey],
        ["schemas", "/api/trino/v1/users/a%00b/schemas", { user: "a\u0000b" }, apiKey],
      ];
      for (const [route, path, params, key] of cases) {
        const viaNext = await call(mod.routes[route].GET, path, params, key);
        expect({ path, ...(await lane.get(path, key)) }).toEqual({ path, ...viaNext });
      }
      // not the lane's: writes, unknown paths, paths that do not decode (Next answers those)
      for (const path of ["/api/trino/v1/query-events", "/api/trino/v1/users/bob", "/api/trino/v1/users//views", "/api/trino/v1/users/%ZZ/views", "/api/trino/v1/epoch/x", "/api/people"]) {
        expect({ path, status: (await lane.get(path)).status }).toEqual({ path, status: 599 });
      }
      expect((await lane.get("/api/trino/v1/epoch", apiKey, { method: "POST" })).status).toBe(599);
      // the headers next.config.ts puts on everything Next answers
      const { SECURITY_HEADERS } = await import("@/lib/security-headers");
      for (const key of [apiKey, null]) {
        const res = await fetch(`${lane.base}/api/trino/v1/epoch`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
        for (const h of SECURITY_HEADERS) expect(res.headers.get(h.key), h.key).toBe(h.value);
      }
    } finally {
      await lane.close();
    }
  });

  it("the epoch watch: ?after= the epoch is held until a governance write moves it; another epoch, or waitMs passing, answers at once", async () => {
    const lane = await fastLane();
    try {
      const epoch = await epochNow();
      expect((await lane.get(`/api/trino/v1/epoch?after=${epoch + 7}&waitMs=20000`)).body).toEqual({ epoch });
      // nothing moves: answered with the same epoch once waitMs has passed
      expect((await lane.get(`/api/trino/v1/epoch?after=${epoch}&waitMs=300`)).body).toEqual({ epoch });
      // held; a write (through this process's governance code) answers it with the new epoch
      let answered = false;
      const held = lane.get(`/api/trino/v1/epoch?after=${epoch}&waitMs=30000`).then((r) => ((answered = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      await mod.people.createGroup(root, { name: `watchers-${epoch}` });
      const moved = await held;
      expect(moved.status).toBe(200);
      expect(moved.body!.epoch).toBeGreaterThan(epoch);
      expect(moved.body!.epoch).toBe(await epochNow());
      // bad parameters: 400 before any wait
      for (const q of ["after=-1", "after=x", "after=1&waitMs=soon", "after=1&waitMs=1e9"]) {
        expect({ q, status: (await lane.get(`/api/trino/v1/epoch?${q}`)).status }).toEqual({ q, status: 400 });
      }
      // a key is needed to wait too
      expect((await lane.get(`/api/trino/v1/epoch?after=${epoch}&waitMs=30000`, null)).status).toBe(401);
    } finally {
      await lane.close();
    }
  });

  it("a governance write in this process answers the watches at once, without waiting for a poll or a notification", async () => {
    const p = processState({ epochPollMs: 60_000 });
    const epoch = (await p.state.begin()).epoch;
    const started = Date.now();
    const waiting = p.state.waitForEpoch(epoch, 30_000);
    await mod.people.createGroup(root, { name: `signalled-${epoch}` });
    expect(await waiting).toBe(epoch + 1);
    expect(Date.now() - started).toBeLessThan(30_000); // not the wait's end: the signal answered it
  });

  it("a watcher that goes away is forgotten (no poller left running); a database that cannot be read fails the wait", async () => {
    const p = processState();
    const epoch = await epochNow();
    const abort = new AbortController();
    const waiting = p.state.waitForEpoch(epoch, 30_000, abort.signal);
    await new Promise((r) => setTimeout(r, 200));
    const readsWhileWaiting = p.epochReads;
    expect(readsWhileWaiting).toBeGreaterThan(0);
    abort.abort();
    expect(await waiting).toBe(epoch);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.epochReads - readsWhileWaiting).toBeLessThanOrEqual(1); // at most the read in flight

    const broken = new mod.snap.ViewState({ prisma: mod.db, readEpoch: async () => Promise.reject(new Error("database away")) }, { epochPollMs: 10 });
    await expect(broken.waitForEpoch(epoch, 30_000)).rejects.toThrow("database away");
  });
});

describe("the epoch a request reads", () => {
  const bumpElsewhere = () => mod.db.$executeRawUnsafe(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`); // another process's commit

  it("concurrent requests join one read in flight; a later request reads again", async () => {
    const p = processState();
    await p.state.begin();
    const before = p.epochReads;
    const answers = await Promise.all(Array.from({ length: 20 }, () => p.state.begin()));
    expect(new Set(answers.map((a) => a.epoch)).size).toBe(1);
    expect(p.epochReads - before).toBeLessThan(20);
    await bumpElsewhere();
    expect((await p.state.begin()).epoch).toBe(answers[0]!.epoch + 1);
  });
});

describe("listening for the epoch (PostgreSQL LISTEN on the Epoch row's trigger)", () => {
  const bumpElsewhere = () => mod.db.$executeRawUnsafe(`UPDATE "Epoch" SET value = value + 1 WHERE id = 1`);
  const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it("requests make no query for the epoch; another process's commit is heard, this process's own write seen at once", async () => {
    const p = processState({}, true);
    await until("listening", () => p.state.heardEpoch !== null);
    const e0 = await epochNow();
    const reads = p.epochReads;
    for (let i = 0; i < 50; i++) expect((await p.state.begin()).epoch).toBe(e0);
    expect(p.epochReads).toBe(reads);

    await bumpElsewhere(); // a commit by someone else: a plain UPDATE, heard through the trigger's NOTIFY
    await until("the notification", () => p.state.heardEpoch === e0 + 1);
    expect((await p.state.begin()).epoch).toBe(e0 + 1);
    expect(p.epochReads).toBe(reads);

    // this process's governance write: the next request confirms it with one read, whether or not heard yet
    await mod.people.createGroup(root, { name: `listened-${e0}` });
    expect((await p.state.begin()).epoch).toBe(e0 + 2);
    expect(p.epochReads - reads).toBeLessThanOrEqual(1);

    // a watcher is woken by the notification, not by polling
    const waiting = p.state.waitForEpoch(e0 + 2, 30_000);
    await bumpElsewhere();
    expect(await waiting).toBe(e0 + 3);
    expect(p.epochReads - reads).toBeLessThanOrEqual(1);
  });

  it("a watch asking after an epoch that was already left behind is answered at once, not held", async () => {
    const p = processState({}, true);
    await until("listening", () => p.state.heardEpoch !== null);
    const e0 = p.state.heardEpoch!;
    await bumpElsewhere();
    await until("the notification", () => p.state.heardEpoch === e0 + 1);
    // the connector read e0 before the write and asks after it only now: the change is already known
    const started = Date.now();
    expect(await p.state.waitForEpoch(e0, 30_000)).toBe(e0 + 1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("without a listener, a watch that times out answers the epoch as it is then, not the one it was given", async () => {
    const p = processState({ epochPollMs: 60_000 });
    const e0 = (await p.state.begin()).epoch;
    const waiting = p.state.waitForEpoch(e0, 500);
    await bumpElsewhere(); // not signalled, not polled for a minute: only the read at the timeout can see it
    expect(await waiting).toBe(e0 + 1);
  });

  it("a lost listening connection (terminated by the server) falls back to a read per request, then listens again", async () => {
    const p = processState({}, true);
    await until("listening", () => p.state.heardEpoch !== null);
    const killed = await mod.db.$queryRawUnsafe<{ pg_terminate_backend: boolean }[]>(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${mod.snap.EPOCH_LISTENER}' AND datname = current_database()`,
    );
    expect(killed.length).toBeGreaterThan(0);
    await until("the loss", () => p.state.heardEpoch === null);
    // meanwhile a commit elsewhere, not heard: reads answer it
    await bumpElsewhere();
    const reads = p.epochReads;
    expect((await p.state.begin()).epoch).toBe(await epochNow());
    expect(p.epochReads).toBe(reads + 1);
    await until("listening again", () => p.state.heardEpoch !== null);
    expect(p.state.heardEpoch).toBe(await epochNow());
  });
});

describe("compiled definitions across epochs", () => {
  it("a write that changes nothing a definition compiles from keeps it (the same object); a policy, a group or the data source recompiles it", async () => {
    const p = processState();
    const ask = async () => {
      const r = await p.request((s, t) => s.view("alice", "hr", "employees", null, t));
      if (!("view" in r)) throw new Error(`no view: ${JSON.stringify(r)}`);
      return r.view;
    };
    const first = await ask();
    // an unrelated write: the epoch moves, the definition is the one compiled before
    await mod.people.createGroup(root, { name: `unrelated-${Date.now()}` });
    const afterUnrelated = await ask();
    expect(afterUnrelated).toBe(first);

    // a policy that applies: recompiled, and equal to a fresh compile
    const mask = await mod.policies.createPolicy(gwen, {
      name: `null ids ${Date.now()}`,
      scope: "LOCAL",
      dataSourceId: ids["hr.employees"],
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["id"] }, mask: { method: "NULL" } },
    });
    const withMask = await ask();
    expect(withMask).not.toBe(first);
    expect(withMask.applied.columns.id).toMatchObject({ method: "NULL" });
    expect({ view: withMask }).toEqual(await freshView("alice", "hr", "employees", null, new Date()));
    // the same policy edited (content, not just the version): recompiled again
    await mod.policies.updatePolicy(gwen, mask.id, {
      version: (await mod.db.dataPolicy.findUniqueOrThrow({ where: { id: mask.id } })).version,
      action: { type: "MASK", target: { columns: ["id"] }, mask: { method: "HASH" } },
    } as never);
    const edited = await ask();
    expect(edited.applied.columns.id).toMatchObject({ method: "HASH" });
    await mod.policies.deletePolicy(gwen, mask.id);
    const unmasked = await ask();
    expect(unmasked).not.toBe(edited);
    expect(unmasked.sql).toBe(first.sql);

    // the data source itself (a tag on a column brings a GLOBAL mask): recompiled
    const ds = await mod.db.dataSource.findUniqueOrThrow({ where: { id: ids["hr.employees"] } });
    const tag = (columns: { name: string; tags: string[] }[]) => mod.dataSourceTags.setDataSourceTags(olivia, { dataSourceId: ds.id, version: ds.version, tags: ["HR"], columns } as never);
    await tag([{ name: "hired", tags: ["PII"] }]);
    const tagged = await ask();
    expect(tagged).not.toBe(unmasked);
    expect(tagged.applied.columns.hired).toMatchObject({ method: "NULL" });
    expect({ view: tagged }).toEqual(await freshView("alice", "hr", "employees", null, new Date()));
    ds.version = (await mod.db.dataSource.findUniqueOrThrow({ where: { id: ds.id } })).version;
    await tag([{ name: "hired", tags: [] }]);
    expect((await ask()).sql).toBe(first.sql);

    // the user's context (the group the email policy names): recompiled
    const before = await ask();
    const analysts = await mod.db.group.findUniqueOrThrow({ where: { name: "analysts" } });
    await mod.people.removeGroupMember(root, { groupId: analysts.id, username: "alice" });
    try {
      const noGroup = await ask();
      expect(noGroup).not.toBe(before);
      expect(noGroup.sql).not.toBe(before.sql);
      expect({ view: noGroup }).toEqual(await freshView("alice", "hr", "employees", null, new Date()));
    } finally {
      await mod.people.addGroupMember(root, { groupId: analysts.id, username: "alice" });
    }
  });
});

describe("answerJson (answers spliced from definitions serialized once)", () => {
  it("equals JSON.stringify of the answer, listing and single view, twice over", async () => {
    const p = processState();
    const listing = await p.request((s, t) => s.listing("bob", null, null, t));
    const single = await p.request((s, t) => s.view("bob", "hr", "employees", null, t));
    for (const body of [listing, single, { epoch: 3, schemas: ["a", "b"], skipped: undefined, none: null }, { error: "x", code: "NO_SUCH_VIEW" }]) {
      expect(mod.snap.answerJson(body).toString("utf8")).toBe(JSON.stringify(body));
      expect(mod.snap.answerJson(body).toString("utf8")).toBe(JSON.stringify(body));
    }
    // the same entries: the same listing (its JSON kept); a write that changes one: a new one
    const again = await p.request((s, t) => s.listing("bob", null, null, t));
    expect("views" in again && again.views).toBe("views" in listing && listing.views);
    await mod.people.createGroup(root, { name: `json-${Date.now()}` });
    const afterUnrelated = await p.request((s, t) => s.listing("bob", null, null, t));
    expect("views" in afterUnrelated && afterUnrelated.views).toBe("views" in listing && listing.views);
    const mask = await mod.policies.createPolicy(gwen, { name: `json mask ${Date.now()}`, scope: "LOCAL", dataSourceId: ids["hr.employees"], who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["id"] }, mask: { method: "NULL" } } });
    const changed = await p.request((s, t) => s.listing("bob", null, null, t));
    expect("views" in changed && changed.views).not.toBe("views" in listing && listing.views);
    expect(mod.snap.answerJson(changed).toString("utf8")).toBe(JSON.stringify(changed));
    expect(JSON.stringify(changed)).toContain(`"policyName":"${mask.name}"`);
    await mod.policies.deletePolicy(gwen, mask.id);
  });
});
