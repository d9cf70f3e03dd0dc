/**
 * The Management API client, loaded when the first one is constructed. It brings in axios and its
 * dependencies, which Terraform only needs after ConfigureProvider; several of the provider
 * processes Terraform starts per command never configure, and every one of them pays for what it
 * loads before the handshake.
 */
import type * as MemberRoles from "../management/member-roles";

export type ManagementClient = MemberRoles.ManagementClient;
type ManagementClientClass = typeof MemberRoles.ManagementClient;

let loaded: ManagementClientClass | undefined;

function load(): ManagementClientClass {
  // require rather than import(): construction is synchronous. Bundled, it runs the module on demand.
  loaded ??= (require("../management/member-roles") as typeof MemberRoles).ManagementClient;
  return loaded;
}

/** `new ManagementClient(options)` builds the real client (a constructor returning an object yields it). */
export const ManagementClient = function ManagementClient(
  ...args: ConstructorParameters<ManagementClientClass>
) {
  return new (load())(...args);
} as unknown as ManagementClientClass;
