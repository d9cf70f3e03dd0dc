import { type Finding, validateMemberRoles } from "../roles";
import { describeRole, isRoleNameReference } from "./role-names";

/**
 * The synth-time checks of OrganizationMemberRoles, shared by the cdktf and cdktn libraries: they
 * see the construct's inputs only, and ask the library which values are tokens.
 */

/** The library's `Token.isUnresolved`: whether a value is resolved only by Terraform. */
export type IsUnresolved = (value: unknown) => boolean;

/** The construct's inputs as configured; any of them may be a token resolved only by Terraform. */
export interface MemberRolesInputs {
  readonly path: string;
  readonly organizationId?: string;
  readonly userId?: string;
  readonly roles?: readonly string[];
}

export type ConstructField = "organizationId" | "userId" | "roles";

export interface SynthFinding {
  readonly severity: "error" | "warning";
  readonly message: string;
}

// The shared checks name Terraform attributes; construct users write the camelCase props.
const CONSTRUCT_FIELD: Readonly<Record<Finding["field"], ConstructField>> = {
  organization_id: "organizationId",
  user_id: "userId",
  roles: "roles",
};

function located(path: string, field: string, detail: string): string {
  return `${field} of OrganizationMemberRoles ${path}: ${detail}`;
}

function known(value: string | undefined, isUnresolved: IsUnresolved): string | undefined {
  return value === undefined || isUnresolved(value) ? undefined : value;
}

/**
 * Role ids known at synth time. A whole-list token (a variable, `Fn.*`, another resource's
 * attribute) is unknown until Terraform runs; single token elements are skipped and the literal
 * ones are still checked.
 */
function knownRoles(
  roles: readonly string[] | undefined,
  isUnresolved: IsUnresolved,
): readonly string[] | undefined {
  if (roles === undefined || isUnresolved(roles)) return undefined;
  return roles.filter((role) => !isUnresolved(role));
}

/** Checks one construct's own inputs: the shared member-roles checks plus duplicate role ids. */
export function checkMemberRoles(inputs: MemberRolesInputs, isUnresolved: IsUnresolved): SynthFinding[] {
  const roles = knownRoles(inputs.roles, isUnresolved);
  const shared = validateMemberRoles({
    organizationId: known(inputs.organizationId, isUnresolved),
    userId: known(inputs.userId, isUnresolved),
    roles,
  }).map((finding) => ({
    severity: finding.severity,
    message: located(inputs.path, CONSTRUCT_FIELD[finding.field], finding.message),
  }));
  return [...shared, ...duplicateRoles(inputs.path, listedRoles(inputs.roles, isUnresolved))];
}

/** The entries of a role list that name one role at synth: literal ids and `roles.id(name)`. */
export function listedRoles(
  roles: readonly string[] | undefined,
  isUnresolved: IsUnresolved,
): readonly string[] {
  if (roles === undefined || isUnresolved(roles)) return [];
  return roles.filter((role) => !isUnresolved(role) || isRoleNameReference(role));
}

// Terraform stores roles as a set, so a repeated id silently collapses into one. That usually
// means a copy-paste slip (one role meant to be another), which deserves a stop, not a shrug.
// `roles.id("a")` listed twice is a repeat too: one name gives one token.
function duplicateRoles(path: string, roles: readonly string[]): SynthFinding[] {
  const counts = new Map<string, number>();
  for (const role of roles) counts.set(role, (counts.get(role) ?? 0) + 1);
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(([role, count]) => ({
      severity: "error",
      message: located(
        path,
        "roles",
        `role ${describeRole(role)} is listed ${count} times. roles is a set, so the copies would collapse into one; remove the duplicate (or replace it with the role you meant).`,
      ),
    }));
}

/** Who manages each (organization, user) pair first, in construct order: the index conflicts are found in. */
export type FirstManagers = ReadonlyMap<string, string>;

function memberKey(organizationId: string, userId: string): string {
  return JSON.stringify([organizationId, userId]);
}

export function firstManagers(all: readonly MemberRolesInputs[], isUnresolved: IsUnresolved): FirstManagers {
  const first = new Map<string, string>();
  for (const inputs of all) {
    const organizationId = known(inputs.organizationId, isUnresolved);
    const userId = known(inputs.userId, isUnresolved);
    if (organizationId === undefined || userId === undefined) continue;
    const key = memberKey(organizationId, userId);
    if (!first.has(key)) first.set(key, inputs.path);
  }
  return first;
}

/**
 * When another construct earlier in the app manages the same member, the error for `self`,
 * naming both. Only the later construct reports, so each clash is reported once.
 *
 * Auth0 organization ids are unique across tenants, so (organization, user) identifies one
 * membership whichever provider configuration each construct uses.
 */
export function sameMemberConflict(
  self: MemberRolesInputs,
  managers: FirstManagers,
  isUnresolved: IsUnresolved,
): string | undefined {
  const organizationId = known(self.organizationId, isUnresolved);
  const userId = known(self.userId, isUnresolved);
  if (organizationId === undefined || userId === undefined) return undefined;
  const first = managers.get(memberKey(organizationId, userId));
  if (first === undefined || first === self.path) return undefined;
  return located(
    self.path,
    "organizationId and userId",
    `member ${JSON.stringify(userId)} of organization ${JSON.stringify(organizationId)} is already managed by OrganizationMemberRoles ${first}. Each would revoke the roles the other grants on every apply; list all of this member's roles in one of them and remove the other.`,
  );
}
