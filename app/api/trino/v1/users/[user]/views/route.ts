import { viewApiRoute } from "@/lib/server/view-api";

// Bulk listing for catalog browsing (SHOW TABLES, information_schema.columns, BI tools): every view the user sees,
// with its definition, in one call, so a cold connector cache makes no call per view. `?schema=` narrows it.
export const dynamic = "force-dynamic";
export const GET = viewApiRoute(({ user }, url, v) => v.snapshot.listing(user, v.project, url.searchParams.get("schema") || null, v.now));
