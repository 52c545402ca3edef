import { AppError, BadRequestError } from "@/lib/server/errors";
import { readJsonObject } from "@/lib/server/http-guards";
import { recordQueryEvent } from "@/lib/server/query-audit";
import { viewApiRoute } from "@/lib/server/view-api";

// Query audit: the connector plugin's event listener posts one record per completed Trino query that read a
// governed view or was denied (docs/architecture.md, "Query audit"). Same API key as the view API. Idempotent on
// the query id (the listener may retry); anything that is not a valid record is a 400, never a 500.
export const dynamic = "force-dynamic";
export const POST = viewApiRoute(async (_params, _url, _view, req) => {
  try {
    return await recordQueryEvent(await readJsonObject(req));
  } catch (error) {
    // a body that is not a JSON object, or not a valid record (422 elsewhere in the console): the API says 400
    if (error instanceof AppError && error.status === 422) throw new BadRequestError(error.message);
    throw error;
  }
});
