// https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface OrganizationRolesConfig extends cdktn.TerraformMetaArguments {
  /**
  * ID of the organization, e.g. `org_0123456789abcdef`. Changing it replaces the resource.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles#organization_id OrganizationRoles#organization_id}
  */
  readonly organizationId: string;
  /**
  * Role IDs per member (user id): the complete set each member holds, 0 to 50. Roles not listed are revoked; a member removed from the map has all its roles revoked.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles#members OrganizationRoles#members}
  */
  readonly members: { [key: string]: string[] } | cdktn.IResolvable;
  /**
  * `true` (default): every member of the organization not in `members` holds no roles; apply revokes theirs, and the plan lists them under `undeclared_members`. `false`: only the members in `members` are managed.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles#exclusive OrganizationRoles#exclusive}
  */
  readonly exclusive?: boolean | cdktn.IResolvable;
}

/**
* Represents a {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles auth0roles_organization_roles}
*/
export class OrganizationRoles extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auth0roles_organization_roles";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a OrganizationRoles resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the OrganizationRoles to import
  * @param importFromId The id of the existing OrganizationRoles that should be imported. Refer to the {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the OrganizationRoles to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "auth0roles_organization_roles", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/resources/organization_roles auth0roles_organization_roles} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options OrganizationRolesConfig
  */
  public constructor(scope: Construct, id: string, config: OrganizationRolesConfig) {
    super(scope, id, {
      terraformResourceType: 'auth0roles_organization_roles',
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
    this._members = config.members;
    this._exclusive = config.exclusive;
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

  // members - computed: false, optional: false, required: true
  private _members?: { [key: string]: string[] } | cdktn.IResolvable; 
  public get members() {
    return this.interpolationForAttribute('members');
  }
  public set members(value: { [key: string]: string[] } | cdktn.IResolvable) {
    this._members = value;
  }
  // Temporarily expose input value. Use with caution.
  public get membersInput() {
    return this._members;
  }

  // exclusive - computed: true, optional: true, required: false
  private _exclusive?: boolean | cdktn.IResolvable; 
  public get exclusive() {
    return this.getBooleanAttribute('exclusive');
  }
  public set exclusive(value: boolean | cdktn.IResolvable) {
    this._exclusive = value;
  }
  public resetExclusive() {
    this._exclusive = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get exclusiveInput() {
    return this._exclusive;
  }

  // undeclared_members - computed: true, optional: false, required: false
  private _undeclaredMembers = new cdktn.StringListMap(this, "undeclared_members");
  public get undeclaredMembers() {
    return this._undeclaredMembers;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      organization_id: cdktn.stringToTerraform(this._organizationId),
      members: cdktn.hashMapper(cdktn.listMapper(cdktn.stringToTerraform, false))(this._members),
      exclusive: cdktn.booleanToTerraform(this._exclusive),
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
      members: {
        value: cdktn.hashMapperHcl(cdktn.listMapperHcl(cdktn.stringToHclTerraform, false))(this._members),
        isBlock: false,
        type: "map",
        storageClassType: "stringListMap",
      },
      exclusive: {
        value: cdktn.booleanToHclTerraform(this._exclusive),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
