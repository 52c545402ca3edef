import { listVisibleSchemas, viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(async ({ user }, url) => ({
  schemas: await listVisibleSchemas(user, url.searchParams.get("project")),
}));
