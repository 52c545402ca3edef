import { listUsers } from "@/lib/server/directory";
import { readJson, route } from "@/lib/server/handlers";
import { createUser } from "@/lib/server/people";
import type { CreateUserInput } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["ADMIN"] }, async ({ actor }) => ({ users: await listUsers(actor) }));

export const POST = route({ roles: ["ADMIN"] }, async ({ actor, req }) => createUser(actor, (await readJson(req)) as CreateUserInput));
