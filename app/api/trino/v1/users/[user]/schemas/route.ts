import { viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(({ user }, _url, v) => v.snapshot.schemas(user, v.project, v.now));
