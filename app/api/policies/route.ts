import { readJson, route } from "@/lib/server/handlers";
import { createPolicy, listPolicies } from "@/lib/server/policies";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["GOVERNOR", "DATA_OWNER", "AUDITOR"] }, async ({ actor }) => ({ policies: await listPolicies(actor) }));

export const POST = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, req }) => {
  const policy = await createPolicy(actor, await readJson(req));
  return { id: policy.id, version: policy.version };
});
