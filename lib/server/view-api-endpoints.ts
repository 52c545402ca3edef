import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "@/lib/security-headers";
import { BadRequestError } from "./errors";
import { answerJson, viewApiHeaders, viewApiRoute } from "./view-api";
import { MAX_EPOCH_WAIT_MS } from "./view-snapshot";

// The connector's GET endpoints (docs/architecture.md, "View API"), in one table: the app/api/trino/v1 route files
// export these handlers, and the console's server (scripts/serve.mjs) answers the same paths with the same handlers
// before Next's router sees them (`serveViewApi`), which costs a request ~2 ms less on this hardware.

const PREFIX = "/api/trino/v1/";

/** `?after=<epoch>&waitMs=<ms>`: held until the epoch differs from `after` (the connector's epoch watch). */
function epochWait(url: URL): { after: number; waitMs: number } | null {
  const after = url.searchParams.get("after");
  if (after === null) return null;
  const wait = url.searchParams.get("waitMs") ?? "0";
  if (!/^\d{1,15}$/.test(after)) throw new BadRequestError("after must be an epoch (a non-negative integer).");
  if (!/^\d{1,9}$/.test(wait)) throw new BadRequestError(`waitMs must be a number of milliseconds (at most ${MAX_EPOCH_WAIT_MS}).`);
  return { after: Number(after), waitMs: Math.min(Number(wait), MAX_EPOCH_WAIT_MS) };
}

export const viewApiGet = {
  epoch: viewApiRoute(async (_params, url, v, call) => {
    const wait = epochWait(url);
    if (!wait || wait.after !== v.epoch || wait.waitMs === 0) return {};
    return { epoch: await v.state.waitForEpoch(wait.after, wait.waitMs, call.signal) };
  }),
  // The installation's HASH key, for the connector's `<catalog>.steward_internal.hash_key` table: compiled views
  // read the key from there (as the service user) instead of carrying it as a literal users could read.
  hashKey: viewApiRoute(async (_params, _url, v) => ({ hashKey: await v.snapshot.hashKey() })),
  schemas: viewApiRoute(({ user }, _url, v) => v.snapshot.schemas(user, v.project, v.now)),
  views: viewApiRoute(({ user, schema }, _url, v) => v.snapshot.views(user, schema, v.project, v.now)),
  view: viewApiRoute(({ user, schema, view }, _url, v) => v.snapshot.view(user, schema, view, v.project, v.now)),
  // Bulk listing for catalog browsing (SHOW TABLES, information_schema.columns, BI tools): every view the user sees,
  // with its definition, in one call, so a cold connector cache makes no call per view. `?schema=` narrows it.
  listing: viewApiRoute(({ user }, url, v) => v.snapshot.listing(user, v.project, url.searchParams.get("schema") || null, v.now)),
};

type Handler = (typeof viewApiGet)[keyof typeof viewApiGet];

/** Path templates under /api/trino/v1/ (`:name` a parameter), as the route files under app/api/trino/v1 lay them out. */
const TEMPLATES: [string[], Handler][] = [
  [["epoch"], viewApiGet.epoch],
  [["hash-key"], viewApiGet.hashKey],
  [["users", ":user", "schemas"], viewApiGet.schemas],
  [["users", ":user", "schemas", ":schema", "views"], viewApiGet.views],
  [["users", ":user", "schemas", ":schema", "views", ":view"], viewApiGet.view],
  [["users", ":user", "views"], viewApiGet.listing],
];

/** The handler and decoded parameters for a GET path, or null (not one of these paths, or not decodable: Next answers it). */
export function matchViewApi(pathname: string): { handler: Handler; params: Record<string, string> } | null {
  if (!pathname.startsWith(PREFIX)) return null;
  const segments = pathname.slice(PREFIX.length).split("/");
  for (const [template, handler] of TEMPLATES) {
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; ok && i < template.length; i++) {
      const t = template[i];
      if (!t.startsWith(":")) ok = t === segments[i];
      else if (segments[i] === "") ok = false;
      else {
        try {
          params[t.slice(1)] = decodeURIComponent(segments[i]);
        } catch {
          return null;
        }
      }
    }
    if (ok) return { handler, params };
  }
  return null;
}

/**
 * Answers a GET of the view API straight from Node's request, with the same handler Next's route would run (no
 * Web Request/Response in between: ~50 us a request); false when the request is anything else (the caller hands
 * it to Next).
 */
export function serveViewApi(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" || !req.url) return false;
  const q = req.url.indexOf("?");
  const match = matchViewApi(q === -1 ? req.url : req.url.slice(0, q));
  if (!match) return false;
  let url: URL;
  try {
    url = new URL(req.url, "http://localhost");
  } catch {
    return false;
  }
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  match.handler.answer({ url, authorization: req.headers.authorization ?? null, params: match.params, signal: abort.signal }).then(
    ({ status, body }) => {
      const json = answerJson(body);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": json.length,
        ...viewApiHeaders(status),
        ...FRAME_HEADERS,
      });
      res.end(json);
    },
    (error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Something went wrong on the server." }));
    },
  );
  return true;
}

/** What next.config.ts adds to every response Next answers. */
const FRAME_HEADERS = Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]));
