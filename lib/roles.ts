/**
 * Dashboard roles and what each may do, in one place. Isomorphic on purpose:
 * the server checks every admin route and action with `can`, and the browser
 * uses the same table only to hide what a role cannot do (never to protect it).
 */
export const ROLES = ["admin", "security", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Read the overview, the session list and a session's detail. */
  "sessions:view": ["admin", "security", "viewer"],
  /** End sessions: one, a user's, selected ones, all issued before a moment. */
  "sessions:kill": ["admin", "security"],
  /** Read and export the audit log. */
  "audit:view": ["admin", "security", "viewer"],
  /** See users and grant or withdraw dashboard roles. */
  "users:manage": ["admin"],
  /** Change the live session policy. */
  "policy:edit": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything: sessions, kills, audit log, policy and roles.",
  security: "Sees every session, ends sessions and reads the audit log.",
  viewer: "Reads sessions and the audit log; changes nothing.",
};
