import { route } from "@/lib/server/handlers";
import { deleteGroup, getGroup } from "@/lib/server/people";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async ({ actor, params }) => getGroup(actor, params.id));

export const DELETE = route({ roles: ["ADMIN"] }, async ({ actor, params }) => deleteGroup(actor, params.id));
