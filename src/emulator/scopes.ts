/** Management API scopes the emulated endpoints check. */
export const SCOPES = {
  readMemberRoles: "read:organization_member_roles",
  createMemberRoles: "create:organization_member_roles",
  deleteMemberRoles: "delete:organization_member_roles",
  readMembers: "read:organization_members",
  createMembers: "create:organization_members",
  deleteMembers: "delete:organization_members",
  readRoles: "read:roles",
  readOrganizations: "read:organizations",
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);
