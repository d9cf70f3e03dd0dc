import { MAX_ROLES_PER_MEMBER } from "../roles";
import type { ResourceAttribute, ResourceSchema } from "./framework";
import type { IdentitySchema, Schema, SchemaAttribute } from "./protocol/schema";

const providerAttributes: readonly SchemaAttribute[] = [
  {
    name: "domain",
    type: "string",
    optional: true,
    description:
      "Auth0 tenant domain, e.g. `example.eu.auth0.com` (HTTPS). `http://` is accepted only for loopback " +
      "addresses such as the local emulator. Falls back to the `AUTH0_DOMAIN` environment variable.",
  },
  {
    name: "client_id",
    type: "string",
    optional: true,
    description:
      "Client ID of a machine-to-machine application authorized for the Management API. Falls back to `AUTH0_CLIENT_ID`.",
  },
  {
    name: "client_secret",
    type: "string",
    optional: true,
    sensitive: true,
    description: "Client secret of that application. Falls back to `AUTH0_CLIENT_SECRET`.",
  },
  {
    name: "api_token",
    type: "string",
    optional: true,
    sensitive: true,
    description:
      "A Management API access token, instead of client credentials. Falls back to `AUTH0_API_TOKEN`. " +
      "Conflicts with `client_id` and `client_secret`.",
  },
  {
    name: "audience",
    type: "string",
    optional: true,
    description:
      "Audience of the Management API token. Defaults to `https://{domain}/api/v2/`; set it when `domain` is a " +
      "custom domain. Falls back to `AUTH0_AUDIENCE`.",
  },
  {
    name: "max_requests_per_second",
    type: "number",
    optional: true,
    description:
      "Upper limit on the provider's Management API requests per second, all resources together, on top of " +
      "the pacing the provider already does by the tenant's rate limits (learned from Auth0's rate-limit " +
      "headers). Set it to leave room for other clients of the tenant. Must be greater than 0. Falls back to " +
      "`AUTH0_MAX_REQUESTS_PER_SECOND`.",
  },
  {
    name: "operation_timeout",
    type: "string",
    optional: true,
    description:
      "How long one Terraform operation on one resource (a refresh, a create, an update, a destroy) may take, " +
      "its retries, rate-limit waits and read-backs included; past it the operation fails and says what it " +
      'was waiting for. Seconds (`"300"`) or a duration (`"90s"`, `"5m"`, `"1h"`), from 1s to 24h. Default ' +
      "`5m`. Falls back to `AUTH0_OPERATION_TIMEOUT`.",
  },
  {
    name: "bulk_refresh",
    type: "bool",
    optional: true,
    description:
      "When many members of one organization are refreshed in one run, read the organization's member list " +
      "with their roles once instead of each member separately, and confirm any difference from the state " +
      "with the member's own roles. Default `true`; `false` reads each member separately, the official " +
      "provider's strategy.",
  },
  {
    name: "plan_checks",
    type: "string",
    optional: true,
    description:
      "What a plan does when an organization does not exist or a user is not a member of it, so that apply " +
      'would fail unless another resource of the same apply creates them first. `"warn"` (default) keeps the ' +
      "plan green with a warning, because creating the membership in the same apply (e.g. the official " +
      'provider\'s `auth0_organization_member`) is a correct setup; `"error"` fails the plan, for pipelines ' +
      "whose memberships exist before roles are applied.",
  },
];

const memberRolesAttributes: readonly ResourceAttribute[] = [
  {
    name: "id",
    type: "string",
    computed: true,
    description: "`{organization_id}::{user_id}`, the same form as the official Auth0 provider uses.",
  },
  {
    name: "organization_id",
    type: "string",
    required: true,
    requiresReplace: true,
    description: "ID of the organization, e.g. `org_0123456789abcdef`. Changing it replaces the resource.",
  },
  {
    name: "user_id",
    type: "string",
    required: true,
    requiresReplace: true,
    description: "ID of the member, e.g. `auth0|alice`. Changing it replaces the resource.",
  },
  {
    name: "roles",
    type: ["set", "string"],
    required: true,
    description:
      `The complete set of role IDs the member holds in the organization (0 to ${MAX_ROLES_PER_MEMBER}). ` +
      "Roles assigned outside Terraform are revoked on apply; an empty set means the member holds no roles.",
  },
];

export const providerSchema: Schema = {
  version: 0,
  block: {
    description: "Manages Auth0 organization member roles as code.",
    attributes: providerAttributes,
  },
};

export const memberRolesSchema: ResourceSchema = {
  version: 0,
  block: {
    description:
      "The roles one member holds in one Auth0 organization. Authoritative: roles not listed are revoked.",
    attributes: memberRolesAttributes,
  },
};

/** Which member of which organization: what `import { identity = {...} }` and `terraform query` name. */
export const memberRolesIdentitySchema: IdentitySchema = {
  version: 0,
  block: {
    description: "The organization and the member whose roles the resource holds.",
    attributes: [
      {
        name: "organization_id",
        type: "string",
        requiredForImport: true,
        description: "ID of the organization, e.g. `org_0123456789abcdef`.",
      },
      {
        name: "user_id",
        type: "string",
        requiredForImport: true,
        description: "ID of the member, e.g. `auth0|alice`.",
      },
    ],
  },
};

/** The `config` of `list "auth0roles_organization_member_roles"`: whose members to list. */
export const memberRolesListSchema: Schema = {
  version: 0,
  block: {
    description:
      "Every member of one organization who holds roles there, from the organization's member list.",
    attributes: [
      {
        name: "organization_id",
        type: "string",
        required: true,
        description: "ID of the organization whose members to list, e.g. `org_0123456789abcdef`.",
      },
    ],
  },
};
