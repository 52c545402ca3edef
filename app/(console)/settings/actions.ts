"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/server/handlers";
import { createApiKey, createGovernedCatalog, revokeApiKey, testTrinoConnection, updateIntegration } from "@/lib/server/integration";
import { createWebhook, deleteWebhook, setWebhookEnabled } from "@/lib/server/webhooks";
import { apiKeyNameSchema, createWebhookSchema, integrationSettingsSchema, setWebhookEnabledSchema } from "@/lib/validations/integration";

const ADMIN = ["ADMIN"] as const;
const idSchema = z.strictObject({ id: z.string().min(1).max(64) });

export const updateIntegrationAction = action({ roles: ADMIN, schema: integrationSettingsSchema }, async (actor, input) => {
  const saved = await updateIntegration(actor, input);
  revalidatePath("/settings");
  return saved;
});

export const testConnectionAction = action({ roles: ADMIN, schema: integrationSettingsSchema }, (actor, input) => testTrinoConnection(actor, input));

export const createCatalogAction = action({ roles: ADMIN, schema: z.strictObject({}) }, async (actor) => {
  const created = await createGovernedCatalog(actor);
  revalidatePath("/settings");
  return created;
});

export const createApiKeyAction = action({ roles: ADMIN, schema: apiKeyNameSchema }, async (actor, { name }) => {
  const key = await createApiKey(actor, name);
  revalidatePath("/settings");
  return key;
});

export const revokeApiKeyAction = action({ roles: ADMIN, schema: idSchema }, async (actor, { id }) => {
  await revokeApiKey(actor, id);
  revalidatePath("/settings");
  return { id };
});

export const createWebhookAction = action({ roles: ADMIN, schema: createWebhookSchema }, async (actor, input) => {
  const hook = await createWebhook(actor, input);
  revalidatePath("/settings");
  return hook;
});

export const setWebhookEnabledAction = action({ roles: ADMIN, schema: setWebhookEnabledSchema }, async (actor, input) => {
  const r = await setWebhookEnabled(actor, input);
  revalidatePath("/settings");
  return r;
});

export const deleteWebhookAction = action({ roles: ADMIN, schema: idSchema }, async (actor, { id }) => {
  const r = await deleteWebhook(actor, id);
  revalidatePath("/settings");
  return r;
});
