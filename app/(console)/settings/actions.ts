"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/server/handlers";
import { createApiKey, revokeApiKey } from "@/lib/server/integration";

export const createApiKeyAction = action(
  { roles: ["ADMIN"], schema: z.strictObject({ name: z.string().trim().min(1, "Give the key a name.").max(100) }) },
  async (actor, { name }) => {
    const key = await createApiKey(actor, name);
    revalidatePath("/settings");
    return key;
  },
);

export const revokeApiKeyAction = action({ roles: ["ADMIN"], schema: z.strictObject({ id: z.string().min(1).max(64) }) }, async (actor, { id }) => {
  await revokeApiKey(actor, id);
  revalidatePath("/settings");
  return { id };
});
