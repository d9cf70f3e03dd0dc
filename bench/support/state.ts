import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ORG_ID, userIds } from "./tenant";

const PROVIDER = 'provider["terraform.local/rolesascode/auth0roles"]';

/**
 * Writes the local state an apply of N `auth0roles_organization_member_roles` (as memberRolesConfig
 * names them) would leave, each member holding `roles`. Applying 10,000 resources takes Terraform
 * tens of minutes on a busy machine, all of it setup; the plans measured on this state are the same.
 */
export function writeMemberRolesState(
  dir: string,
  n: number,
  roles: readonly string[],
  terraformVersion: string,
): void {
  const resources = userIds(n).map((user_id, i) => ({
    mode: "managed",
    type: "auth0roles_organization_member_roles",
    name: `m${String(i + 1).padStart(5, "0")}`,
    provider: PROVIDER,
    instances: [
      {
        schema_version: 0,
        attributes: { id: `${ORG_ID}::${user_id}`, organization_id: ORG_ID, user_id, roles: [...roles] },
        sensitive_attributes: [],
      },
    ],
  }));
  const state = {
    version: 4,
    terraform_version: terraformVersion,
    serial: 1,
    lineage: randomUUID(),
    outputs: {},
    resources,
    check_results: null,
  };
  writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(state));
}
