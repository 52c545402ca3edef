import { readJson, route } from "@/lib/server/handlers";
import { getUserForEdit, updateUser } from "@/lib/server/people";
import type { UpdateUserInput } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async ({ actor, params }) => getUserForEdit(actor, params.id));

export const PATCH = route({ roles: ["ADMIN"] }, async ({ actor, req, params }) => updateUser(actor, params.id, (await readJson(req)) as UpdateUserInput));
