import { listVisibleViews, viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(async ({ user, schema }, url) => ({
  views: await listVisibleViews(user, schema, url.searchParams.get("project")),
}));
