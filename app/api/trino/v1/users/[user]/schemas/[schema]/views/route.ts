import { viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(({ user, schema }, _url, v) => v.snapshot.views(user, schema, v.project, v.now));
