import { readJson, parseInput, route } from "@/lib/server/handlers";
import { requestSubscription } from "@/lib/server/subscriptions";
import { subscriptionRequestSchema } from "@/lib/validations/data-source";

export const dynamic = "force-dynamic";

export const POST = route({}, async ({ actor, req }) => {
  const input = parseInput(subscriptionRequestSchema, await readJson(req));
  const sub = await requestSubscription(actor, input.dataSourceId, input.reason);
  return { id: sub.id, state: sub.state };
});
