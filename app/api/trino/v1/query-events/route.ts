import { postQueryEvents } from "@/lib/server/query-audit";
import { viewApiRoute } from "@/lib/server/view-api";

// Query audit: the connector plugin's event listener posts the records of completed Trino queries that read a
// governed view or were denied (docs/architecture.md, "Query audit"), one (`{...}`) or a batch (`{"events": [...]}`)
// at a time. Same API key as the view API. Idempotent on the query id (the listener may retry).
export const dynamic = "force-dynamic";
export const POST = viewApiRoute(async (_params, _url, _view, call) => postQueryEvents(call.request!));
