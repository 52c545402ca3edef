import "server-only";
import { createHash } from "node:crypto";
import { compile, isSubscribed, type DataSourceInput, type PolicyInput, type SubscriptionState, type UserContext } from "@/lib/policy";
import { getDb } from "./db";
import { AppError, BadRequestError } from "./errors";
import type { Tx } from "./governance";
import { readEpoch } from "./governance";
import { errorResponse } from "./handlers";
import { assertTextParams, assertTextUrl } from "./http-guards";
import { getIntegration } from "./integration";
import { loadUserContext } from "./user-context";

export class ViewApiError extends AppError {
  constructor(
    status: 401 | 404,
    message: string,
    readonly code: "UNAUTHORIZED" | "UNKNOWN_USER" | "NO_SUCH_VIEW",
  ) {
    super(status, message);
  }
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Checks `Authorization: Bearer <key>` against the stored hashes of unrevoked keys. */
export async function authenticateApiKey(req: Request): Promise<void> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ViewApiError(401, "An API key is required (Authorization: Bearer <key>).", "UNAUTHORIZED");
  const db = await getDb();
  const key = await db.apiKey.findUnique({ where: { hash: hashApiKey(match[1]) } });
  if (!key || key.revokedAt) throw new ViewApiError(401, "The API key is not valid or was revoked.", "UNAUTHORIZED");
  // Touch at most once a minute: this runs on every connector call.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
}

/** What toDataSourceInput needs loaded (exported for the console's preview, which compiles the same way). */
export const dataSourceInclude = {
  columns: { orderBy: { ordinal: "asc" }, include: { tags: { include: { tag: true } } } },
  tags: { include: { tag: true } },
  subscription: true,
} as const;

export type LoadedDataSource = NonNullable<Awaited<ReturnType<typeof loadDataSources>>>[number];

async function loadDataSources(db: Tx, where: { governedSchema?: string; name?: string } = {}) {
  return db.dataSource.findMany({
    where: { status: "ACTIVE", ...where },
    include: dataSourceInclude,
    orderBy: [{ governedSchema: "asc" }, { name: "asc" }],
  });
}

export function toDataSourceInput(ds: LoadedDataSource): DataSourceInput {
  return {
    id: ds.id,
    backing: { catalog: ds.backingCatalog, schema: ds.backingSchema, table: ds.backingTable },
    governedSchema: ds.governedSchema,
    name: ds.name,
    columns: ds.columns.map((c) => ({ name: c.name, type: c.type, tags: c.tags.map((t) => t.tag.name).sort() })),
    tags: ds.tags.map((t) => t.tag.name).sort(),
  };
}

/** Whether the view of `ds` is visible to the user, given their subscription row (the preview reuses it). */
export function isVisible(
  ds: Pick<LoadedDataSource, "subscription">,
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

async function visibleTo(db: Tx, userId: string, user: UserContext, sources: LoadedDataSource[], now: Date) {
  const subs = await db.subscription.findMany({ where: { userId, dataSourceId: { in: sources.map((s) => s.id) } } });
  const byDs = new Map(subs.map((s) => [s.dataSourceId, s]));
  return sources.filter((ds) => isVisible(ds, byDs.get(ds.id), user, now));
}

async function requireUser(db: Tx, username: string, project?: string | null) {
  const user = await loadUserContext(db, username, project);
  if (!user) throw new ViewApiError(404, `user '${username}' is not known to Steward`, "UNKNOWN_USER");
  return user;
}

export async function listVisibleSchemas(username: string, project?: string | null): Promise<string[]> {
  const db = await getDb();
  const user = await requireUser(db, username, project);
  const visible = await visibleTo(db, user.id, user.context, await loadDataSources(db), new Date());
  return [...new Set(visible.map((d) => d.governedSchema))].sort();
}

export async function listVisibleViews(username: string, schema: string, project?: string | null): Promise<string[]> {
  const db = await getDb();
  const user = await requireUser(db, username, project);
  const sources = await loadDataSources(db, { governedSchema: schema.toLowerCase() });
  return (await visibleTo(db, user.id, user.context, sources, new Date())).map((d) => d.name);
}

export async function loadPolicyInputs(db: Tx, dataSourceId: string): Promise<PolicyInput[]> {
  const rows = await db.dataPolicy.findMany({
    where: { enabled: true, OR: [{ scope: "GLOBAL" }, { scope: "LOCAL", dataSourceId }] },
    include: { tag: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    scope: p.scope,
    dataSourceId: p.dataSourceId ?? undefined,
    tag: p.tag?.name,
    who: p.who as unknown as PolicyInput["who"],
    action: p.action as unknown as PolicyInput["action"],
    customType: p.customType ?? undefined,
    createdAt: p.createdAt.toISOString(),
  }));
}

/** The connector's system table holding the HASH key (trino-plugin HashKeyTable), in the governed catalog. */
export const HASH_KEY_TABLE = { schema: "steward_internal", table: "hash_key", column: "key" } as const;

export interface ViewDefinition {
  sql: string;
  columns: { name: string; type: string }[];
  owner: string;
  comment: string;
}

export async function getViewDefinition(
  username: string,
  schema: string,
  view: string,
  project?: string | null,
): Promise<ViewDefinition> {
  const db = await getDb();
  const user = await requireUser(db, username, project);
  const sources = await loadDataSources(db, { governedSchema: schema.toLowerCase(), name: view.toLowerCase() });
  const [ds] = await visibleTo(db, user.id, user.context, sources, new Date());
  if (!ds) throw new ViewApiError(404, `view ${schema}.${view} does not exist for '${username}'`, "NO_SUCH_VIEW");
  const integration = await getIntegration(db);
  const compiled = compile(toDataSourceInput(ds), await loadPolicyInputs(db, ds.id), user.context, {
    // the key is read by the view from the connector's table, never written into the SQL users can read
    hashKeyFrom: { ...HASH_KEY_TABLE, catalog: integration.governedCatalog },
  });
  return {
    sql: compiled.sql,
    columns: compiled.columns,
    owner: integration.serviceUser,
    comment: ds.description ?? `Steward data source ${ds.governedSchema}.${ds.name}`,
  };
}


type Params = Record<string, string>;

/**
 * Route wrapper for the connector's API: path segments and query values that are text (400 BAD_REQUEST, before
 * any query), API-key auth, the epoch read before the answer, JSON errors with a code.
 */
export function viewApiRoute(fn: (params: Params, url: URL) => Promise<object>) {
  return async (req: Request, ctx: { params: Promise<Params> }): Promise<Response> => {
    try {
      const url = assertTextUrl(req);
      const params = (await ctx.params) ?? {};
      assertTextParams(params);
      await authenticateApiKey(req);
      // Read first: a connector that caches this answer under this epoch must never miss a later change.
      const epoch = await readEpoch();
      const body = await fn(params, url);
      return Response.json({ epoch, ...body }, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      if (error instanceof ViewApiError) {
        return Response.json({ error: error.message, code: error.code }, { status: error.status });
      }
      if (error instanceof BadRequestError) return Response.json({ error: error.message, code: "BAD_REQUEST" }, { status: 400 });
      return errorResponse(error);
    }
  };
}
