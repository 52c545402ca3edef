import "server-only";
import pg from "pg";
import {
  compile,
  isSubscribed,
  type CompileResult,
  type DataSourceInput,
  type PolicyInput,
  type SubscriptionPolicyInput,
  type SubscriptionState,
  type UserContext,
} from "@/lib/policy";
import { getDbHandle, type DbHandle, type PrismaClient } from "./db";
import type { Tx } from "./governance";
import { AppError } from "./errors";
import { onEpochMoved } from "./epoch-signal";
import { getIntegration } from "./integration";
import { Lru } from "./lru";
import { loadUserContext } from "./user-context";

// The view API's memory of governance state (docs/architecture.md, "View API"). The epoch in the database is the
// truth: every request reads it (one small query) and answers from the snapshot of that epoch, built on first
// use after the epoch moved. Every governance write that can change a view bumps the epoch in its transaction,
// so a snapshot labelled N holds at least everything committed up to epoch N; it was loaded after N was read.
// What does not depend on writes — the clock — is applied per request: subscriptions expire on time.

export class ViewApiError extends AppError {
  constructor(
    status: 401 | 404,
    message: string,
    readonly code: "UNAUTHORIZED" | "UNKNOWN_USER" | "NO_SUCH_VIEW",
  ) {
    super(status, message);
  }
}

/** The connector's system table holding the HASH key (trino-plugin HashKeyTable), in the governed catalog. */
export const HASH_KEY_TABLE = { schema: "steward_internal", table: "hash_key", column: "key" } as const;

/**
 * What the compile applied to one view for this user, for the connector's query audit (docs/architecture.md,
 * "Query audit"): per masked column the method and the policy that won, the row filters in WHERE order, and the
 * project the user's purposes and visible data sources came from. Names are as they are at this epoch.
 */
export interface AppliedRules {
  project: string | null;
  columns: Record<string, { method: string; policyId: string; policyName: string; fallback?: string }>;
  rowFilters: { policyId: string; policyName: string; kind: string; fallback?: string }[];
}

export interface ViewDefinition {
  sql: string;
  columns: { name: string; type: string }[];
  owner: string;
  comment: string;
  applied: AppliedRules;
}

/** A compile result's `applied` as the view API answers it (without the masks that lost a conflict). */
export function toAppliedRules(applied: CompileResult["applied"], project: string | null): AppliedRules {
  const columns: AppliedRules["columns"] = {};
  for (const [name, m] of Object.entries(applied.columns)) {
    columns[name] = { method: m.method, policyId: m.policyId, policyName: m.policyName, ...(m.fallback ? { fallback: m.fallback } : {}) };
  }
  return {
    project,
    columns,
    rowFilters: applied.rowFilters.map((f) => ({ policyId: f.policyId, policyName: f.policyName, kind: f.kind, ...(f.fallback ? { fallback: f.fallback } : {}) })),
  };
}

/** One view of the bulk listing: the single-view answer plus where it lives. */
export interface ListedView extends ViewDefinition {
  schema: string;
  name: string;
}

/** What a data source's subscription policy row contributes to visibility (null: none stored, i.e. APPROVAL). */
export interface AccessRule {
  subscription: { type: SubscriptionPolicyInput["type"]; condition: unknown; maxDays: number | null } | null;
}

/** Whether the view of `ds` is visible to the user, given their subscription row (the preview reuses it). */
export function isVisible(
  ds: AccessRule,
  sub: { state: SubscriptionState; expiresAt: Date | null } | undefined,
  user: UserContext,
  now: Date,
): boolean {
  return isSubscribed({
    policy: {
      type: ds.subscription?.type ?? "APPROVAL",
      condition: (ds.subscription?.condition ?? undefined) as never,
      maxDays: ds.subscription?.maxDays ?? undefined,
    },
    subscription: sub ? { state: sub.state, expiresAt: sub.expiresAt?.toISOString() ?? null } : undefined,
    user,
    now,
  });
}

/** A stored policy row (with its scope tag's name) as the compiler takes it. */
export function toPolicyInput(p: {
  id: string;
  name: string;
  scope: PolicyInput["scope"];
  dataSourceId: string | null;
  tag: { name: string } | null;
  who: unknown;
  action: unknown;
  customType: string | null;
  createdAt: Date;
}): PolicyInput {
  return {
    id: p.id,
    name: p.name,
    scope: p.scope,
    dataSourceId: p.dataSourceId ?? undefined,
    tag: p.tag?.name,
    who: p.who as PolicyInput["who"],
    action: p.action as PolicyInput["action"],
    customType: p.customType ?? undefined,
    createdAt: p.createdAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Where a snapshot reads from
// ---------------------------------------------------------------------------------------------------------

export interface SnapshotSource {
  prisma: PrismaClient;
  /** the snapshot's data is read in one transaction at this level (PostgreSQL; PGlite has one connection anyway) */
  isolation?: "RepeatableRead";
  /** The epoch (0 before the first bump): the one query a warm request makes when nobody tells us of changes. */
  readEpoch(): Promise<number>;
  /**
   * Tells of every change of the epoch as it commits (PostgreSQL: LISTEN on the channel the Epoch row's trigger
   * notifies). `heard` gets each new value; `up(true)` once listening (after which a read catches up on what
   * came before), `up(false)` when the connection is lost (it reconnects by itself). Returns a stop function.
   */
  listenEpoch?(heard: (epoch: number) => void, up: (listening: boolean) => void): () => void;
}

const EPOCH_SQL = `SELECT value FROM "Epoch" WHERE id = 1`;

/**
 * The cheapest epoch read measured here: on PostgreSQL a named prepared statement over a small pg pool of its own
 * (p50 ~0.02 ms, against ~0.1 ms for Prisma's $queryRaw and ~0.35 ms for findUnique); on PGlite (one process,
 * in memory) through Prisma.
 */
export function epochReader(
  prisma: PrismaClient,
  databaseUrl?: string,
): { read(): Promise<number>; listen?: SnapshotSource["listenEpoch"]; close(): Promise<void> } {
  if (!databaseUrl) {
    return {
      async read() {
        const rows = await prisma.$queryRawUnsafe<{ value: number }[]>(EPOCH_SQL);
        return Number(rows[0]?.value ?? 0);
      },
      async close() {},
    };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
  // an idle connection the server closed (restart, dropped test database) is replaced on the next query
  pool.on("error", () => {});
  const query = { name: "steward_epoch", text: EPOCH_SQL, rowMode: "array" as const };
  const stops = new Set<() => void>();
  return {
    async read() {
      const result = await pool.query<[number]>(query);
      return Number(result.rows[0]?.[0] ?? 0);
    },
    listen(heard: (epoch: number) => void, up: (listening: boolean) => void) {
      const stop = listenForEpoch(databaseUrl, heard, up);
      stops.add(stop);
      return () => {
        stops.delete(stop);
        stop();
      };
    },
    close: async () => {
      for (const stop of stops) stop();
      await pool.end();
    },
  };
}

/** The channel the Epoch row's trigger notifies (prisma/migrations/*_epoch_notify). */
export const EPOCH_CHANNEL = "steward_epoch";
/** The listening connection's application_name (pg_stat_activity). */
export const EPOCH_LISTENER = "steward-epoch-listener";

/** LISTEN on one dedicated connection, reconnecting (1 s, then up to 10 s apart) until stopped. */
function listenForEpoch(databaseUrl: string, heard: (epoch: number) => void, up: (listening: boolean) => void): () => void {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;
  const lost = () => {
    const c = client;
    client = null;
    c?.removeAllListeners();
    c?.on("error", () => {});
    c?.end().catch(() => {});
    up(false);
    if (!stopped) {
      retry = setTimeout(connect, delay);
      retry.unref?.();
      delay = Math.min(delay * 2, 10_000);
    }
  };
  const connect = () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: EPOCH_LISTENER });
    client = c;
    c.on("error", () => client === c && lost());
    c.on("end", () => client === c && lost());
    c.on("notification", (msg) => {
      if (msg.channel !== EPOCH_CHANNEL) return;
      const epoch = Number(msg.payload);
      if (Number.isSafeInteger(epoch)) heard(epoch);
    });
    c.connect()
      .then(() => c.query(`LISTEN ${EPOCH_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        delay = 1000;
        up(true);
      })
      .catch(() => client === c && lost());
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = null;
    c?.removeAllListeners();
    c?.on("error", () => {});
    c?.end().catch(() => {});
  };
}

// ---------------------------------------------------------------------------------------------------------
// The parts of a snapshot
// ---------------------------------------------------------------------------------------------------------

interface KeyEntry {
  id: string;
  lastUsedAt: Date | null;
}

interface AuthPart {
  /** unrevoked API keys by SHA-256 hex */
  keys: Map<string, KeyEntry>;
  governedCatalog: string;
  serviceUser: string;
  hashKey: string;
}

/** A data source as the compiler and visibility need it; kept across epochs while its version stays the same. */
interface DsBase extends AccessRule {
  id: string;
  version: number;
  schema: string;
  name: string;
  comment: string;
  input: DataSourceInput;
}

interface DsEntry extends DsBase {
  /** position in (schema, name) order */
  rank: number;
  /** the enabled policies that can apply to it (LOCAL ones and GLOBAL ones on its tags), computed on first use */
  policies?: PolicyInput[];
  /** those policies' contents as interned numbers (ViewState.intern), with its version: what its views compile from */
  fingerprint?: string;
}

interface DataPart {
  bases: Map<string, DsBase>;
  byName: Map<string, DsEntry>;
  byId: Map<string, DsEntry>;
  /** AUTO data sources with a condition */
  auto: DsEntry[];
  local: Map<string, PolicyInput[]>;
  /** GLOBAL policies by their scope tag */
  global: Map<string, PolicyInput[]>;
  /** every enabled policy's position in (createdAt, id) order */
  order: Map<string, number>;
  /** every enabled policy's content as an interned number: equal numbers, equal policies (across epochs) */
  content: Map<string, number>;
  /** all of them in order: an equal signature, the same policies (what policiesFor found can be reused) */
  signature: string;
}

interface Visible {
  ds: DsEntry;
  /** when the user's access ends by itself (ms), or null */
  until: number | null;
}

interface VisibleSet {
  /** computed at (ms); valid from here until `until` */
  at: number;
  until: number | null;
  /** in (schema, name) order */
  list: Visible[];
  bySchema?: Map<string, Visible[]>;
}

interface UserEntry {
  key: string;
  context: UserContext;
  /** ACTIVE subscriptions not yet expired when loaded */
  subs: Map<string, { state: SubscriptionState; expiresAt: Date | null }>;
  /** data sources an AUTO condition shows them (no expiry), against this snapshot's data */
  auto?: Set<string>;
  /** the data sources of their project (session or current): they see only these; null: no project */
  scope: Set<string> | null;
  /** the data sources they own: an owner reads their own data source (its policies apply to them as to anyone) */
  owned: Set<string>;
  /** that project's name (null: none) */
  project: string | null;
  /** context and project as JSON: equal ones compile every view the same */
  fingerprint: string;
  visible?: VisibleSet;
}

const nameKey = (schema: string, name: string) => `${schema}\u0000${name}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every dot-separated ancestor of a tag and the tag itself: the scope tags whose GLOBAL policies reach it (compile's tagCovers). */
function coveringTags(tag: string): string[] {
  const out: string[] = [];
  for (let i = tag.indexOf("."); i !== -1; i = tag.indexOf(".", i + 1)) if (i > 0) out.push(tag.slice(0, i));
  if (tag.length > 0) out.push(tag);
  return out;
}

async function loadAuth(prisma: PrismaClient): Promise<AuthPart> {
  const [keys, integration] = await Promise.all([
    prisma.apiKey.findMany({ where: { revokedAt: null }, select: { id: true, hash: true, lastUsedAt: true } }),
    getIntegration(prisma),
  ]);
  return {
    keys: new Map(keys.map((k) => [k.hash, { id: k.id, lastUsedAt: k.lastUsedAt }])),
    governedCatalog: integration.governedCatalog,
    serviceUser: integration.serviceUser,
    hashKey: integration.hashKey,
  };
}

/** Above this many new or changed data sources, load them all rather than by id. */
const LOAD_ALL_ABOVE = 500;

/**
 * Data sources (full detail only for those new or at a new version since `previous`: every write to a data
 * source's columns, tags, subscription policy or status claims a new version) and all enabled policies, read in
 * one REPEATABLE READ transaction so they are one consistent state.
 */
async function loadData(source: SnapshotSource, previous: Map<string, DsBase> | null, intern: (content: string) => number): Promise<DataPart> {
  const { sources, policies } = await source.prisma.$transaction(
    async (tx) => {
      const [index, policies] = await Promise.all([
        tx.dataSource.findMany({ where: { status: "ACTIVE" }, select: { id: true, version: true } }),
        tx.dataPolicy.findMany({
          where: { enabled: true },
          select: { id: true, name: true, scope: true, dataSourceId: true, tag: { select: { name: true } }, who: true, action: true, customType: true, createdAt: true },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
      ]);
      const stale = index.filter((r) => previous?.get(r.id)?.version !== r.version).map((r) => r.id);
      const fresh = stale.length === 0 ? new Map<string, DsBase>() : await loadBases(tx, previous && stale.length <= LOAD_ALL_ABOVE ? stale : null);
      const sources = index.map((r) => fresh.get(r.id) ?? previous!.get(r.id)!);
      return { sources, policies };
    },
    { isolationLevel: source.isolation, maxWait: 10_000, timeout: 300_000 },
  );
  sources.sort((a, b) => cmp(a.schema, b.schema) || cmp(a.name, b.name));
  const data: DataPart = { bases: new Map(), byName: new Map(), byId: new Map(), auto: [], local: new Map(), global: new Map(), order: new Map(), content: new Map(), signature: "" };
  sources.forEach((base, rank) => {
    const entry: DsEntry = { ...base, rank };
    data.bases.set(base.id, base);
    data.byName.set(nameKey(entry.schema, entry.name), entry);
    data.byId.set(entry.id, entry);
    if (entry.subscription?.type === "AUTO" && entry.subscription.condition != null) data.auto.push(entry);
  });
  policies.forEach((row, i) => {
    const p = toPolicyInput(row);
    data.order.set(p.id, i);
    data.content.set(p.id, intern(JSON.stringify(p)));
    if (p.scope === "LOCAL" && p.dataSourceId) {
      if (data.byId.has(p.dataSourceId)) (data.local.get(p.dataSourceId) ?? data.local.set(p.dataSourceId, []).get(p.dataSourceId)!).push(p);
    } else if (p.scope === "GLOBAL" && p.tag) {
      (data.global.get(p.tag) ?? data.global.set(p.tag, []).get(p.tag)!).push(p);
    }
  });
  data.signature = [...data.content.values()].join(",");
  return data;
}

/** Full detail of the given data sources (null: every active one), in flat queries joined here. */
async function loadBases(tx: Tx, ids: string[] | null): Promise<Map<string, DsBase>> {
  const ofSource = ids ? { id: { in: ids } } : { status: "ACTIVE" as const };
  const [rows, columns, columnTags, tableTags, tags] = await Promise.all([
    tx.dataSource.findMany({
      where: ofSource,
      select: {
        id: true,
        version: true,
        backingCatalog: true,
        backingSchema: true,
        backingTable: true,
        governedSchema: true,
        name: true,
        description: true,
        subscription: { select: { type: true, condition: true, maxDays: true } },
      },
    }),
    tx.dataSourceColumn.findMany({ where: { dataSource: ofSource }, select: { id: true, dataSourceId: true, name: true, type: true, ordinal: true } }),
    tx.columnTag.findMany({ where: { column: { dataSource: ofSource } }, select: { columnId: true, tagId: true } }),
    tx.dataSourceTag.findMany({ where: { dataSource: ofSource }, select: { dataSourceId: true, tagId: true } }),
    tx.tag.findMany({ select: { id: true, name: true } }),
  ]);
  const tagName = new Map(tags.map((t) => [t.id, t.name]));
  const group = <T, K>(items: T[], key: (t: T) => K) => {
    const m = new Map<K, T[]>();
    for (const it of items) (m.get(key(it)) ?? m.set(key(it), []).get(key(it))!).push(it);
    return m;
  };
  const colTags = group(columnTags, (t) => t.columnId);
  const dsTags = group(tableTags, (t) => t.dataSourceId);
  const cols = group(columns, (c) => c.dataSourceId);
  const names = (links: { tagId: string }[] | undefined) => (links ?? []).map((l) => tagName.get(l.tagId)!).sort();
  const out = new Map<string, DsBase>();
  for (const ds of rows) {
    out.set(ds.id, {
      id: ds.id,
      version: ds.version,
      schema: ds.governedSchema,
      name: ds.name,
      comment: ds.description ?? `Steward data source ${ds.governedSchema}.${ds.name}`,
      subscription: ds.subscription,
      input: {
        id: ds.id,
        backing: { catalog: ds.backingCatalog, schema: ds.backingSchema, table: ds.backingTable },
        governedSchema: ds.governedSchema,
        name: ds.name,
        columns: (cols.get(ds.id) ?? [])
          .sort((a, b) => a.ordinal - b.ordinal)
          .map((c) => ({ name: c.name, type: c.type, tags: names(colTags.get(c.id)) })),
        tags: names(dsTags.get(ds.id)),
      },
    });
  }
  return out;
}

/**
 * What policiesFor found for an unchanged data source (its input object is kept while its version stays), reused
 * by the next data part when the enabled policies are the same (equal signature).
 */
const foundPolicies = new WeakMap<DataSourceInput, { signature: string; policies: PolicyInput[]; fingerprint: string }>();

function policiesFor(data: DataPart, ds: DsEntry): PolicyInput[] {
  if (ds.policies) return ds.policies;
  const found = foundPolicies.get(ds.input);
  if (found && found.signature === data.signature) {
    ds.fingerprint = found.fingerprint;
    ds.policies = found.policies;
    return ds.policies;
  }
  ds.policies = applicablePolicies(data, ds);
  ds.fingerprint = `${ds.version}:${ds.policies.map((p) => data.content.get(p.id)).join(",")}`;
  foundPolicies.set(ds.input, { signature: data.signature, policies: ds.policies, fingerprint: ds.fingerprint });
  return ds.policies;
}

/** The policies compile() would find applicable by scope among all enabled ones, in (createdAt, id) order. */
function applicablePolicies(data: DataPart, ds: DsEntry): PolicyInput[] {
  const found = new Set<PolicyInput>(data.local.get(ds.id) ?? []);
  const tags = new Set([...ds.input.tags, ...ds.input.columns.flatMap((c) => c.tags)]);
  for (const tag of tags) for (const scope of coveringTags(tag)) for (const p of data.global.get(scope) ?? []) found.add(p);
  return [...found].sort((a, b) => data.order.get(a.id)! - data.order.get(b.id)!);
}

/** A promise kept until it fails (then the next caller tries again). */
function retained<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    if (!p) {
      const mine = load();
      p = mine;
      mine.catch(() => {
        if (p === mine) p = undefined;
      });
    }
    return p;
  };
}

// ---------------------------------------------------------------------------------------------------------
// One epoch's snapshot
// ---------------------------------------------------------------------------------------------------------

export class Snapshot {
  readonly auth: () => Promise<AuthPart>;
  readonly data: () => Promise<DataPart>;
  private readonly users: Lru<string, Promise<UserEntry | null>>;

  constructor(
    private readonly state: ViewState,
    readonly epoch: number,
  ) {
    const prisma = state.source.prisma;
    this.auth = retained(() => loadAuth(prisma));
    this.data = retained(() => state.loadData(epoch));
    this.users = new Lru(state.options.maxUsers);
  }

  /** Whether `hash` is an unrevoked key (revocation bumps the epoch, so this snapshot knows every revoked one). */
  async authenticate(hash: string): Promise<boolean> {
    const auth = await this.auth();
    let key = auth.keys.get(hash);
    if (!key) {
      // A key created without an epoch bump (another process's bootstrap key) is not here yet: ask the database.
      const row = await this.state.source.prisma.apiKey.findUnique({ where: { hash }, select: { id: true, revokedAt: true, lastUsedAt: true } });
      if (!row || row.revokedAt) return false;
      key = { id: row.id, lastUsedAt: row.lastUsedAt };
      auth.keys.set(hash, key);
    }
    this.state.touch(key);
    return true;
  }

  async hashKey(): Promise<string> {
    return (await this.auth()).hashKey;
  }

  /** Per (user, session project): context and live subscriptions, loaded on first use in this epoch; null: unknown. */
  private user(username: string, project: string | null): Promise<UserEntry | null> {
    const normalized = username.trim().toLowerCase();
    const key = `${normalized}\u0000${project ?? ""}`;
    let entry = this.users.get(key);
    if (!entry) {
      const prisma = this.state.source.prisma;
      const now = this.state.now();
      const mine = Promise.all([
        loadUserContext(prisma, normalized, project),
        prisma.subscription.findMany({
          where: { user: { username: normalized }, state: "ACTIVE", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
          select: { dataSourceId: true, state: true, expiresAt: true },
        }),
        prisma.dataSourceOwner.findMany({ where: { user: { username: normalized } }, select: { dataSourceId: true } }),
      ]).then(([user, subs, owned]): UserEntry | null =>
        user
          ? {
              key,
              context: user.context,
              subs: new Map(subs.map((s) => [s.dataSourceId, { state: s.state, expiresAt: s.expiresAt }])),
              scope: user.scope ? new Set(user.scope) : null,
              owned: new Set(owned.map((o) => o.dataSourceId)),
              project: user.project,
              fingerprint: JSON.stringify([user.context, user.project]),
            }
          : null,
      );
      entry = mine;
      this.users.set(key, mine);
      mine.catch(() => this.users.delete(key));
    }
    return entry;
  }

  private async requireUser(username: string, project: string | null): Promise<UserEntry> {
    const user = await this.user(username, project);
    if (!user) throw new ViewApiError(404, `user '${username}' is not known to Steward`, "UNKNOWN_USER");
    return user;
  }

  /** The data sources the user sees at `now`, in (schema, name) order; the set holds until its `until`. */
  private visible(data: DataPart, user: UserEntry, now: Date): VisibleSet {
    const t = now.getTime();
    const memo = user.visible;
    if (memo && memo.at <= t && (memo.until === null || t < memo.until)) return memo;
    if (!user.auto) {
      user.auto = new Set();
      for (const ds of data.auto) if (isVisible(ds, undefined, user.context, now)) user.auto.add(ds.id);
    }
    const list: Visible[] = [];
    const inScope = (id: string) => user.scope === null || user.scope.has(id);
    for (const id of user.auto) if (inScope(id)) list.push({ ds: data.byId.get(id)!, until: null });
    for (const id of user.owned) {
      const ds = data.byId.get(id);
      if (ds && !user.auto.has(id) && inScope(id)) list.push({ ds, until: null });
    }
    for (const [id, sub] of user.subs) {
      if (user.auto.has(id) || user.owned.has(id) || !inScope(id)) continue;
      const ds = data.byId.get(id);
      if (ds && isVisible(ds, sub, user.context, now)) list.push({ ds, until: sub.expiresAt?.getTime() ?? null });
    }
    list.sort((a, b) => a.ds.rank - b.ds.rank);
    const until = earliest(list.map((v) => v.until));
    user.visible = { at: t, until, list };
    return user.visible;
  }

  /**
   * The user's definition of the view, compiled once and kept across epochs while what it compiles from is the
   * same: the data source at its version, the contents of the policies that can apply, the user's context and
   * project, the catalog and service user. A write elsewhere moves the epoch but recompiles nothing here.
   */
  private definition(data: DataPart, auth: AuthPart, user: UserEntry, ds: DsEntry): ViewDefinition {
    return this.kept(data, auth, user, ds).def;
  }

  private kept(data: DataPart, auth: AuthPart, user: UserEntry, ds: DsEntry): KeptDefinition {
    const key = `${user.key}\u0000${ds.id}`;
    const policies = policiesFor(data, ds);
    // what the compile reads, compared part by part (no string built per request)
    const from: KeptDefinition["from"] = [ds.fingerprint!, user.fingerprint, auth.governedCatalog, auth.serviceUser];
    const kept = this.state.definitions.get(key);
    if (kept && kept.from.every((part, i) => part === from[i])) return kept;
    const compiled = compile(ds.input, policies, user.context, {
      // the key is read by the view from the connector's table, never written into the SQL users can read
      hashKeyFrom: { ...HASH_KEY_TABLE, catalog: auth.governedCatalog },
    });
    const def = frozenJson({ sql: compiled.sql, columns: compiled.columns, owner: auth.serviceUser, comment: ds.comment, applied: toAppliedRules(compiled.applied, user.project) });
    const entry: KeptDefinition = { from, def };
    this.state.definitions.set(key, entry);
    return entry;
  }

  /** The bulk listing's entry for the view: the definition with its schema and name (kept with it). */
  private listed(data: DataPart, auth: AuthPart, user: UserEntry, ds: DsEntry): ListedView {
    const kept = this.kept(data, auth, user, ds);
    // the name is part of the data source's version, so of the fingerprint
    kept.listed ??= frozenJson({ schema: ds.schema, name: ds.name, ...kept.def });
    return kept.listed;
  }

  async schemas(username: string, project: string | null, now: Date): Promise<{ validUntil: string | null; schemas: string[] }> {
    const [user, data] = await Promise.all([this.requireUser(username, project), this.data()]);
    // a schema stays listed while any of its views does: until the latest end among them
    const ends = new Map<string, number | null>();
    for (const v of this.visible(data, user, now).list) {
      const prev = ends.get(v.ds.schema);
      ends.set(v.ds.schema, prev === undefined ? v.until : prev === null || v.until === null ? null : Math.max(prev, v.until));
    }
    return { validUntil: toIso(earliest([...ends.values()])), schemas: [...ends.keys()] };
  }

  async views(username: string, schema: string, project: string | null, now: Date): Promise<{ validUntil: string | null; views: string[] }> {
    const [user, data] = await Promise.all([this.requireUser(username, project), this.data()]);
    const list = inSchema(this.visible(data, user, now), schema.toLowerCase());
    return { validUntil: toIso(earliest(list.map((v) => v.until))), views: list.map((v) => v.ds.name) };
  }

  async view(username: string, schema: string, view: string, project: string | null, now: Date): Promise<{ validUntil: string | null; view: ViewDefinition }> {
    const [user, data, auth] = await Promise.all([this.requireUser(username, project), this.data(), this.auth()]);
    const ds = data.byName.get(nameKey(schema.toLowerCase(), view.toLowerCase()));
    const sub = ds ? user.subs.get(ds.id) : undefined;
    // owned or shown by an AUTO condition (evaluated once): no end in time; else the subscription's expiry, if any
    const lasting = ds ? user.owned.has(ds.id) || isVisible(ds, undefined, user.context, now) : false;
    if (!ds || (user.scope !== null && !user.scope.has(ds.id)) || !(lasting || isVisible(ds, sub, user.context, now))) {
      throw new ViewApiError(404, `view ${schema}.${view} does not exist for '${username}'`, "NO_SUCH_VIEW");
    }
    const until = lasting ? null : (sub?.expiresAt?.getTime() ?? null);
    return { validUntil: toIso(until), view: this.definition(data, auth, user, ds) };
  }

  /** Every view the user sees (in one schema, or all), with its definition: catalog browsing in one call. */
  async listing(username: string, project: string | null, schema: string | null, now: Date): Promise<{ validUntil: string | null; views: readonly ListedView[] }> {
    const [user, data, auth] = await Promise.all([this.requireUser(username, project), this.data(), this.auth()]);
    const set = this.visible(data, user, now);
    const list = schema === null ? set.list : inSchema(set, schema.toLowerCase());
    const views = list.map((v) => this.listed(data, auth, user, v.ds));
    // the same entries as the last answer for (user, project, schema): that answer's array, whose JSON is kept
    const key = `${user.key}\u0000${schema ?? ""}`;
    const last = this.state.listings.get(key);
    const same = last !== undefined && last.length === views.length && views.every((v, i) => v === last[i]);
    if (!same) this.state.listings.set(key, frozenJson(views));
    return { validUntil: toIso(earliest(list.map((v) => v.until))), views: same ? last : views };
  }
}

interface KeptDefinition {
  /** the data source's fingerprint (version and policies), the user's (context, project), catalog, service user */
  from: [string, string, string, string];
  def: ViewDefinition;
  listed?: ListedView;
}

// Answers are mostly definitions kept across requests: each is serialized once, and so is a listing whose views are
// all the same kept entries (a 5,000-view listing is ~17 MB of JSON: ~60 ms to splice and ~60 ms to encode anew);
// answers are spliced from those bytes (answerJson).
const jsonOf = new WeakMap<object, Buffer>();
const keepable = new WeakSet<object>();

/** Freezes an answer part (never changed after) and marks its JSON as one to keep. */
function frozenJson<T extends object>(value: T): T {
  keepable.add(value);
  return Object.freeze(value);
}

const COMMA = Buffer.from(",");

function jsonBytes(value: unknown): Buffer {
  if (value === null || typeof value !== "object") return Buffer.from(JSON.stringify(value) ?? "null");
  const kept = jsonOf.get(value);
  if (kept) return kept;
  let bytes: Buffer;
  if (Array.isArray(value)) {
    const parts: Buffer[] = [Buffer.from("[")];
    value.forEach((v, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(v === undefined || typeof v === "function" ? Buffer.from("null") : jsonBytes(v));
    });
    parts.push(Buffer.from("]"));
    bytes = Buffer.concat(parts);
  } else bytes = Buffer.from(JSON.stringify(value));
  if (keepable.has(value)) jsonOf.set(value, bytes);
  return bytes;
}

/**
 * An answer as JSON bytes, equal to JSON.stringify(body) for the plain objects the view API answers; the frozen
 * parts (definitions, listing entries, listings), wherever they sit in a top-level value or array, are serialized
 * once and reused.
 */
export function answerJson(body: object): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || typeof value === "function") continue;
    parts.push(Buffer.from(`${parts.length ? "," : "{"}${JSON.stringify(key)}:`), jsonBytes(value));
  }
  parts.push(Buffer.from(parts.length ? "}" : "{}"));
  return Buffer.concat(parts);
}

function inSchema(set: VisibleSet, schema: string): Visible[] {
  if (!set.bySchema) {
    set.bySchema = new Map();
    for (const v of set.list) (set.bySchema.get(v.ds.schema) ?? set.bySchema.set(v.ds.schema, []).get(v.ds.schema)!).push(v);
  }
  return set.bySchema.get(schema) ?? [];
}

function earliest(times: (number | null)[]): number | null {
  let min: number | null = null;
  for (const t of times) if (t !== null && (min === null || t < min)) min = t;
  return min;
}

/** `validUntil` as the API writes it: ISO-8601 UTC, or null when no time-driven change is coming. */
const toIso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// ---------------------------------------------------------------------------------------------------------
// The snapshots of one process
// ---------------------------------------------------------------------------------------------------------

export interface ViewStateOptions {
  /** (user, project) entries kept per epoch */
  maxUsers: number;
  /** bulk listings kept with their JSON (a 5,000-view one is ~17 MB) */
  maxListings: number;
  /** compiled definitions kept (across epochs, while what they compile from stays the same) */
  maxDefinitions: number;
  /** the clock visibility is computed with (tests move it) */
  now: () => Date;
  /** how often the epoch is read while a connector's epoch watch waits for it to move (ms) */
  epochPollMs: number;
  /** while listening for the epoch's changes, how often a read checks that none was missed (ms) */
  epochVerifyMs: number;
}

/** The longest a connector's epoch watch may be held (`GET /epoch?after=&waitMs=`). */
export const MAX_EPOCH_WAIT_MS = 30_000;

interface EpochWaiter {
  after: number;
  done: (outcome: number | Error) => void;
}

const envInt = (name: string, fallback: number) => {
  const v = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
};

export class ViewState {
  readonly options: ViewStateOptions;
  private current: Snapshot | null = null;
  /** API key id -> when this process last wrote its lastUsedAt */
  private readonly touched = new Map<string, number>();
  /** The newest data part loaded so far: its unchanged data sources are reused by the next one. */
  private lastData: { epoch: number; bases: Map<string, DsBase> } | null = null;
  /** Compiled definitions per (user, project, view), kept across epochs with what they were compiled from. */
  readonly definitions: Lru<string, KeptDefinition>;
  /** The last bulk listing per (user, project, schema): reused (with its JSON) while its entries are the same. */
  readonly listings: Lru<string, readonly ListedView[]>;
  /** Policy contents seen, numbered (emptied when it grows past 100,000: definitions then compile once more). */
  private readonly contents = new Map<string, number>();

  intern(content: string): number {
    let n = this.contents.get(content);
    if (n === undefined) {
      if (this.contents.size >= 100_000) this.contents.clear();
      n = this.nextContent++;
      this.contents.set(content, n);
    }
    return n;
  }
  private nextContent = 0;

  constructor(
    readonly source: SnapshotSource,
    options: Partial<ViewStateOptions> = {},
  ) {
    this.options = {
      maxUsers: options.maxUsers ?? envInt("STEWARD_VIEW_CACHE_USERS", 10_000),
      maxDefinitions: options.maxDefinitions ?? envInt("STEWARD_VIEW_CACHE_DEFINITIONS", 20_000),
      maxListings: options.maxListings ?? envInt("STEWARD_VIEW_CACHE_LISTINGS", 16),
      now: options.now ?? (() => new Date()),
      epochPollMs: options.epochPollMs ?? envInt("STEWARD_EPOCH_POLL_MS", 50),
      epochVerifyMs: options.epochVerifyMs ?? envInt("STEWARD_EPOCH_VERIFY_MS", 5_000),
    };
    this.definitions = new Lru(this.options.maxDefinitions);
    this.listings = new Lru(this.options.maxListings);
    this.unsubscribe = onEpochMoved((epoch) => this.forgetEpoch(epoch));
    this.listen();
  }

  /** The last epoch read and when that read started (performance.now()). */
  private known: { epoch: number; at: number } | null = null;
  /** A read in flight, which requests arriving meanwhile join; started at `at`. */
  private reading: { promise: Promise<number>; at: number } | null = null;
  private forgottenAt = -Infinity;
  /** Listening for the epoch's changes and caught up: requests take `heard` without a query. */
  private listening = false;
  /** The highest epoch heard or read since listening began. */
  private heard = -1;
  private stopListening: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private verifier: ReturnType<typeof setInterval> | undefined;

  /**
   * The epoch for a request. Listening (PostgreSQL): the epoch last heard, no query at all — unless this process
   * has just committed a bump, which one read confirms (its notification may still be on the way). Otherwise one
   * read per request, except that requests arriving while a read is in flight join it. A commit in this process
   * forgets what was read before it.
   */
  currentEpoch(): Promise<number> {
    const at = performance.now();
    if (this.listening && this.known && this.known.at > this.forgottenAt) return Promise.resolve(this.heard);
    if (this.reading) return this.reading.promise;
    const promise = this.source.readEpoch().then(
      (epoch) => {
        if (this.reading?.promise === promise) this.reading = null;
        this.remember(epoch, at);
        return this.listening ? this.heard : epoch;
      },
      (error) => {
        if (this.reading?.promise === promise) this.reading = null;
        throw error;
      },
    );
    this.reading = { promise, at };
    return promise;
  }

  private remember(epoch: number, at: number): void {
    if (this.listening) this.hear(epoch);
    if (at > this.forgottenAt && (!this.known || this.known.at < at)) this.known = { epoch, at };
  }

  /**
   * This process committed an epoch bump (to `epoch`): reads started before now answer no later request, and the
   * epoch watches waiting on an older epoch are answered now, not at the next notification or poll.
   */
  forgetEpoch(epoch?: number): void {
    this.forgottenAt = performance.now();
    this.known = null;
    this.reading = null;
    if (epoch === undefined) return;
    if (this.listening) this.hear(epoch);
    else for (const w of [...this.waiters]) if (w.after < epoch) w.done(epoch);
  }

  /** Starts listening for the epoch's changes (when the source can); `heardEpoch` says whether it is live. */
  private listen(): void {
    if (!this.source.listenEpoch || this.stopListening) return;
    this.stopListening = this.source.listenEpoch(
      (epoch) => this.hear(epoch),
      (up) => {
        // each connection (and each loss) is a generation: a catch-up read of an older one changes nothing
        const generation = ++this.generation;
        this.listening = false;
        clearInterval(this.verifier);
        if (up) this.catchUp(generation);
      },
    );
  }

  private generation = 0;

  /** A read after LISTEN took effect: nothing committed before it is missed; only then are requests served from it. */
  private catchUp(generation: number): void {
    const at = performance.now();
    this.source.readEpoch().then(
      (epoch) => {
        if (generation !== this.generation) return;
        this.heard = Math.max(this.heard, epoch);
        this.listening = true;
        this.remember(epoch, at);
        this.wake();
        this.verify();
      },
      () => {
        const retry = setTimeout(() => generation === this.generation && this.catchUp(generation), 1000);
        retry.unref?.();
      },
    );
  }

  /**
   * While listening, a read now and then: an epoch ahead of what was heard means notifications are not arriving
   * (a connection that died silently, a proxy that drops them): catch up and listen on a new connection.
   */
  private verify(): void {
    clearInterval(this.verifier);
    this.verifier = setInterval(() => {
      const heard = this.heard;
      const generation = this.generation;
      this.source.readEpoch().then(
        (epoch) => {
          if (generation !== this.generation || !this.listening || epoch <= heard || this.heard >= epoch) return;
          console.warn(`[view-api] the epoch moved to ${epoch} without a notification (last heard ${heard}); listening again`);
          this.hear(epoch);
          this.relisten();
        },
        () => {},
      );
    }, this.options.epochVerifyMs);
    this.verifier.unref?.();
  }

  private relisten(): void {
    this.generation++;
    this.listening = false;
    clearInterval(this.verifier);
    this.stopListening?.();
    this.stopListening = null;
    this.listen();
  }

  private hear(epoch: number): void {
    if (epoch <= this.heard) return;
    this.heard = epoch;
    this.wake();
  }

  /** Listening: answers every epoch watch waiting on another epoch than the one heard. */
  private wake(): void {
    if (!this.listening) return;
    for (const w of [...this.waiters]) if (w.after !== this.heard) w.done(this.heard);
  }

  /** Whether requests take the epoch from notifications (for tests and the health of the listener). */
  get heardEpoch(): number | null {
    return this.listening ? this.heard : null;
  }

  /** Stops listening (tests; a process ends without it). */
  close(): void {
    this.generation++;
    this.stopListening?.();
    this.stopListening = null;
    this.listening = false;
    clearInterval(this.verifier);
    this.unsubscribe();
  }

  now(): Date {
    return this.options.now();
  }

  async loadData(epoch: number): Promise<DataPart> {
    const data = await loadData(this.source, this.lastData?.bases ?? null, (content) => this.intern(content));
    if (!this.lastData || this.lastData.epoch <= epoch) this.lastData = { epoch, bases: data.bases };
    return data;
  }

  /** Reads the epoch and returns it with the snapshot to answer from (loaded after that read). */
  async begin(): Promise<{ epoch: number; snapshot: Snapshot }> {
    const epoch = await this.currentEpoch();
    return { epoch, snapshot: this.at(epoch) };
  }

  /**
   * The connector's epoch watch: resolves with the epoch as soon as it is known to differ from `after` (heard,
   * or read), or with the epoch as it is when `waitMs` passes (heard, or read then), or with `after` when `signal`
   * aborts (the client went away); rejects when the epoch cannot be read (the watch then stops trusting what it
   * knows). Without a listener one poller per process reads the epoch every `epochPollMs` while anyone waits.
   */
  waitForEpoch(after: number, waitMs: number, signal?: AbortSignal): Promise<number> {
    if (this.listening && this.heard !== after) return Promise.resolve(this.heard);
    return new Promise((resolve, reject) => {
      const waiter: EpochWaiter = {
        after,
        done: (outcome) => {
          if (!this.waiters.delete(waiter)) return;
          clearTimeout(timer);
          signal?.removeEventListener("abort", gone);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const gone = () => waiter.done(after);
      const timedOut = () => {
        if (this.listening) return waiter.done(this.heard);
        this.source.readEpoch().then(waiter.done, (error) => waiter.done(error instanceof Error ? error : new Error(String(error))));
      };
      const timer = setTimeout(timedOut, Math.max(0, Math.min(waitMs, MAX_EPOCH_WAIT_MS)));
      this.waiters.add(waiter);
      if (signal?.aborted) return gone();
      signal?.addEventListener("abort", gone, { once: true });
      void this.pollEpoch();
    });
  }

  private polling = false;
  private readonly waiters = new Set<EpochWaiter>();

  private async pollEpoch(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        await new Promise((r) => setTimeout(r, this.options.epochPollMs));
        if (this.listening) continue; // notifications wake the waiters (hear)
        let outcome: number | Error;
        try {
          const at = performance.now();
          outcome = await this.source.readEpoch();
          this.remember(outcome, at);
        } catch (error) {
          outcome = error instanceof Error ? error : new Error(String(error));
        }
        for (const w of [...this.waiters]) if (outcome instanceof Error || w.after !== outcome) w.done(outcome);
      }
    } finally {
      this.polling = false;
    }
  }

  /**
   * The snapshot for a request that read `epoch`. A newer one serves an older epoch too (its data is fresher;
   * the connector learns the newer epoch on its next read). Created synchronously: concurrent first requests
   * share one snapshot and each part of it loads once.
   */
  at(epoch: number): Snapshot {
    const cur = this.current;
    if (cur && cur.epoch >= epoch) return cur;
    const next = new Snapshot(this, epoch);
    this.current = next;
    return next;
  }

  /** lastUsedAt at most once a minute per key and process, never waited for. */
  touch(key: KeyEntry): void {
    const now = Date.now();
    const last = Math.max(key.lastUsedAt?.getTime() ?? 0, this.touched.get(key.id) ?? 0);
    if (now - last <= 60_000) return;
    this.touched.set(key.id, now);
    this.source.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } }).catch(() => {});
  }
}

// On globalThis: Next may load lib/server twice in one process (instrumentation, which registers the fast lane,
// and the routes); one state per database keeps one copy of the snapshot in memory.
const STATES = Symbol.for("steward.viewStates");
const states: WeakMap<DbHandle, Promise<ViewState>> = ((globalThis as Record<symbol, WeakMap<DbHandle, Promise<ViewState>>>)[STATES] ??= new WeakMap());

/** The process's view state over the shared database (one per opened database). */
export async function viewState(): Promise<ViewState> {
  const handle = await getDbHandle();
  let state = states.get(handle);
  if (!state) {
    const reader = epochReader(handle.prisma, handle.kind === "postgres" ? process.env.DATABASE_URL : undefined);
    const isolation = handle.kind === "postgres" ? ("RepeatableRead" as const) : undefined;
    state = Promise.resolve(new ViewState({ prisma: handle.prisma, readEpoch: reader.read, listenEpoch: reader.listen, isolation }));
    states.set(handle, state);
  }
  return state;
}
