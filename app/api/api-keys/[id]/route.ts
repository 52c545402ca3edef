import { route } from "@/lib/server/handlers";
import { revokeApiKey } from "@/lib/server/integration";

export const dynamic = "force-dynamic";

/** Revokes (keeps the row, for the audit trail). */
export const DELETE = route({ roles: ["ADMIN"] }, async ({ actor, params }) => {
  await revokeApiKey(actor, params.id);
  return { id: params.id, revoked: true };
});
