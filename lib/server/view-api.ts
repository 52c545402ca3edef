import "server-only";
import { createHash } from "node:crypto";
import type { DataSourceInput, PolicyInput } from "@/lib/policy";
import type { Prisma } from "@/generated/prisma/client";
import { BadRequestError } from "./errors";
import type { Tx } from "./governance";
import { errorResponse } from "./handlers";
import { assertTextParams, assertTextUrl } from "./http-guards";
import { toPolicyInput, viewState, ViewApiError, type Snapshot } from "./view-snapshot";

// The connector's API (docs/architecture.md, "View API"). Answers come from the in-memory snapshot of the epoch
// each request reads first (lib/server/view-snapshot.ts); the exports below the route wrapper are shared with
// the console's preview, registration and re-sync, which compile the same way straight from the database.

export { HASH_KEY_TABLE, isVisible, ViewApiError, type ListedView, type ViewDefinition } from "./view-snapshot";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What toDataSourceInput needs loaded (exported for the console's preview, which compiles the same way). */
export const dataSourceInclude = {
  columns: { orderBy: { ordinal: "asc" }, include: { tags: { include: { tag: true } } } },
  tags: { include: { tag: true } },
  subscription: true,
} as const;

export type LoadedDataSource = Prisma.DataSourceGetPayload<{ include: typeof dataSourceInclude }>;

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

export async function loadPolicyInputs(db: Tx, dataSourceId: string): Promise<PolicyInput[]> {
  const rows = await db.dataPolicy.findMany({
    where: { enabled: true, OR: [{ scope: "GLOBAL" }, { scope: "LOCAL", dataSourceId }] },
    include: { tag: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toPolicyInput);
}

type Params = Record<string, string>;

/** What a view API handler answers from: the epoch read first, its snapshot, the clock, the session project. */
export interface ViewRequest {
  epoch: number;
  snapshot: Snapshot;
  now: Date;
  project: string | null;
}

function bearerKeyHash(req: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!match) throw new ViewApiError(401, "An API key is required (Authorization: Bearer <key>).", "UNAUTHORIZED");
  return hashApiKey(match[1]);
}

/**
 * Route wrapper for the connector's API (GETs, and the query audit's POST): path segments and query values that are text (400 BAD_REQUEST, before
 * any query), the epoch read before the answer (a connector that caches this answer under this epoch must never
 * miss a later change), API-key auth against that epoch's snapshot, JSON errors with a code, no HTTP caching.
 * On a warm snapshot the epoch read is the only query.
 */
export function viewApiRoute(fn: (params: Params, url: URL, view: ViewRequest, req: Request) => Promise<object>) {
  return async (req: Request, ctx: { params: Promise<Params> }): Promise<Response> => {
    try {
      const url = assertTextUrl(req);
      const params = (await ctx.params) ?? {};
      assertTextParams(params);
      const keyHash = bearerKeyHash(req);
      const state = await viewState();
      const { epoch, snapshot } = await state.begin();
      if (!(await snapshot.authenticate(keyHash))) throw new ViewApiError(401, "The API key is not valid or was revoked.", "UNAUTHORIZED");
      const body = await fn(params, url, { epoch, snapshot, now: state.now(), project: url.searchParams.get("project") || null }, req);
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

