import { ApiError, notFound } from "./errors";
import { validateSeedShape } from "./seed";
import type { SeedData } from "./types";

/** Auth0 docs: an organization member holds at most 50 roles. */
export const MAX_ROLES_PER_MEMBER = 50;

export interface Role {
  id: string;
  name: string;
  description?: string;
  /**
   * Organization-scoped roles (Auth0 Early Access): `type` and the organization that owns the role in
   * `owner_id`. Their names may repeat across organizations, so a name can match several roles.
   */
  type?: string;
  owner_id?: string;
}

export interface User {
  user_id: string;
  name?: string;
  email?: string;
  picture?: string;
}

export interface Client {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

interface Organization {
  id: string;
  name: string;
  /** user id -> directly assigned role ids. */
  members: Map<string, Set<string>>;
  /** Member ids in code-unit order, rebuilt lazily after membership changes (checkpoint cursors rely on it). */
  sortedMembers: string[] | null;
}

/** What `GET /__emulator/state` answers: the whole tenant, secrets left out. */
export interface TenantSnapshot {
  organizations: { id: string; name: string; members: { user_id: string; roles: string[] }[] }[];
  roles: Role[];
  users: User[];
  clients: { clientId: string; scopes: string[] }[];
}

/**
 * The tenant's state, kept in Maps keyed by id. The Management API routes and tests ("by hand in the
 * dashboard") change it through the same methods, which throw the API's own `ApiError`s.
 */
export class Tenant {
  private readonly roles = new Map<string, Role>();
  private readonly users = new Map<string, User>();
  private readonly clients = new Map<string, Client>();
  private readonly organizations = new Map<string, Organization>();

  /** Adds to the existing state; ids already present are updated. Throws naming the offending field. */
  seed(data: SeedData, source = "seed"): void {
    validateSeedShape(data, source);
    // Check references before changing anything, so a bad seed leaves the tenant as it was.
    const roleIds = new Set([...this.roles.keys(), ...(data.roles ?? []).map((r) => r.id)]);
    const userIds = new Set([...this.users.keys(), ...(data.users ?? []).map((u) => u.user_id)]);
    (data.organizations ?? []).forEach((org, i) => {
      (org.members ?? []).forEach((member, j) => {
        const at = `${source}: organizations[${i}].members[${j}]`;
        if (!userIds.has(member.user_id)) {
          throw new Error(`${at}.user_id: user "${member.user_id}" is not in users (add it there first).`);
        }
        (member.roles ?? []).forEach((roleId, k) => {
          if (!roleIds.has(roleId)) {
            throw new Error(`${at}.roles[${k}]: role "${roleId}" is not in roles (add it there first).`);
          }
        });
        const held = new Set([...this.heldRoles(org.id, member.user_id), ...(member.roles ?? [])]);
        if (held.size > MAX_ROLES_PER_MEMBER) {
          throw new Error(
            `${at}.roles: a member holds at most ${MAX_ROLES_PER_MEMBER} roles, this would be ${held.size}.`,
          );
        }
      });
    });

    for (const client of data.clients ?? []) this.addClient(client);
    for (const role of data.roles ?? []) this.addRole(role);
    for (const user of data.users ?? []) this.addUser(user);
    for (const org of data.organizations ?? []) {
      this.addOrganization(org);
      for (const member of org.members ?? []) {
        this.addMember(org.id, member.user_id);
        if (member.roles?.length) this.assignRoles(org.id, member.user_id, member.roles);
      }
    }
  }

  addClient(client: Client): void {
    this.clients.set(client.clientId, { ...client, scopes: [...client.scopes] });
  }

  addRole(role: Role): void {
    this.roles.set(role.id, { ...role });
  }

  addUser(user: User): void {
    this.users.set(user.user_id, { ...user });
  }

  /** Adds an organization, or renames one that exists (its members stay). */
  addOrganization(org: { id: string; name: string }): void {
    const existing = this.organizations.get(org.id);
    if (existing) existing.name = org.name;
    else
      this.organizations.set(org.id, { id: org.id, name: org.name, members: new Map(), sortedMembers: null });
  }

  /** Deletes a role everywhere, as the dashboard does: members lose it too. */
  deleteRole(roleId: string): void {
    if (!this.roles.delete(roleId)) throw notFound.role();
    for (const org of this.organizations.values())
      for (const held of org.members.values()) held.delete(roleId);
  }

  /** Deletes a user and so all of their memberships. */
  deleteUser(userId: string): void {
    if (!this.users.delete(userId)) throw notFound.user();
    for (const org of this.organizations.values()) {
      if (org.members.delete(userId)) org.sortedMembers = null;
    }
  }

  deleteOrganization(orgId: string): void {
    if (!this.organizations.delete(orgId)) throw notFound.organization();
  }

  getClient(clientId: string): Client | undefined {
    return this.clients.get(clientId);
  }

  getRole(roleId: string): Role | undefined {
    return this.roles.get(roleId);
  }

  getUser(userId: string): User | undefined {
    return this.users.get(userId);
  }

  hasOrganization(orgId: string): boolean {
    return this.organizations.has(orgId);
  }

  /** Every organization's id and name, ordered by id. */
  listOrganizations(): { id: string; name: string }[] {
    return [...this.organizations.values()]
      .map(({ id, name }) => ({ id, name }))
      .sort((a, b) => compare(a.id, b.id));
  }

  /** All roles, ordered by name then id. */
  listRoles(): Role[] {
    return [...this.roles.values()].sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id));
  }

  addMember(orgId: string, userId: string): void {
    const org = this.org(orgId);
    if (!this.users.has(userId)) throw notFound.user();
    if (!org.members.has(userId)) {
      org.members.set(userId, new Set());
      org.sortedMembers = null;
    }
  }

  /** Removing a member also drops their roles in that organization. Not a member: nothing to do. */
  removeMember(orgId: string, userId: string): void {
    const org = this.org(orgId);
    if (org.members.delete(userId)) org.sortedMembers = null;
  }

  isMember(orgId: string, userId: string): boolean {
    return this.organizations.get(orgId)?.members.has(userId) ?? false;
  }

  /** Member user ids in code-unit order. Throws 404 for an unknown organization. */
  members(orgId: string): readonly string[] {
    const org = this.org(orgId);
    org.sortedMembers ??= [...org.members.keys()].sort(compare);
    return org.sortedMembers;
  }

  /** Sorted role ids the member holds directly. Throws (404) if the org or user is unknown or not a member. */
  memberRoles(orgId: string, userId: string): string[] {
    return [...this.memberRoleSet(orgId, userId)].sort(compare);
  }

  /** Assigns roles; roles already held are kept (no-op). Throws 404 for unknown roles, 409 past 50 roles. */
  assignRoles(orgId: string, userId: string, roleIds: readonly string[]): void {
    const held = this.memberRoleSet(orgId, userId);
    this.requireRoles(roleIds);
    const added = new Set(roleIds.filter((id) => !held.has(id)));
    if (held.size + added.size > MAX_ROLES_PER_MEMBER) {
      throw new ApiError(409, "No more roles can be assigned to this organization member.", "too_many_roles");
    }
    for (const id of added) held.add(id);
  }

  /** Removes roles; roles not held are ignored. Unknown role ids are a 404, as for assignment. */
  removeRoles(orgId: string, userId: string, roleIds: readonly string[]): void {
    const held = this.memberRoleSet(orgId, userId);
    this.requireRoles(roleIds);
    for (const id of roleIds) held.delete(id);
  }

  snapshot(): TenantSnapshot {
    return {
      organizations: [...this.organizations.values()].map((org) => ({
        id: org.id,
        name: org.name,
        members: this.members(org.id).map((user_id) => ({
          user_id,
          roles: this.memberRoles(org.id, user_id),
        })),
      })),
      roles: this.listRoles(),
      users: [...this.users.values()].map((u) => ({ ...u })),
      clients: [...this.clients.values()].map((c) => ({ clientId: c.clientId, scopes: [...c.scopes] })),
    };
  }

  private org(orgId: string): Organization {
    const org = this.organizations.get(orgId);
    if (!org) throw notFound.organization();
    return org;
  }

  /** The live set (callers in this class mutate it). Checks org, then user, then membership. */
  private memberRoleSet(orgId: string, userId: string): Set<string> {
    const org = this.org(orgId);
    if (!this.users.has(userId)) throw notFound.user();
    const held = org.members.get(userId);
    if (!held) throw notFound.member();
    return held;
  }

  private heldRoles(orgId: string, userId: string): Iterable<string> {
    return this.organizations.get(orgId)?.members.get(userId) ?? [];
  }

  private requireRoles(roleIds: readonly string[]): void {
    const unknown = [...new Set(roleIds.filter((id) => !this.roles.has(id)))];
    if (unknown.length > 0) throw notFound.roles(unknown);
  }
}

/** Plain code-unit order, the same one checkpoint cursors compare with. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
