// https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface Auth0RolesProviderConfig {
  /**
  * Auth0 tenant domain, e.g. `example.eu.auth0.com` (HTTPS). `http://` is accepted only for loopback addresses such as the local emulator. Falls back to the `AUTH0_DOMAIN` environment variable.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#domain Auth0RolesProvider#domain}
  */
  readonly domain?: string;
  /**
  * Client ID of a machine-to-machine application authorized for the Management API. Falls back to `AUTH0_CLIENT_ID`.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#client_id Auth0RolesProvider#client_id}
  */
  readonly clientId?: string;
  /**
  * Client secret of that application. Falls back to `AUTH0_CLIENT_SECRET`.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#client_secret Auth0RolesProvider#client_secret}
  */
  readonly clientSecret?: string;
  /**
  * A Management API access token, instead of client credentials. Falls back to `AUTH0_API_TOKEN`. Conflicts with `client_id` and `client_secret`.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#api_token Auth0RolesProvider#api_token}
  */
  readonly apiToken?: string;
  /**
  * Audience of the Management API token. Defaults to `https://{domain}/api/v2/`; set it when `domain` is a custom domain. Falls back to `AUTH0_AUDIENCE`.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#audience Auth0RolesProvider#audience}
  */
  readonly audience?: string;
  /**
  * Upper limit on the provider's Management API requests per second, all resources together, on top of the pacing the provider already does by the tenant's rate limits (learned from Auth0's rate-limit headers). Set it to leave room for other clients of the tenant. Must be greater than 0. Falls back to `AUTH0_MAX_REQUESTS_PER_SECOND`.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#max_requests_per_second Auth0RolesProvider#max_requests_per_second}
  */
  readonly maxRequestsPerSecond?: number;
  /**
  * How long one Terraform operation on one resource (a refresh, a create, an update, a destroy) may take, its retries, rate-limit waits and read-backs included; past it the operation fails and says what it was waiting for. Seconds (`"300"`) or a duration (`"90s"`, `"5m"`, `"1h"`), from 1s to 24h. Default `5m`. Falls back to `AUTH0_OPERATION_TIMEOUT`.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#operation_timeout Auth0RolesProvider#operation_timeout}
  */
  readonly operationTimeout?: string;
  /**
  * When many members of one organization are refreshed in one run, read the organization's member list with their roles once instead of each member separately, and confirm any difference from the state with the member's own roles. Default `true`; `false` reads each member separately, the official provider's strategy.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#bulk_refresh Auth0RolesProvider#bulk_refresh}
  */
  readonly bulkRefresh?: boolean | cdktn.IResolvable;
  /**
  * What a plan does when an organization does not exist or a user is not a member of it, so that apply would fail unless another resource of the same apply creates them first. `"warn"` (default) keeps the plan green with a warning, because creating the membership in the same apply (e.g. the official provider's `auth0_organization_member`) is a correct setup; `"error"` fails the plan, for pipelines whose memberships exist before roles are applied.
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#plan_checks Auth0RolesProvider#plan_checks}
  */
  readonly planChecks?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#alias Auth0RolesProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs auth0roles}
*/
export class Auth0RolesProvider extends cdktn.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auth0roles";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a Auth0RolesProvider resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Auth0RolesProvider to import
  * @param importFromId The id of the existing Auth0RolesProvider that should be imported. Refer to the {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Auth0RolesProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "auth0roles", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://terraform.local/providers/rolesascode/auth0roles/0.1.0/docs auth0roles} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options Auth0RolesProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: Auth0RolesProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'auth0roles',
      terraformGeneratorMetadata: {
        providerName: 'auth0roles',
        providerVersion: '0.1.0'
      },
      terraformProviderSource: 'terraform.local/rolesascode/auth0roles'
    });
    this._domain = config.domain;
    this._clientId = config.clientId;
    this._clientSecret = config.clientSecret;
    this._apiToken = config.apiToken;
    this._audience = config.audience;
    this._maxRequestsPerSecond = config.maxRequestsPerSecond;
    this._operationTimeout = config.operationTimeout;
    this._bulkRefresh = config.bulkRefresh;
    this._planChecks = config.planChecks;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // domain - computed: false, optional: true, required: false
  private _domain?: string; 
  public get domain() {
    return this._domain;
  }
  public set domain(value: string | undefined) {
    this._domain = value;
  }
  public resetDomain() {
    this._domain = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get domainInput() {
    return this._domain;
  }

  // client_id - computed: false, optional: true, required: false
  private _clientId?: string; 
  public get clientId() {
    return this._clientId;
  }
  public set clientId(value: string | undefined) {
    this._clientId = value;
  }
  public resetClientId() {
    this._clientId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get clientIdInput() {
    return this._clientId;
  }

  // client_secret - computed: false, optional: true, required: false
  private _clientSecret?: string; 
  public get clientSecret() {
    return this._clientSecret;
  }
  public set clientSecret(value: string | undefined) {
    this._clientSecret = value;
  }
  public resetClientSecret() {
    this._clientSecret = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get clientSecretInput() {
    return this._clientSecret;
  }

  // api_token - computed: false, optional: true, required: false
  private _apiToken?: string; 
  public get apiToken() {
    return this._apiToken;
  }
  public set apiToken(value: string | undefined) {
    this._apiToken = value;
  }
  public resetApiToken() {
    this._apiToken = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiTokenInput() {
    return this._apiToken;
  }

  // audience - computed: false, optional: true, required: false
  private _audience?: string; 
  public get audience() {
    return this._audience;
  }
  public set audience(value: string | undefined) {
    this._audience = value;
  }
  public resetAudience() {
    this._audience = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get audienceInput() {
    return this._audience;
  }

  // max_requests_per_second - computed: false, optional: true, required: false
  private _maxRequestsPerSecond?: number; 
  public get maxRequestsPerSecond() {
    return this._maxRequestsPerSecond;
  }
  public set maxRequestsPerSecond(value: number | undefined) {
    this._maxRequestsPerSecond = value;
  }
  public resetMaxRequestsPerSecond() {
    this._maxRequestsPerSecond = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRequestsPerSecondInput() {
    return this._maxRequestsPerSecond;
  }

  // operation_timeout - computed: false, optional: true, required: false
  private _operationTimeout?: string; 
  public get operationTimeout() {
    return this._operationTimeout;
  }
  public set operationTimeout(value: string | undefined) {
    this._operationTimeout = value;
  }
  public resetOperationTimeout() {
    this._operationTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get operationTimeoutInput() {
    return this._operationTimeout;
  }

  // bulk_refresh - computed: false, optional: true, required: false
  private _bulkRefresh?: boolean | cdktn.IResolvable; 
  public get bulkRefresh() {
    return this._bulkRefresh;
  }
  public set bulkRefresh(value: boolean | cdktn.IResolvable | undefined) {
    this._bulkRefresh = value;
  }
  public resetBulkRefresh() {
    this._bulkRefresh = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get bulkRefreshInput() {
    return this._bulkRefresh;
  }

  // plan_checks - computed: false, optional: true, required: false
  private _planChecks?: string; 
  public get planChecks() {
    return this._planChecks;
  }
  public set planChecks(value: string | undefined) {
    this._planChecks = value;
  }
  public resetPlanChecks() {
    this._planChecks = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get planChecksInput() {
    return this._planChecks;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public override get alias() {
    return this._alias;
  }
  public override set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      domain: cdktn.stringToTerraform(this._domain),
      client_id: cdktn.stringToTerraform(this._clientId),
      client_secret: cdktn.stringToTerraform(this._clientSecret),
      api_token: cdktn.stringToTerraform(this._apiToken),
      audience: cdktn.stringToTerraform(this._audience),
      max_requests_per_second: cdktn.numberToTerraform(this._maxRequestsPerSecond),
      operation_timeout: cdktn.stringToTerraform(this._operationTimeout),
      bulk_refresh: cdktn.booleanToTerraform(this._bulkRefresh),
      plan_checks: cdktn.stringToTerraform(this._planChecks),
      alias: cdktn.stringToTerraform(this._alias),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      domain: {
        value: cdktn.stringToHclTerraform(this._domain),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      client_id: {
        value: cdktn.stringToHclTerraform(this._clientId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      client_secret: {
        value: cdktn.stringToHclTerraform(this._clientSecret),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_token: {
        value: cdktn.stringToHclTerraform(this._apiToken),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      audience: {
        value: cdktn.stringToHclTerraform(this._audience),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_requests_per_second: {
        value: cdktn.numberToHclTerraform(this._maxRequestsPerSecond),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      operation_timeout: {
        value: cdktn.stringToHclTerraform(this._operationTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      bulk_refresh: {
        value: cdktn.booleanToHclTerraform(this._bulkRefresh),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      plan_checks: {
        value: cdktn.stringToHclTerraform(this._planChecks),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktn.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
