// https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/data-sources/roles
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataAuth0RolesRolesConfig extends cdktf.TerraformMetaArguments {
  /**
  * Role names this configuration uses. Each must be the name of exactly one role of the tenant, or the plan fails naming it and the closest existing names; a typo then stops the plan here instead of at an invalid map key.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/data-sources/roles#names DataAuth0RolesRoles#names}
  */
  readonly names?: string[];
}

/**
* Represents a {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/data-sources/roles auth0roles_roles}
*/
export class DataAuth0RolesRoles extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auth0roles_roles";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataAuth0RolesRoles resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAuth0RolesRoles to import
  * @param importFromId The id of the existing DataAuth0RolesRoles that should be imported. Refer to the {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/data-sources/roles#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAuth0RolesRoles to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "auth0roles_roles", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs/data-sources/roles auth0roles_roles} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAuth0RolesRolesConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataAuth0RolesRolesConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'auth0roles_roles',
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
    this._names = config.names;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // names - computed: false, optional: true, required: false
  private _names?: string[]; 
  public get names() {
    return this.getListAttribute('names');
  }
  public set names(value: string[]) {
    this._names = value;
  }
  public resetNames() {
    this._names = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get namesInput() {
    return this._names;
  }

  // roles - computed: true, optional: false, required: false
  private _roles = new cdktf.StringMap(this, "roles");
  public get roles() {
    return this._roles;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      names: cdktf.listMapper(cdktf.stringToTerraform, false)(this._names),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      names: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._names),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
