import { MEMBER_ROLES_RESOURCE, ORGANIZATION_ROLES_RESOURCE } from "../provider/startup/provider-names";
import { uniqueNames } from "./names";
import type { ExportedOrganization } from "./read";

/** A quoted HCL string: escapes quotes and backslashes, and keeps `${` and `%{` from being templates. */
function str(value: string): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\$\{/g, "$${")
    .replace(/%\{/g, "%%{");
  return `"${escaped}"`;
}

function roleList(roles: readonly string[], names: ReadonlyMap<string, string>, indent: string): string[] {
  return roles.map((id) => {
    const name = names.get(id);
    return `${indent}${str(id)},${name === undefined ? "" : ` # ${name.replace(/[\r\n]+/g, " ")}`}`;
  });
}

function header(org: ExportedOrganization, resource: string): string[] {
  return [
    `# Exported by: auth0-member-roles export --organization ${org.organizationId} --resource ${resource}`,
    "# The import blocks adopt what the tenant holds today (Terraform >= 1.5): the next plan imports and",
    "# changes nothing. Keep them or delete them after the first apply.",
    ...org.notes.map((note) => `# Note: ${note}`),
    "",
  ];
}

/** One `auth0roles_organization_member_roles` per member, each with its import block. */
export function memberResourcesHcl(org: ExportedOrganization): string {
  const lines = header(org, "member");
  const names = uniqueNames(org.members.map((m) => m.userId));
  org.members.forEach((member, i) => {
    const address = `${MEMBER_ROLES_RESOURCE}.${names[i]}`;
    lines.push(
      "import {",
      `  to = ${address}`,
      `  id = ${str(`${org.organizationId}::${member.userId}`)}`,
      "}",
      "",
      `resource "${MEMBER_ROLES_RESOURCE}" "${names[i]}" {`,
      `  organization_id = ${str(org.organizationId)}`,
      `  user_id         = ${str(member.userId)}`,
      "  roles = [",
      ...roleList(member.roles, org.roleNames, "    "),
      "  ]",
      "}",
      "",
    );
  });
  if (org.members.length === 0) lines.push("# No member of this organization holds a role.", "");
  return `${lines.join("\n").trimEnd()}\n`;
}

/** One `auth0roles_organization_roles` for the whole organization, exclusive, with its import block. */
export function organizationResourceHcl(org: ExportedOrganization): string {
  const [name] = uniqueNames([org.organizationId]);
  const lines = header(org, "organization");
  lines.push(
    "import {",
    `  to = ${ORGANIZATION_ROLES_RESOURCE}.${name}`,
    `  id = ${str(org.organizationId)}`,
    "}",
    "",
    `resource "${ORGANIZATION_ROLES_RESOURCE}" "${name}" {`,
    `  organization_id = ${str(org.organizationId)}`,
    "  exclusive       = true",
    "  members = {",
  );
  for (const member of org.members) {
    lines.push(`    ${str(member.userId)} = [`, ...roleList(member.roles, org.roleNames, "      "), "    ]");
  }
  lines.push("  }", "}");
  return `${lines.join("\n")}\n`;
}
