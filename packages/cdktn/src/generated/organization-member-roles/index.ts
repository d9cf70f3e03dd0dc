// https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface OrganizationMemberRolesConfig extends cdktn.TerraformMetaArguments {
  /**
  * ID of the organization, e.g. `org_0123456789abcdef`. Changing it replaces the resource.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles#organization_id OrganizationMemberRoles#organization_id}
  */
  readonly organizationId: string;
  /**
  * ID of the member, e.g. `auth0|alice`. Changing it replaces the resource.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles#user_id OrganizationMemberRoles#user_id}
  */
  readonly userId: string;
  /**
  * The complete set of role IDs the member holds in the organization (0 to 50). Roles assigned outside Terraform are revoked on apply; an empty set means the member holds no roles.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles#roles OrganizationMemberRoles#roles}
  */
  readonly roles: string[];
}

/**
* Represents a {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles auth0roles_organization_member_roles}
*/
export class OrganizationMemberRoles extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auth0roles_organization_member_roles";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a OrganizationMemberRoles resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the OrganizationMemberRoles to import
  * @param importFromId The id of the existing OrganizationMemberRoles that should be imported. Refer to the {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the OrganizationMemberRoles to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "auth0roles_organization_member_roles", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_member_roles auth0roles_organization_member_roles} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options OrganizationMemberRolesConfig
  */
  public constructor(scope: Construct, id: string, config: OrganizationMemberRolesConfig) {
    super(scope, id, {
      terraformResourceType: 'auth0roles_organization_member_roles',
      terraformGeneratorMetadata: {
        providerName: 'auth0roles',
        providerVersion: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._organizationId = config.organizationId;
    this._userId = config.userId;
    this._roles = config.roles;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // organization_id - computed: false, optional: false, required: true
  private _organizationId?: string; 
  public get organizationId() {
    return this.getStringAttribute('organization_id');
  }
  public set organizationId(value: string) {
    this._organizationId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get organizationIdInput() {
    return this._organizationId;
  }

  // user_id - computed: false, optional: false, required: true
  private _userId?: string; 
  public get userId() {
    return this.getStringAttribute('user_id');
  }
  public set userId(value: string) {
    this._userId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get userIdInput() {
    return this._userId;
  }

  // roles - computed: false, optional: false, required: true
  private _roles?: string[]; 
  public get roles() {
    return cdktn.Fn.tolist(this.getListAttribute('roles'));
  }
  public set roles(value: string[]) {
    this._roles = value;
  }
  // Temporarily expose input value. Use with caution.
  public get rolesInput() {
    return this._roles;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      organization_id: cdktn.stringToTerraform(this._organizationId),
      user_id: cdktn.stringToTerraform(this._userId),
      roles: cdktn.listMapper(cdktn.stringToTerraform, false)(this._roles),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      organization_id: {
        value: cdktn.stringToHclTerraform(this._organizationId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      user_id: {
        value: cdktn.stringToHclTerraform(this._userId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      roles: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._roles),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
