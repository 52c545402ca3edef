import { viewApiGet } from "@/lib/server/view-api-endpoints";

// lib/server/view-api-endpoints.ts (scripts/serve.mjs answers this path with the same handler before Next does)
export const dynamic = "force-dynamic";
export const GET = viewApiGet.views;
