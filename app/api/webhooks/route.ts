import { readJson, route } from "@/lib/server/handlers";
import { createWebhook, listWebhooks } from "@/lib/server/webhooks";
import type { CreateWebhookInput } from "@/lib/validations/integration";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async ({ actor }) => ({ webhooks: await listWebhooks(actor) }));

export const POST = route({ roles: ["ADMIN"] }, async ({ actor, req }) => createWebhook(actor, (await readJson(req)) as CreateWebhookInput));
