"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/server/handlers";
import { createPolicy, deletePolicy, setPolicyEnabled, updatePolicy } from "@/lib/server/policies";
import { compileDraft, previewAsUser } from "@/lib/server/preview";
import { compileDraftSchema, policyIdSchema, previewSchema, savePolicySchema, setPolicyEnabledSchema } from "@/lib/validations/preview";

const ROLES = ["GOVERNOR", "DATA_OWNER"] as const;

function refresh() {
  revalidatePath("/policies", "layout");
  revalidatePath("/data-sources", "layout");
}

// Ownership of the data source (local policies, previews) and GOVERNOR for global ones are checked in lib/server.
export const savePolicyAction = action({ roles: ROLES, schema: savePolicySchema }, async (actor, { id, version, policy }) => {
  const saved = id ? await updatePolicy(actor, id, { ...policy, version }) : await createPolicy(actor, policy);
  refresh();
  return { id: saved.id, version: saved.version };
});

export const deletePolicyAction = action({ roles: ROLES, schema: policyIdSchema }, async (actor, { id }) => {
  await deletePolicy(actor, id);
  refresh();
  return { id };
});

export const setPolicyEnabledAction = action({ roles: ROLES, schema: setPolicyEnabledSchema }, async (actor, { id, enabled, version }) => {
  const saved = await setPolicyEnabled(actor, id, enabled, version);
  refresh();
  return { id, version: saved.version };
});

export const compileDraftAction = action({ roles: ROLES, schema: compileDraftSchema }, (actor, input) => compileDraft(actor, input));

export const previewAction = action({ roles: ROLES, schema: previewSchema }, (actor, input) => previewAsUser(actor, input));
