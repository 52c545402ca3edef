import { changeOwnPassword } from "@/lib/server/account";
import { readJson, route } from "@/lib/server/handlers";

export const dynamic = "force-dynamic";

/** `{"currentPassword", "newPassword"}`: every session of the caller ends, this one included. */
export const PUT = route({}, async ({ actor, req }) => changeOwnPassword(actor, await readJson(req)));
