/**
 * The tenant this example manages: in a real repository these ids come from your Auth0 dashboard
 * (Organizations, User Management > Roles). Role ids, not names: names can be renamed, ids cannot.
 */
export const ACME_ORGANIZATION = "org_acme000000000001";

export const ROLES = {
  admin: "rol_admin00000000001",
  billing: "rol_billing000000001",
  support: "rol_support000000001",
  viewer: "rol_viewer0000000001",
} as const;

export interface MemberAccess {
  /** A readable name; it becomes the construct id and so the Terraform resource name. */
  readonly name: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

/** Who holds which roles in the Acme organization. Reviewed in pull requests, applied by the pipeline. */
export const ACME_MEMBERS: readonly MemberAccess[] = [
  { name: "alice", userId: "auth0|alice", roles: [ROLES.admin, ROLES.billing] },
  { name: "bob", userId: "auth0|bob", roles: [ROLES.billing, ROLES.viewer] },
  { name: "carol", userId: "auth0|carol", roles: [ROLES.support] },
];
