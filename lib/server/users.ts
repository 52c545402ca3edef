import "server-only";
import { getDb } from "./db";
import { governanceWrite } from "./governance";
import { clearLoginFailures, lockedMinutes, recordLoginFailure, throttleKeys, userKey } from "./login-throttle";
import { verifyPassword } from "./passwords";
import { ROLES, type RoleName } from "@/lib/roles";

export interface UserSummary {
  id: string;
  username: string;
  roles: RoleName[];
  /** Sessions carry the version they were signed in at; a bump (sign-out, password change) ends them all. */
  sessionVersion: number;
}

/**
 * What an unknown user's (or an SSO-only user's) password is checked against, with the parameters of
 * passwords.ts, so that a wrong name costs the same scrypt as a wrong password (users.test.ts checks them).
 */
export const DUMMY_PASSWORD_HASH = "scrypt$32768$8$1$c3Rld2FyZC1kdW1teS1zYQ==$FtnrB6EYwZqDB8Fmi7d1dP7g84hEytIw0/YFG9G2S5U=";

const toRoles = (roles: readonly string[]): RoleName[] => roles.filter((r): r is RoleName => ROLES.includes(r as RoleName));

const toSummary = (user: { id: string; username: string; roles: string[]; sessionVersion: number }): UserSummary => ({
  id: user.id,
  username: user.username,
  roles: toRoles(user.roles),
  sessionVersion: user.sessionVersion,
});

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export type PasswordSignIn = { status: "ok"; user: UserSummary } | { status: "wrong" } | { status: "throttled"; minutes: number };

/**
 * Password sign-in, throttled per user name and per client address (login-throttle.ts): a locked key is
 * refused before any password is checked. "wrong" for an unknown user, a disabled one, or a wrong password:
 * the caller cannot tell which, not even by the time it takes.
 */
export async function authenticateWithPassword(username: string, password: string, opts: { ip?: string | null; now?: Date } = {}): Promise<PasswordSignIn> {
  const db = await getDb();
  const name = normalizeUsername(username);
  const keys = throttleKeys(name, opts.ip);
  const minutes = await lockedMinutes(db, keys, opts.now);
  if (minutes > 0) return { status: "throttled", minutes };
  const user = await db.user.findUnique({ where: { username: name } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !user.passwordHash || !ok || user.disabled) {
    await recordLoginFailure(db, keys, opts.now);
    return { status: "wrong" };
  }
  await clearLoginFailures(db, userKey(name));
  return { status: "ok", user: toSummary(user) };
}

/** Ends every session of the user: with `expected`, only if that is still the current version (a stale cookie cannot end newer sessions). */
export async function endUserSessions(userId: string, expected?: number): Promise<boolean> {
  const db = await getDb();
  const { count } = await db.user.updateMany({
    where: { id: userId, ...(expected !== undefined ? { sessionVersion: expected } : {}) },
    data: { sessionVersion: { increment: 1 } },
  });
  return count > 0;
}

export async function getUserSummary(id: string): Promise<UserSummary | null> {
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id } });
  if (!user || user.disabled) return null;
  return toSummary(user);
}

export async function getUserByUsername(username: string): Promise<UserSummary | null> {
  if (!username) return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { username: normalizeUsername(username) } });
  if (!user || user.disabled) return null;
  return toSummary(user);
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
    return toSummary(user);
  },
    (u) => ({ action: "user.oidc_sync", targetType: "user", targetId: u?.id, details: { groups } }),
  );
}
