import { hasAnyRole, type RoleName } from "./roles";

export interface NavItem {
  href: string;
  label: string;
  /** Empty: every signed-in user. */
  roles: readonly RoleName[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/data-sources", label: "Data sources", roles: [] },
  { href: "/subscriptions", label: "Subscriptions", roles: [] },
  { href: "/policies", label: "Policies", roles: ["GOVERNOR", "DATA_OWNER", "AUDITOR"] },
  { href: "/people", label: "People", roles: ["ADMIN"] },
  { href: "/projects", label: "Projects", roles: [] },
  { href: "/audit", label: "Audit", roles: ["AUDITOR"] },
  { href: "/settings", label: "Settings", roles: ["ADMIN"] },
];

export function navFor(roles: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles.length === 0 || hasAnyRole(roles, item.roles));
}
