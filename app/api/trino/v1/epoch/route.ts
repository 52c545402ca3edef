import { viewApiRoute } from "@/lib/server/view-api";

export const dynamic = "force-dynamic";
export const GET = viewApiRoute(async () => ({}));
