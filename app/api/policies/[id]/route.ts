import { readJson, route } from "@/lib/server/handlers";
import { deletePolicy, updatePolicy } from "@/lib/server/policies";

export const dynamic = "force-dynamic";

export const PATCH = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, req, params }) => {
  const policy = await updatePolicy(actor, params.id, await readJson(req));
  return { id: policy.id };
});

export const DELETE = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, params }) => deletePolicy(actor, params.id));
