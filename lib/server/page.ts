import "server-only";
import { forbidden, redirect } from "next/navigation";
import { hasAnyRole, type RoleName } from "@/lib/roles";
import { getActor, type Actor } from "./actor";

/** For server-component pages: sign-in redirect, then a real 403 page when the role is missing. */
export async function pageActor(roles: readonly RoleName[] = []): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  if (roles.length > 0 && !hasAnyRole(actor.roles, roles)) forbidden();
  return actor;
}
