import { z } from "zod";
import { NotFoundError } from "@/lib/server/errors";
import { text } from "@/lib/validations/text";
import { parseInput, readJson, route } from "@/lib/server/handlers";
import { approveSubscription, denySubscription, revokeSubscription } from "@/lib/server/subscriptions";

export const dynamic = "force-dynamic";

const body = z.strictObject({ reason: text().trim().max(2000).optional() });
// A Map, not an object literal: `constructor`, `toString` or `__proto__` must not find Object.prototype's members.
const decisions = new Map([
  ["approve", approveSubscription],
  ["deny", denySubscription],
  ["revoke", revokeSubscription],
]);

export const POST = route({}, async ({ actor, req, params }) => {
  const decide = decisions.get(params.decision);
  if (!decide) throw new NotFoundError(`Unknown decision '${params.decision}': use approve, deny or revoke.`);
  const { reason } = parseInput(body, await readJson(req, { emptyAs: {} }));
  const sub = await decide(actor, params.id, reason);
  return { id: sub.id, state: sub.state };
});
