import { readJson, route } from "@/lib/server/handlers";
import { deletePolicy, updatePolicy } from "@/lib/server/policies";

export const dynamic = "force-dynamic";

// The body carries the changed fields and `version`, the version they were based on (GET /api/policies lists
// it): 409 when the policy changed since. The answer holds the new version.
export const PATCH = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, req, params }) => {
  const policy = await updatePolicy(actor, params.id, await readJson(req));
  return { id: policy.id, version: policy.version };
});

export const DELETE = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, params }) => deletePolicy(actor, params.id));
