import "server-only";
import { auth } from "./auth";
import { getDb } from "./db";
import { ForbiddenError, UnauthorizedError } from "./errors";
import { hasAnyRole, ROLES, type RoleName } from "@/lib/roles";

export interface Actor {
  id: string;
  username: string;
  roles: RoleName[];
}

/**
 * The signed-in user, re-read from the database so revoked roles and disabled users take effect at once. A
 * session signed in at an older session version (sign-out, password reset since) counts as signed out.
 */
export async function getActor(): Promise<Actor | null> {
  const session = await auth();
  const id = session?.user?.id;
  const version = session?.user?.sessionVersion;
  if (!id || typeof version !== "number") return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id }, select: { id: true, username: true, roles: true, disabled: true, sessionVersion: true } });
  if (!user || user.disabled || user.sessionVersion !== version) return null;
  return { id: user.id, username: user.username, roles: user.roles.filter((r): r is RoleName => ROLES.includes(r)) };
}

export async function requireActor(roles: readonly RoleName[] = []): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new UnauthorizedError();
  requireRole(actor, roles);
  return actor;
}

export function requireRole(actor: Actor, roles: readonly RoleName[]): void {
  if (roles.length > 0 && !hasAnyRole(actor.roles, roles)) {
    throw new ForbiddenError(`This needs the role ${roles.join(" or ")}.`);
  }
}
