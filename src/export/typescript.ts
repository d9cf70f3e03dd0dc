import { uniqueNames } from "./names";
import type { ExportedOrganization } from "./read";

const PACKAGE = "auth0-org-member-roles-cdktf";

function roleList(roles: readonly string[], names: ReadonlyMap<string, string>, indent: string): string[] {
  return roles.map((id) => {
    const name = names.get(id);
    return `${indent}${JSON.stringify(id)},${name === undefined ? "" : ` // ${name.replace(/[\r\n]+/g, " ")}`}`;
  });
}

function header(org: ExportedOrganization, resource: string, construct: string): string[] {
  return [
    `// Exported by: auth0-member-roles export --organization ${org.organizationId} --resource ${resource} --format typescript`,
    "// Call addExportedRoles(stack) in a stack that has an Auth0RolesProvider. importFrom adopts what the",
    "// tenant holds today: the next diff imports and changes nothing. Remove the importFrom calls after",
    "// the first deploy.",
    ...org.notes.map((note) => `// Note: ${note}`),
    'import type { Construct } from "constructs";',
    `import { ${construct} } from "${PACKAGE}";`,
    "",
    `export const ORGANIZATION_ID = ${JSON.stringify(org.organizationId)};`,
    "",
  ];
}

/** One `OrganizationMemberRoles` per member, each adopting the assignment with importFrom. */
export function memberConstructsTypescript(org: ExportedOrganization): string {
  const lines = header(org, "member", "OrganizationMemberRoles");
  const ids = uniqueNames(org.members.map((m) => m.userId));
  lines.push("export function addExportedRoles(scope: Construct): void {");
  org.members.forEach((member, i) => {
    lines.push(
      `  new OrganizationMemberRoles(scope, ${JSON.stringify(ids[i])}, {`,
      "    organizationId: ORGANIZATION_ID,",
      `    userId: ${JSON.stringify(member.userId)},`,
      "    roles: [",
      ...roleList(member.roles, org.roleNames, "      "),
      "    ],",
      `  }).importFrom(${JSON.stringify(`${org.organizationId}::${member.userId}`)});`,
    );
  });
  if (org.members.length === 0) lines.push("  // No member of this organization holds a role.");
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** One exclusive `OrganizationRoles` for the whole organization, adopted with importFrom. */
export function organizationConstructTypescript(org: ExportedOrganization): string {
  const [id] = uniqueNames([org.organizationId]);
  const lines = header(org, "organization", "OrganizationRoles");
  lines.push(
    "export function addExportedRoles(scope: Construct): void {",
    `  new OrganizationRoles(scope, ${JSON.stringify(id)}, {`,
    "    organizationId: ORGANIZATION_ID,",
    "    exclusive: true,",
    "    members: {",
  );
  for (const member of org.members) {
    lines.push(
      `      ${JSON.stringify(member.userId)}: [`,
      ...roleList(member.roles, org.roleNames, "        "),
      "      ],",
    );
  }
  lines.push("    },", "  }).importFrom(ORGANIZATION_ID);", "}");
  return `${lines.join("\n")}\n`;
}
