import "server-only";
import { getDb } from "./db";
import { governanceWrite } from "./governance";
import { verifyPassword } from "./passwords";
import { ROLES, type RoleName } from "@/lib/roles";

export interface UserSummary {
  id: string;
  username: string;
  roles: RoleName[];
}

const toRoles = (roles: readonly string[]): RoleName[] => roles.filter((r): r is RoleName => ROLES.includes(r as RoleName));

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Null for an unknown user, a disabled one, or a wrong password: the caller cannot tell which. */
export async function authenticateWithPassword(username: string, password: string): Promise<UserSummary | null> {
  const db = await getDb();
  const user = await db.user.findUnique({ where: { username: normalizeUsername(username) } });
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok || user.disabled) return null;
  return { id: user.id, username: user.username, roles: toRoles(user.roles) };
}

export async function getUserSummary(id: string): Promise<UserSummary | null> {
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id } });
  if (!user || user.disabled) return null;
  return { id: user.id, username: user.username, roles: toRoles(user.roles) };
}

export async function getUserByUsername(username: string): Promise<UserSummary | null> {
  if (!username) return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { username: normalizeUsername(username) } });
  if (!user || user.disabled) return null;
  return { id: user.id, username: user.username, roles: toRoles(user.roles) };
}

export interface OidcClaims {
  usernameClaim: string;
  groupsClaim: string;
}

/** Maps an OIDC profile to a Steward user: created on first sign-in, groups synced from the configured claim. */
export function usernameAndGroupsFromProfile(profile: Record<string, unknown>, claims: OidcClaims) {
  const rawName = profile[claims.usernameClaim] ?? profile.email ?? profile.sub;
  const username = typeof rawName === "string" ? normalizeUsername(rawName) : "";
  const rawGroups = profile[claims.groupsClaim];
  const groups = Array.isArray(rawGroups)
    ? [...new Set(rawGroups.filter((g): g is string => typeof g === "string" && g.length > 0))]
    : typeof rawGroups === "string" && rawGroups
      ? [rawGroups]
      : [];
  return { username, groups };
}

export async function upsertOidcUser(profile: Record<string, unknown>, claims: OidcClaims): Promise<UserSummary | null> {
  const { username, groups } = usernameAndGroupsFromProfile(profile, claims);
  if (!username) return null;
  return governanceWrite<UserSummary | null>(
    { id: null, username },
    { bumpEpoch: true },
    async (tx) => {
    const user = await tx.user.upsert({
      where: { username },
      create: { username, email: typeof profile.email === "string" ? profile.email : null },
      update: {},
    });
    if (user.disabled) return null;
    for (const name of groups) {
      const group = await tx.group.upsert({ where: { name }, create: { name }, update: {} });
      await tx.groupMember.upsert({
        where: { groupId_userId: { groupId: group.id, userId: user.id } },
        create: { groupId: group.id, userId: user.id },
        update: {},
      });
    }
    await tx.groupMember.deleteMany({ where: { userId: user.id, group: { name: { notIn: groups } } } });
    return { id: user.id, username: user.username, roles: toRoles(user.roles) };
  },
    (u) => ({ action: "user.oidc_sync", targetType: "user", targetId: u?.id, details: { groups } }),
  );
}
