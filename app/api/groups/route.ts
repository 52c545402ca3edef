import { readJson, route } from "@/lib/server/handlers";
import { createGroup, listGroups } from "@/lib/server/people";
import type { CreateGroupInput } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async ({ actor }) => ({ groups: await listGroups(actor) }));

export const POST = route({ roles: ["ADMIN"] }, async ({ actor, req }) => createGroup(actor, (await readJson(req)) as CreateGroupInput));
