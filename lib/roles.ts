// Role names shared by server and client code (mirrors the Prisma enum Role).
export const ROLES = ["ADMIN", "DATA_OWNER", "GOVERNOR", "AUDITOR"] as const;
export type RoleName = (typeof ROLES)[number];

/** ADMIN may do everything; any other role only what it names. */
export function hasAnyRole(roles: readonly string[], allowed: readonly RoleName[]): boolean {
  if (roles.includes("ADMIN")) return true;
  return allowed.some((r) => roles.includes(r));
}
