import { validateOrganizationRoles } from "../roles";
import { type IsUnresolved, listedRoles, type MemberRolesInputs, type SynthFinding } from "./checks";
import { describeRole } from "./role-names";

/**
 * The synth-time checks of OrganizationRoles, shared by the cdktf and cdktn libraries: they see the
 * constructs' inputs only, and ask the library which values are tokens.
 */

/** An OrganizationRoles construct's inputs as configured; any of them may be a token. */
export interface OrganizationRolesInputs {
  readonly path: string;
  readonly organizationId?: string;
  readonly members?: Readonly<Record<string, readonly string[]>>;
  /** undefined = the default, true. */
  readonly exclusive?: unknown;
}

function located(path: string, detail: string): string {
  return `OrganizationRoles ${path}: ${detail}`;
}

function known(value: string | undefined, isUnresolved: IsUnresolved): string | undefined {
  return value === undefined || isUnresolved(value) ? undefined : value;
}

/** The members known at synth time; a member whose role list is a token is kept with unknown roles. */
function knownMembers(
  members: OrganizationRolesInputs["members"],
  isUnresolved: IsUnresolved,
): Map<string, readonly string[] | undefined> | undefined {
  if (members === undefined || isUnresolved(members)) return undefined;
  return new Map(
    Object.entries(members).map(([userId, roles]) => [
      userId,
      isUnresolved(roles) ? undefined : roles.filter((role) => !isUnresolved(role)),
    ]),
  );
}

/** One construct's own inputs: the provider's checks per member (ids, 50-role cap) plus duplicate roles. */
export function checkOrganizationRoles(
  inputs: OrganizationRolesInputs,
  isUnresolved: IsUnresolved,
): SynthFinding[] {
  const members = knownMembers(inputs.members, isUnresolved);
  const organizationId = known(inputs.organizationId, isUnresolved);
  const findings: SynthFinding[] = validateOrganizationRoles({
    ...(organizationId === undefined ? {} : { organizationId }),
    ...(members === undefined ? {} : { members }),
  }).map((f) => ({
    severity: f.severity,
    message: located(inputs.path, f.field === "organization_id" ? `organizationId: ${f.message}` : f.message),
  }));
  for (const userId of members?.keys() ?? []) {
    for (const [role, count] of duplicates(listedRoles(inputs.members?.[userId], isUnresolved))) {
      findings.push({
        severity: "error",
        message: located(
          inputs.path,
          `members[${JSON.stringify(userId)}] lists role ${describeRole(role)} ${count} times. Each member's roles are a set, so the copies would collapse into one; remove the duplicate (or replace it with the role you meant).`,
        ),
      });
    }
  }
  return findings;
}

function duplicates(roles: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const role of roles) counts.set(role, (counts.get(role) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1);
}

/**
 * Conflicts between OrganizationRoles constructs and the rest of the app, as errors per construct path
 * (each clash reported once, on the OrganizationRoles):
 * - two OrganizationRoles for one organization;
 * - an OrganizationMemberRoles for a member an OrganizationRoles of its organization lists: each would
 *   revoke what the other grants;
 * - any OrganizationMemberRoles in an organization whose OrganizationRoles is exclusive: exclusive
 *   revokes the roles of every member it does not list.
 * Organization ids are unique across tenants, so this holds whichever provider configuration each uses.
 */
export function organizationConflicts(
  organizations: readonly OrganizationRolesInputs[],
  memberConstructs: readonly MemberRolesInputs[],
  isUnresolved: IsUnresolved,
): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const report = (path: string, message: string) => errors.set(path, [...(errors.get(path) ?? []), message]);
  const byOrganization = new Map<string, OrganizationRolesInputs>();
  for (const org of organizations) {
    const id = known(org.organizationId, isUnresolved);
    if (id === undefined) continue;
    const first = byOrganization.get(id);
    if (first === undefined) {
      byOrganization.set(id, org);
      continue;
    }
    report(
      org.path,
      located(
        org.path,
        `organization ${JSON.stringify(id)} is already managed by OrganizationRoles ${first.path}. Each would revoke the roles the other grants; merge their members into one.`,
      ),
    );
  }
  for (const member of memberConstructs) {
    const orgId = known(member.organizationId, isUnresolved);
    const userId = known(member.userId, isUnresolved);
    if (orgId === undefined || userId === undefined) continue;
    const org = byOrganization.get(orgId);
    if (org === undefined) continue;
    const listed = knownMembers(org.members, isUnresolved)?.has(userId) === true;
    const exclusive = org.exclusive === undefined || org.exclusive === true;
    if (listed) {
      report(
        org.path,
        located(
          org.path,
          `member ${JSON.stringify(userId)} of organization ${JSON.stringify(orgId)} is also managed by OrganizationMemberRoles ${member.path}. Each would revoke the roles the other grants on every apply; keep the member in one of them only.`,
        ),
      );
    } else if (exclusive) {
      report(
        org.path,
        located(
          org.path,
          `it is exclusive for organization ${JSON.stringify(orgId)}, so it would revoke the roles OrganizationMemberRoles ${member.path} grants to ${JSON.stringify(userId)} on every apply. Move that member into members, or set exclusive: false.`,
        ),
      );
    }
  }
  return errors;
}
