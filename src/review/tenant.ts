import { ManagementApiError, type ManagementClient } from "../management";
import { forEachLimited } from "../provider/resources/organization-sync";

/** What the review asks the tenant: role names and the roles members hold now. Each answer may come with a note for the reader. */
export interface TenantReader {
  roleNames(
    ids: readonly string[],
  ): Promise<{ names: Map<string, string>; missing: string[]; note?: string }>;
  /** The roles one member holds; null when the user is not a member (or does not exist). */
  memberRoles(organizationId: string, userId: string): Promise<string[] | null>;
  /** Every member of the organization with roles, from the members listing. */
  organizationRoles(organizationId: string): Promise<Map<string, string[]>>;
  /** Why the tenant could not be read at all, or undefined when it can. */
  readonly unavailable?: string;
}

// Lookups run side by side; the client's pacer keeps them under the tenant's limits.
export const CONCURRENCY = 4;

/** Reads through the Management API client, so every request is paced, retried and redacted like the provider's. */
export class ManagementTenantReader implements TenantReader {
  private readonly names = new Map<string, Promise<string | null>>();

  constructor(private readonly client: ManagementClient) {}

  async roleNames(ids: readonly string[]) {
    const names = new Map<string, string>();
    const missing: string[] = [];
    let note: string | undefined;
    await forEachLimited([...new Set(ids)], CONCURRENCY, async (id) => {
      if (note) return;
      try {
        const name = await this.cachedName(id);
        if (name === null) missing.push(id);
        else names.set(id, name);
      } catch (error) {
        note ??= roleNameNote(error);
      }
    });
    missing.sort();
    return note ? { names, missing, note } : { names, missing };
  }

  async memberRoles(organizationId: string, userId: string): Promise<string[] | null> {
    try {
      return (await this.client.listMemberRoles(organizationId, userId)).map((r) => r.id).sort();
    } catch (error) {
      if (
        error instanceof ManagementApiError &&
        (error.reason === "not_a_member" || error.reason === "user_not_found")
      ) {
        return null;
      }
      throw error;
    }
  }

  organizationRoles(organizationId: string): Promise<Map<string, string[]>> {
    return this.client.listOrganizationMemberRoles(organizationId);
  }

  private cachedName(id: string): Promise<string | null> {
    let pending = this.names.get(id);
    if (!pending) {
      pending = this.client.getRole(id).then((role) => (role ? (role.name ?? id) : null));
      this.names.set(id, pending);
    }
    return pending;
  }
}

function roleNameNote(error: unknown): string {
  if (error instanceof ManagementApiError && error.reason === "insufficient_scope") {
    return "Role names need the read:roles scope, which these credentials lack; roles are shown by id.";
  }
  const why = error instanceof Error ? error.message : String(error);
  return `Role names could not be read, so roles are shown by id: ${why}`;
}

/** Without credentials: ids only, and creates cannot be checked against what members hold. */
export class NoTenantReader implements TenantReader {
  constructor(readonly unavailable: string) {}

  async roleNames(ids: readonly string[]) {
    const names = new Map<string, string>();
    if (ids.length === 0) return { names, missing: [] };
    return {
      names,
      missing: [],
      note: `Role names were not read (${this.unavailable}), so roles show as ids.`,
    };
  }

  memberRoles(): Promise<string[] | null> {
    return Promise.reject(new Error(this.unavailable));
  }

  organizationRoles(): Promise<Map<string, string[]>> {
    return Promise.reject(new Error(this.unavailable));
  }
}
