import { z } from "zod";
import { parseInput, readJson, route } from "@/lib/server/handlers";
import { setPolicyEnabled } from "@/lib/server/policies";

export const dynamic = "force-dynamic";

const body = z.strictObject({ enabled: z.boolean() });

export const PUT = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, req, params }) => {
  const { enabled } = parseInput(body, await readJson(req));
  const policy = await setPolicyEnabled(actor, params.id, enabled);
  return { id: policy.id, enabled: policy.enabled };
});
