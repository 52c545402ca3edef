import { viewApiRoute } from "@/lib/server/view-api";

// The installation's HASH key, for the connector's `<catalog>.steward_internal.hash_key` table: compiled views
// read the key from there (as the service user) instead of carrying it as a literal users could read.
export const dynamic = "force-dynamic";
export const GET = viewApiRoute(async (_params, _url, v) => ({ hashKey: await v.snapshot.hashKey() }));
