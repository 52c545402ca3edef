import { z } from "zod";
import { NotFoundError } from "@/lib/server/errors";
import { parseInput, readJson, route } from "@/lib/server/handlers";
import { approveSubscription, denySubscription, revokeSubscription } from "@/lib/server/subscriptions";

export const dynamic = "force-dynamic";

const body = z.strictObject({ reason: z.string().trim().max(2000).optional() });
const decisions = { approve: approveSubscription, deny: denySubscription, revoke: revokeSubscription } as const;

export const POST = route({}, async ({ actor, req, params }) => {
  const decide = decisions[params.decision as keyof typeof decisions];
  if (!decide) throw new NotFoundError(`Unknown decision '${params.decision}'.`);
  const { reason } = parseInput(body, await readJson(req, { emptyAs: {} }));
  const sub = await decide(actor, params.id, reason);
  return { id: sub.id, state: sub.state };
});
