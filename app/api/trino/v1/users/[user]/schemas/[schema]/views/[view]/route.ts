import { getViewDefinition, viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(async ({ user, schema, view }, url) => ({
  view: await getViewDefinition(user, schema, view, url.searchParams.get("project")),
}));
