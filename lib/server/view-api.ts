import "server-only";
import { createHash } from "node:crypto";
import type { DataSourceInput, PolicyInput } from "@/lib/policy";
import type { Prisma } from "@/generated/prisma/client";
import { BadRequestError } from "./errors";
import type { Tx } from "./governance";
import { errorResponse, toFailure } from "./handlers";
import { assertTextParams, assertTextUrl } from "./http-guards";
import { answerJson, toPolicyInput, viewState, ViewApiError, type Snapshot, type ViewState } from "./view-snapshot";

// The connector's API (docs/architecture.md, "View API"). Answers come from the in-memory snapshot of the epoch
// each request reads first (lib/server/view-snapshot.ts); the exports below the route wrapper are shared with
// the console's preview, registration and re-sync, which compile the same way straight from the database.

export { answerJson, HASH_KEY_TABLE, isVisible, ViewApiError, type ListedView, type ViewDefinition } from "./view-snapshot";

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
  state: ViewState;
  now: Date;
  project: string | null;
}

function bearerKeyHash(authorization: string | null): string {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) throw new ViewApiError(401, "An API key is required (Authorization: Bearer <key>).", "UNAUTHORIZED");
  return hashApiKey(match[1]);
}

/** One call of the connector's API, as Next's route or the fast lane (lib/server/view-api-endpoints.ts) received it. */
export interface ViewApiCall {
  url: URL;
  authorization: string | null;
  /** path parameters, decoded */
  params: Params;
  /** aborts when the client goes away (the epoch watch stops waiting) */
  signal?: AbortSignal;
  /** the Web request, when Next routed it (the query events' POST reads its body) */
  request?: Request;
}

export type ViewApiHandler = (params: Params, url: URL, view: ViewRequest, call: ViewApiCall) => Promise<object>;

/** An answer of the connector's API: the status and the JSON body (200s are never cached). */
export interface ViewApiAnswer {
  status: number;
  body: object;
}

/**
 * The connector's API (GETs, and the query audit's POST): path segments and query values that are text (400
 * BAD_REQUEST, before any query), the epoch read before the answer (a connector that caches this answer under
 * this epoch must never miss a later change), API-key auth against that epoch's snapshot, JSON errors with a code.
 * On a warm snapshot the epoch read is the only query (and requests arriving during a read join it).
 */
export async function answerViewApi(call: ViewApiCall, fn: ViewApiHandler): Promise<ViewApiAnswer> {
  try {
    const url = assertTextUrl(call.url);
    assertTextParams(call.params);
    const keyHash = bearerKeyHash(call.authorization);
    const state = await viewState();
    const { epoch, snapshot } = await state.begin();
    if (!(await snapshot.authenticate(keyHash))) throw new ViewApiError(401, "The API key is not valid or was revoked.", "UNAUTHORIZED");
    const body = await fn(call.params, url, { epoch, snapshot, state, now: state.now(), project: url.searchParams.get("project") || null }, call);
    return { status: 200, body: { epoch, ...body } };
  } catch (error) {
    if (error instanceof ViewApiError) return { status: error.status, body: { error: error.message, code: error.code } };
    if (error instanceof BadRequestError) return { status: 400, body: { error: error.message, code: "BAD_REQUEST" } };
    const f = toFailure(error);
    return { status: f.status, body: { error: f.error, ...(f.fieldErrors ? { fieldErrors: f.fieldErrors } : {}) } };
  }
}

/** Headers of an answer: 200s must never be cached (the epoch labels them). */
export const viewApiHeaders = (status: number): Record<string, string> => (status === 200 ? { "cache-control": "no-store" } : {});

/** A Next route handler over `fn`, with `answer` for callers that are not Next (the fast lane). */
export function viewApiRoute(fn: ViewApiHandler) {
  const route = async (req: Request, ctx: { params: Promise<Params> }): Promise<Response> => {
    let call: ViewApiCall;
    try {
      call = { url: new URL(req.url), authorization: req.headers.get("authorization"), params: (await ctx.params) ?? {}, signal: req.signal, request: req };
    } catch (error) {
      return errorResponse(error);
    }
    const { status, body } = await answerViewApi(call, fn);
    return new Response(answerJson(body) as unknown as BodyInit, { status, headers: { "content-type": "application/json", ...viewApiHeaders(status) } });
  };
  return Object.assign(route, { answer: (call: ViewApiCall) => answerViewApi(call, fn) });
}
