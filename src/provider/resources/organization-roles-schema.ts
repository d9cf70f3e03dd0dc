import { MAX_ROLES_PER_MEMBER } from "../../roles";
import type { ResourceSchema } from "../framework";
import type { IdentitySchema } from "../protocol/schema";

export const organizationRolesSchema: ResourceSchema = {
  version: 0,
  block: {
    description:
      "The roles of the members of one Auth0 organization. With `exclusive` (the default) it is authoritative " +
      "for the whole organization: a member not in `members` holds no roles.",
    attributes: [
      {
        name: "id",
        type: "string",
        computed: true,
        description: "The organization id.",
      },
      {
        name: "organization_id",
        type: "string",
        required: true,
        requiresReplace: true,
        description:
          "ID of the organization, e.g. `org_0123456789abcdef`. Changing it replaces the resource.",
      },
      {
        name: "members",
        type: ["map", ["set", "string"]],
        required: true,
        description:
          `Role IDs per member (user id): the complete set each member holds, 0 to ${MAX_ROLES_PER_MEMBER}. Roles ` +
          "not listed are revoked; a member removed from the map has all its roles revoked.",
      },
      {
        name: "exclusive",
        type: "bool",
        optional: true,
        computed: true,
        description:
          "`true` (default): every member of the organization not in `members` holds no roles; apply revokes " +
          "theirs, and the plan lists them under `undeclared_members`. `false`: only the members in `members` " +
          "are managed.",
      },
      {
        name: "undeclared_members",
        type: ["map", ["set", "string"]],
        computed: true,
        description:
          "With `exclusive`: the members not in `members` that the last refresh found holding roles, with " +
          "those roles. Apply revokes them, so the plan shows this map going to `{}`. Destroy leaves them " +
          "alone. `null` without `exclusive`.",
      },
    ],
  },
};

/** Which organization: what `import { identity = {...} }` and `terraform query` name. */
export const organizationRolesIdentitySchema: IdentitySchema = {
  version: 0,
  block: {
    description: "The organization whose members' roles the resource holds.",
    attributes: [
      {
        name: "organization_id",
        type: "string",
        requiredForImport: true,
        description: "ID of the organization, e.g. `org_0123456789abcdef`.",
      },
    ],
  },
};
