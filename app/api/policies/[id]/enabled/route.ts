import { z } from "zod";
import { parseInput, readJson, route } from "@/lib/server/handlers";
import { setPolicyEnabled } from "@/lib/server/policies";
import { versionSchema } from "@/lib/validations/policy";

export const dynamic = "force-dynamic";

/** `version`: the version of the policy the caller saw (409 when it changed since). */
const body = z.strictObject({ enabled: z.boolean(), version: versionSchema });

export const PUT = route({ roles: ["GOVERNOR", "DATA_OWNER"] }, async ({ actor, req, params }) => {
  const { enabled, version } = parseInput(body, await readJson(req));
  const policy = await setPolicyEnabled(actor, params.id, enabled, version);
  return { id: policy.id, enabled: policy.enabled, version: policy.version };
});
