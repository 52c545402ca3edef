import { viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(({ user, schema, view }, _url, v) => v.snapshot.view(user, schema, view, v.project, v.now));
