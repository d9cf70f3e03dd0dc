import { existsSync, writeFileSync } from "node:fs";
import {
  memberConstructsTypescript,
  memberResourcesHcl,
  organizationConstructTypescript,
  organizationResourceHcl,
  readOrganization,
} from "../export";
import { ConfigurationError, connectionFromEnv, ManagementApiError, ManagementClient } from "../management";
import { noPositionals, parseArgs, single, UsageError } from "./args";

export const EXPORT_USAGE = `Usage: auth0-member-roles export --organization ORG_ID [options]

Reads the organization's members and their roles (AUTH0_DOMAIN, and AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET
or AUTH0_API_TOKEN; scopes read:organization_members and read:organization_member_roles, and read:roles
for role names as comments) and writes configuration with import blocks, so that the next plan only imports.

Options:
  --format hcl|typescript        HCL with import blocks (default), or CDKTF TypeScript with importFrom.
  --resource member|organization One auth0roles_organization_member_roles per member (default), or one
                                 exclusive auth0roles_organization_roles for the whole organization.
  --out FILE                     Write to FILE (which must not exist) instead of standard output.
`;

const OPTIONS = ["--organization", "--format", "--resource", "--out"];

export interface ExportIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
}

export async function runExport(argv: readonly string[], io: ExportIO): Promise<number> {
  try {
    const args = parseArgs(argv, OPTIONS);
    noPositionals(args);
    const organizationId = single(args, "--organization");
    if (!organizationId)
      throw new UsageError(
        "--organization is missing: pass the organization id, e.g. --organization org_abc123.",
      );
    const format = single(args, "--format", ["hcl", "typescript"] as const) ?? "hcl";
    const resource = single(args, "--resource", ["member", "organization"] as const) ?? "member";
    const out = single(args, "--out");
    if (out && existsSync(out))
      throw new UsageError(`--out ${out} exists; choose a new file, so nothing is overwritten.`);
    const connection = connectionFromEnv(io.env);
    if (!connection.ok) throw new UsageError(`No Auth0 credentials: ${connection.problem}.`);
    const client = new ManagementClient({ domain: connection.domain, credentials: connection.credentials });
    const org = await readOrganization(client, organizationId);
    const render = {
      hcl: { member: memberResourcesHcl, organization: organizationResourceHcl },
      typescript: { member: memberConstructsTypescript, organization: organizationConstructTypescript },
    }[format][resource];
    const text = render(org);
    if (out) {
      writeFileSync(out, text, { flag: "wx" });
      io.stderr(`Wrote ${org.members.length} member(s) of ${organizationId} to ${out}.\n`);
    } else {
      io.stdout(text);
    }
    for (const note of org.notes) io.stderr(`Note: ${note}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigurationError) {
      io.stderr(`auth0-member-roles export: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ManagementApiError) {
      io.stderr(`auth0-member-roles export: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
