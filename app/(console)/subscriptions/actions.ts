"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/server/handlers";
import { approveSubscription, denySubscription, requestSubscription, revokeSubscription } from "@/lib/server/subscriptions";
import { subscriptionDecisionSchema, subscriptionDenySchema, subscriptionRequestSchema } from "@/lib/validations/data-source";

function refresh() {
  revalidatePath("/subscriptions");
  revalidatePath("/data-sources", "layout");
}

// Every check (who may decide which request) happens in lib/server/subscriptions.ts.
export const requestAccessAction = action({ schema: subscriptionRequestSchema }, async (actor, { dataSourceId, reason }) => {
  const sub = await requestSubscription(actor, dataSourceId, reason);
  refresh();
  return { id: sub.id, state: sub.state };
});

export const approveSubscriptionAction = action({ schema: subscriptionDecisionSchema }, async (actor, { subscriptionId, reason }) => {
  const sub = await approveSubscription(actor, subscriptionId, reason);
  refresh();
  return { id: sub.id, state: sub.state };
});

export const denySubscriptionAction = action({ schema: subscriptionDenySchema }, async (actor, { subscriptionId, reason }) => {
  const sub = await denySubscription(actor, subscriptionId, reason);
  refresh();
  return { id: sub.id, state: sub.state };
});

export const revokeSubscriptionAction = action({ schema: subscriptionDecisionSchema }, async (actor, { subscriptionId, reason }) => {
  const sub = await revokeSubscription(actor, subscriptionId, reason);
  refresh();
  return { id: sub.id, state: sub.state };
});
