import { readJson, route } from "@/lib/server/handlers";
import { getIntegrationSettings, updateIntegration } from "@/lib/server/integration";
import type { IntegrationSettingsInput } from "@/lib/validations/integration";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async () => getIntegrationSettings());

export const PUT = route({ roles: ["ADMIN"] }, async ({ actor, req }) => updateIntegration(actor, (await readJson(req)) as IntegrationSettingsInput));
