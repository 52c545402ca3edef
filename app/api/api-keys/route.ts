import { parseInput, readJson, route } from "@/lib/server/handlers";
import { createApiKey, listApiKeys } from "@/lib/server/integration";
import { apiKeyNameSchema } from "@/lib/validations/integration";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async ({ actor }) => ({ apiKeys: await listApiKeys(actor) }));

/** The key is in the answer exactly once. */
export const POST = route({ roles: ["ADMIN"] }, async ({ actor, req }) => {
  const { name } = parseInput(apiKeyNameSchema, await readJson(req));
  return createApiKey(actor, name);
});
