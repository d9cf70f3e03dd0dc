import { RoleNameReferences } from "auth0-org-member-roles/constructs";
import { Lazy } from "cdktn";
import type { Construct } from "constructs";
import { DataAuth0RolesRoles, type DataAuth0RolesRolesConfig } from "./generated/data-auth0roles-roles";
import { CDKTN } from "./library";

export interface Auth0RolesConfig extends Omit<DataAuth0RolesRolesConfig, "names"> {
  /**
   * The tenant's role names, if the code keeps them. Then synthesis already fails for a name
   * `id()` is given that is not among them; without them the check happens at plan time.
   */
  readonly knownNames?: readonly string[];
}

/**
 * The tenant's roles by name, so member roles read `roles: [roles.id("billing")]`. The data source
 * `auth0roles_roles` (read once per Terraform command), told every name `id()` was given: a name
 * no role carries fails the plan, naming the closest existing names.
 */
export class Auth0Roles extends DataAuth0RolesRoles {
  private readonly references: RoleNameReferences;

  constructor(scope: Construct, id: string, config: Auth0RolesConfig = {}) {
    const { knownNames, ...dataSourceConfig } = config;
    super(scope, id, dataSourceConfig);
    const references = new RoleNameReferences(this, (name) => this.roles.lookup(name), knownNames, CDKTN);
    this.references = references;
    this.names = Lazy.listValue({ produce: () => references.usedNames() }, { omitEmpty: true });
  }

  /** The id of the role called `name`, known at plan time; role ids and these mix in one list. */
  id(name: string): string {
    return this.references.id(name);
  }
}
