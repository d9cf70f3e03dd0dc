import type { ManagementClient } from "../management";
import { ManagementTenantReader } from "../review";

/** An organization's role assignments as the tenant holds them, ready to be written as code. */
export interface ExportedOrganization {
  organizationId: string;
  /** Members holding at least one role, sorted by user id; role ids sorted. */
  members: { userId: string; roles: string[] }[];
  /** Role id -> name, where the tenant said (scope read:roles). */
  roleNames: Map<string, string>;
  /** What the reader should know: e.g. names missing for want of a scope. */
  notes: string[];
}

/**
 * Reads every member with roles from the members listing (checkpoint pagination), then the names
 * of the roles they hold, the way `review` reads them (side by side, paced, each role once).
 */
export async function readOrganization(
  client: ManagementClient,
  organizationId: string,
): Promise<ExportedOrganization> {
  const roster = await client.listOrganizationMemberRoles(organizationId);
  const members = [...roster]
    .filter(([, roles]) => roles.length > 0)
    .map(([userId, roles]) => ({ userId, roles: [...roles].sort() }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const { names, note } = await new ManagementTenantReader(client).roleNames(
    [...new Set(members.flatMap((m) => m.roles))].sort(),
  );
  return { organizationId, members, roleNames: names, notes: note ? [note] : [] };
}
